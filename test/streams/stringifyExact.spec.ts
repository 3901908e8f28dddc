import { stringifyExact } from '../../src/streams/exactNumbers.js';

describe('stringifyExact', () => {
  it('writes bigints as exact integer literals, beyond 2^53 and negative', () => {
    expect(stringifyExact({ t: 1795582946601880723n, d: -5n, n: 1 })).toBe('{"t":1795582946601880723,"d":-5,"n":1}');
  });

  it('writes Maps as objects (ProcessInfo threadsIds / childProcessesIds), nested and empty ones too', () => {
    const info = { threadsIds: new Map([[20651, 2145698412]]), childProcessesIds: new Map<number, number>(), deep: [new Map([[1, { at: 2n }]])] };
    expect(stringifyExact(info)).toBe('{"threadsIds":{"20651":2145698412},"childProcessesIds":{},"deep":[{"1":{"at":2}}]}');
  });

  it('indents as JSON.stringify does', () => {
    expect(stringifyExact({ a: 1n }, 2)).toBe('{\n  "a": 1\n}');
  });
});
