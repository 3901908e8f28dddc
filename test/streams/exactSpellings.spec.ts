import * as E from 'fp-ts/lib/Either.js';
import { exactArgInteger, exactTopLevelInteger, NumberText, parseKeepingNumberText } from '../../src/streams/exactNumbers.js';
import { parseEventLine } from '../../src/streams/parseEventLine.js';

const TS = '1795582946615329971';
const origin = { source: 't', line: 1 };
const timestampOf = (line: string): bigint | string => {
  const r = parseEventLine(line, origin);
  return E.isRight(r) ? r.right.timestamp : r.left;
};

describe('any valid JSON spelling of the keys we read', () => {
  it.each([
    ['Tracee layout', `{"timestamp":${TS},"eventName":"x"}`],
    ['spaces around the colon', `{"timestamp" : ${TS},"eventName":"x"}`],
    ['leading whitespace and newlines inside', `{ \t"eventName":"x",\r\n "timestamp":\n${TS} }`],
    ['an escaped key', `{"\\u0074imestamp":${TS}}`],
    ['an escaped last letter', `{"eventName":"x","timestam\\u0070":${TS}}`],
    ['after nested values', `{"args":[{"name":"timestamp","value":{"timestamp":1}}],"timestamp":${TS}}`],
  ])('%s: the exact timestamp', (_name, line) => {
    expect(timestampOf(line)).toBe(BigInt(TS));
  });

  it('duplicate keys: the last one counts, as in JSON.parse, even when both round to the same number', () => {
    const other = '1795582946615329972'; // same double as TS
    expect(Number(other)).toBe(Number(TS));
    expect(timestampOf(`{"timestamp":${TS},"timestamp":${other}}`)).toBe(BigInt(other));
    expect(timestampOf(`{"timestamp":${TS},"\\u0074imestamp":${other}}`)).toBe(BigInt(other));
    expect(timestampOf(`{"timestamp":${TS},"timestamp" :${other}}`)).toBe(BigInt(other));
  });

  it('a "timestamp" inside a string or a nested object is never taken for the top-level one', () => {
    const nested = '1795582946615329900';
    expect(timestampOf(`{"x":"\\"timestamp\\":${nested}","timestamp":${TS}}`)).toBe(BigInt(TS));
    expect(timestampOf(`{"x":{"timestamp":${TS}},"timestamp":${nested}}`)).toBe(BigInt(nested));
  });

  it('a fraction or exponent is still refused', () => {
    expect(timestampOf('{"timestamp" : 1.7955829466153e18}')).toBe('"timestamp" is not an integer');
  });

  it('exactTopLevelInteger and exactArgInteger read spaced and escaped spellings', () => {
    expect(exactTopLevelInteger(`{"time" :${TS}}`, 'time', Number(TS))).toBe(BigInt(TS));
    const line = `{"args":[{"name" : "start_time","type":"u64","value" : ${TS}},{"\\u006eame":"parent_start_time","value":${TS}}]}`;
    expect(exactArgInteger(line, 'start_time', Number(TS))).toBe(BigInt(TS));
    expect(exactArgInteger(line, 'parent_start_time', Number(TS))).toBe(BigInt(TS));
    expect(exactArgInteger(line, 'missing', Number(TS))).toBeUndefined();
  });
});

describe('parseKeepingNumberText', () => {
  it('agrees with JSON.parse on structure, keeping number texts', () => {
    const text = '{"a":[1,-2.5e3,true,false,null,"s\\n\\u00e9"],"b":{},"c":[],"a2":{"x":"y"}}';
    const doc = parseKeepingNumberText(text) as ReadonlyMap<string, unknown>;
    expect(doc.get('a')).toEqual([new NumberText('1'), new NumberText('-2.5e3'), true, false, null, 's\né']);
    expect(doc.get('b')).toEqual(new Map());
    expect((doc.get('a2') as ReadonlyMap<string, unknown>).get('x')).toBe('y');
  });

  it.each(['', '{', '{"a":}', '{"a":1,}', '[1 2]', '{"a":1} x', '"abc', 'tru', '{a:1}', '01'])('throws on %j, as JSON.parse does', (text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseKeepingNumberText(text)).toThrow(SyntaxError);
  });
});
