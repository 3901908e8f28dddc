/**
 * Mutations of Tracee NDJSON lines, as an attacker or a broken pipe would produce them. Each
 * takes a line (a Buffer without its newline) and a random source, and returns the mutated bytes.
 */
/** The seeded PRNG the fuzz cases draw from (shared with the benchmarks' data). */
export { prng } from '../../bench/lib/prng.mjs';

const int = (rnd, n) => Math.floor(rnd() * n);
const str = (b) => b.toString('utf8');
const buf = (s) => Buffer.from(s, 'utf8');
const replaceField = (line, key, value) => buf(str(line).replace(new RegExp(`"${key}":(-?[0-9.e+]+|"[^"]*"|null)`), `"${key}":${value}`));
const replaceArg = (line, name, value) => buf(str(line).replace(new RegExp(`("name":"${name}","type":"[^"]*","value":)(-?[0-9.e+]+|"[^"]*"|null)`), `$1${value}`));

/** The mutators, by name. */
export const MUTATORS = {
  truncate: (line, rnd) => line.subarray(0, int(rnd, line.length)),
  flipByte: (line, rnd) => {
    const b = Buffer.from(line);
    if (b.length > 0) b[int(rnd, b.length)] ^= 1 << int(rnd, 8);
    return b.includes(0x0a) ? line : b;
  },
  invalidUtf8: (line, rnd) => {
    const at = str(line).indexOf('"processName":"') + 15;
    const bad = [Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82])][int(rnd, 4)];
    return at < 15 ? Buffer.concat([line, bad]) : Buffer.concat([line.subarray(0, at), bad, line.subarray(at)]);
  },
  terminalEscape: (line) => buf(str(line).replace(/"eventName":"([^"]*)"/, '"eventName":"$1\\u001b[2J\\u001b]0;owned\\u0007\\r\\n"')),
  controlBytesInBadLine: (line) => Buffer.concat([line.subarray(0, 40), Buffer.from('\x1b[31mRED\x1b[0m\x07\x08')]),
  spacedKeys: (line) => buf(str(line).replace('"timestamp":', '"timestamp" : ').replace('"threadStartTime":', '"threadStartTime" :\t')),
  escapedKey: (line) => buf(str(line).replace('"timestamp":', '"\\u0074imestamp":')),
  duplicateTimestamp: (line) => buf(str(line).replace(/^\{"timestamp":(\d+)/, (_m, d) => `{"timestamp":${d},"timestamp":${d}`)),
  fractionalTimestamp: (line) => replaceField(line, 'timestamp', '1.7955826e18'),
  stringTimestamp: (line) => replaceField(line, 'timestamp', '"soon"'),
  negativeTimestamp: (line) => replaceField(line, 'timestamp', '-1'),
  hugeTimestamp: (line) => replaceField(line, 'timestamp', '18446744073709551616'),
  pidMinusOne: (line) => replaceField(line, 'hostProcessId', '-1'),
  pidFraction: (line) => replaceField(line, 'hostProcessId', '1.5'),
  pidHuge: (line) => replaceField(line, 'hostThreadId', '4294967296'),
  pidNull: (line) => replaceField(line, 'processId', 'null'),
  childPidHuge: (line) => replaceArg(line, 'child_pid', '4294967296'),
  childTidNegative: (line) => replaceArg(line, 'child_tid', '-1'),
  argValueNull: (line) => replaceArg(line, 'pathname', 'null'),
  argsNull: (line) => buf(str(line).replace(/"args":\[.*\]\}$/, '"args":null}')),
  argsObjectsNull: (line) => buf(str(line).replace(/"args":\[.*\]\}$/, '"args":[null,{"name":null},{"name":"argv","value":[null,1]}]}')),
  eventNameNumber: (line) => replaceField(line, 'eventName', '42'),
  notAnObject: () => buf('[1,2,3]'),
  emptyObject: () => buf('{}'),
  deepNesting: (line) => buf(str(line).replace(/\}$/, `,"deep":${'['.repeat(2000)}${']'.repeat(2000)}}`)),
  longLine: (line) => buf(str(line).replace(/\}$/, `,"pad":"${'x'.repeat(200_000)}"}`)),
  crlf: (line) => Buffer.concat([line, Buffer.from('\r')]),
  whitespace: () => buf(' \t '),
  nulBytes: (line) => Buffer.concat([line.subarray(0, 10), Buffer.from([0, 0, 0]), line.subarray(10)]),
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** Mutates `line` with a random mutator; returns its name and bytes. */
export function mutate(line, rnd) {
  const name = MUTATOR_NAMES[int(rnd, MUTATOR_NAMES.length)];
  return { name, bytes: MUTATORS[name](line, rnd) };
}
