/**
 * Exact integers from raw JSON text, where `JSON.parse` would round them.
 *
 * Node 20 has no source-text access in `JSON.parse`, so proctree-rx finds the digits of the few
 * fields that need them (times and start times) with a targeted scan of the raw line, and
 * **verifies** each find: the digits must round to the very number `JSON.parse` produced for
 * that field. A find that does not verify is discarded (the caller falls back to the rounded
 * value and may report it), so a scan can never silently pick the wrong digits.
 *
 * @module
 */
import type { Nanos } from './types.js';

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const MINUS = 45;

/** Reads an integer literal starting at `pos`; returns `undefined` unless it is one. */
export function readIntegerAt(text: string, pos: number): bigint | undefined {
  let end = pos;
  if (text.charCodeAt(end) === MINUS) end++;
  const digitsStart = end;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c < DIGIT_0 || c > DIGIT_9) break;
    end++;
  }
  if (end === digitsStart) return undefined;
  const next = text.charCodeAt(end);
  // a fraction or exponent means this is not an integer literal
  if (next === 46 /* . */ || next === 101 /* e */ || next === 69 /* E */) return undefined;
  return BigInt(text.slice(pos, end));
}

/**
 * Converts a parsed JSON value to exact nanoseconds when that can be done without loss:
 * a `bigint`, a safe integer `number`, or a string of decimal digits. Unsafe numbers give
 * their rounded value (callers that need exactness read the raw text first).
 * @example
 * ```ts
 * import { toNanos } from 'proctree-rx';
 * toNanos('1795582946621474559'); // 1795582946621474559n
 * toNanos(42); // 42n
 * ```
 */
export function toNanos(value: unknown): Nanos | undefined {
  switch (typeof value) {
    case 'bigint':
      return value;
    case 'number':
      return Number.isInteger(value) ? BigInt(value) : undefined;
    case 'string':
      return /^-?\d+$/.test(value) ? BigInt(value) : undefined;
    default:
      return undefined;
  }
}

/** True when `exact` is what `JSON.parse` turns these digits into (the verification rule). */
export const agrees = (exact: bigint, parsed: unknown): boolean =>
  typeof parsed === 'number' ? Number(exact) === parsed : typeof parsed === 'bigint' && parsed === exact;

/** Search texts of a key: `"key":` and `key"` (the latter finds any other occurrence of the name, spaced or not). */
const NEEDLES = new Map<string, { readonly needle: string; readonly rest: string }>();
const needlesOf = (key: string): { readonly needle: string; readonly rest: string } => {
  let n = NEEDLES.get(key);
  if (n === undefined) {
    n = { needle: `"${key}":`, rest: `${key.slice(1)}"` };
    if (NEEDLES.size < 64) NEEDLES.set(key, n);
  }
  return n;
};

/** The last line scanned for a backslash, and the answer: the two time keys of one line share one scan. */
let scannedLine: string | undefined;
let scannedPlain = false;
const hasNoBackslash = (raw: string): boolean => {
  if (raw !== scannedLine) {
    scannedLine = raw;
    scannedPlain = raw.indexOf('\\') < 0;
  }
  return scannedPlain;
};

/** True when nothing before `at` in `raw` can nest or escape: `at` is then at the top level of the object. */
function plainPrefix(raw: string, at: number): boolean {
  for (let i = 1; i < at; i++) {
    const c = raw.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */ || c === 92 /* \\ */) return false;
  }
  return raw.charCodeAt(0) === 123;
}

/**
 * The exact value of a top-level integer field of a one-line JSON object, or `undefined`.
 *
 * Fast path for Tracee's layout (`{"timestamp":…,"threadStartTime":…`): the first `"key":` is
 * taken when nothing before it nests or escapes (so it is a top-level key), the line holds no
 * other `"key"` and no backslash (so no other spelling of it can follow: JSON.parse keeps the
 * last of duplicate keys), and its digits verify against `parsed`. Any other line — spaces
 * around the colon, an escaped key such as `"\u0074imestamp"`, duplicates, the key after nested
 * values — takes the careful path: the whole line is read by {@link parseKeepingNumberText} and
 * the key's last top-level occurrence is used, verified the same way.
 */
export function exactTopLevelInteger(raw: string, key: string, parsed: unknown): bigint | undefined {
  const { needle, rest } = needlesOf(key);
  const at = raw.indexOf(needle);
  // (`rest` is the key without its opening quote: a search that starts on a letter is 2-3× faster
  // than one that starts on a quote, which every key of the line has)
  if (at > 0 && plainPrefix(raw, at) && raw.indexOf(rest, at + needle.length) < 0 && hasNoBackslash(raw)) {
    const value = readIntegerAt(raw, at + needle.length);
    if (value !== undefined && agrees(value, parsed)) return value;
  }
  const doc = parseCarefully(raw);
  if (!(doc instanceof Map)) return undefined;
  return verifiedInteger(doc.get(key), parsed);
}

/**
 * The exact integer `value` of the argument named `name` in a Tracee event line
 * (`{"name":"start_time","type":"unsigned long","value":1795582946961160159}`), verified
 * against `parsed`, or `undefined`. Fast path: the text `"name":"<name>"` and the next
 * `"value":`; otherwise (other spellings, spaces) the careful path reads the whole line and
 * takes the last element of the top-level `args` array with that name, as the argument map does.
 */
export function exactArgInteger(raw: string, name: string, parsed: unknown): bigint | undefined {
  const needle = `"name":"${name}"`;
  let at = raw.indexOf(needle);
  while (at >= 0) {
    const valueKey = raw.indexOf('"value":', at + needle.length);
    if (valueKey < 0) break;
    let p = valueKey + 8;
    while (raw.charCodeAt(p) === 32) p++;
    const value = readIntegerAt(raw, p);
    if (value !== undefined && agrees(value, parsed)) return value;
    at = raw.indexOf(needle, at + needle.length);
  }
  const doc = parseCarefully(raw);
  const args: unknown = doc instanceof Map ? doc.get('args') : undefined;
  if (!Array.isArray(args)) return undefined;
  let found: unknown;
  for (const a of args) if (a instanceof Map && a.get('name') === name) found = a.get('value');
  return verifiedInteger(found, parsed);
}

/** A number of a JSON text as it is written there (see {@link parseKeepingNumberText}). */
export class NumberText {
  constructor(readonly text: string) {}
}

/** What {@link parseKeepingNumberText} returns: objects as Maps (last duplicate wins), numbers as their text. */
export type JsonWithNumberText = null | boolean | string | NumberText | readonly JsonWithNumberText[] | ReadonlyMap<string, JsonWithNumberText>;

const verifiedInteger = (v: unknown, parsed: unknown): bigint | undefined => {
  if (!(v instanceof NumberText)) return undefined;
  const value = readIntegerAt(v.text, 0);
  return value !== undefined && agrees(value, parsed) ? value : undefined;
};

/** {@link parseKeepingNumberText}, or `undefined` when the text is not JSON. */
const parseCarefully = (raw: string): JsonWithNumberText | undefined => {
  try {
    return parseKeepingNumberText(raw);
  } catch {
    return undefined;
  }
};

/** Deepest nesting the careful parser follows (JSON.parse goes deeper; such a line's keys are then not found). */
const MAX_DEPTH = 4096;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Parses JSON text as `JSON.parse` does, except that numbers are kept as their text
 * ({@link NumberText}) and objects become Maps (the last of duplicate keys wins, as in
 * `JSON.parse`). The careful path of the exact readers: slower than `JSON.parse`, used only
 * for lines the fast paths cannot read. Throws a `SyntaxError` on text that is not JSON.
 *
 * @example
 * ```ts
 * import { parseKeepingNumberText } from './exactNumbers.js';
 * (parseKeepingNumberText('{"\\u0074imestamp" : 1795582946615329971}') as Map<string, unknown>).get('timestamp');
 * // NumberText { text: '1795582946615329971' }
 * ```
 */
export function parseKeepingNumberText(text: string): JsonWithNumberText {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else return;
    }
  };
  const str = (): string => {
    const start = i++;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      i++;
      if (c === 34) break;
    }
    const body = text.slice(start, i);
    return escaped ? (JSON.parse(body) as string) : body.slice(1, -1);
  };
  const value = (depth: number): JsonWithNumberText => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    ws();
    const c = text.charCodeAt(i);
    if (c === 34) return str();
    if (c === 123) {
      i++;
      const m = new Map<string, JsonWithNumberText>();
      ws();
      if (text.charCodeAt(i) === 125) {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (text.charCodeAt(i) !== 34) fail('expected a key');
        const k = str();
        ws();
        if (text.charCodeAt(i) !== 58) fail('expected ":"');
        i++;
        m.set(k, value(depth + 1));
        ws();
        const d = text.charCodeAt(i++);
        if (d === 125) return m;
        if (d !== 44) fail('expected "," or "}"');
      }
    }
    if (c === 91) {
      i++;
      const a: JsonWithNumberText[] = [];
      ws();
      if (text.charCodeAt(i) === 93) {
        i++;
        return a;
      }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        const d = text.charCodeAt(i++);
        if (d === 93) return a;
        if (d !== 44) fail('expected "," or "]"');
      }
    }
    if (text.startsWith('true', i)) return (i += 4), true;
    if (text.startsWith('false', i)) return (i += 5), false;
    if (text.startsWith('null', i)) return (i += 4), null;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail('unexpected character');
    i += m[0].length;
    return new NumberText(m[0]);
  };
  const result = value(0);
  ws();
  if (i !== text.length) fail('unexpected text after the value');
  return result;
}

/**
 * Serialises a value as JSON where `bigint`s become exact integer literals
 * (`JSON.stringify` throws on them) and `Map`s become objects (their keys as strings, as in
 * the maps of Tracee's ProcessInfo). Used for everything proctree-rx adds to an event.
 * `space` indents as `JSON.stringify`'s third argument does.
 * @example
 * ```ts
 * import { processAt, stringifyExact, toUndefined } from 'proctree-rx';
 * console.log(stringifyExact(toUndefined(processAt(tree, entityId, t)), 2)); // startTime digit for digit
 * ```
 */
export function stringifyExact(value: unknown, space?: number): string {
  const replacer = (_k: string, v: unknown): unknown =>
    typeof v === 'bigint' ? `\u0000${v.toString()}\u0000` : v instanceof Map ? Object.fromEntries(v as Map<unknown, unknown>) : v;
  return JSON.stringify(value, replacer, space).replace(
    /"\\u0000(-?\d+)\\u0000"/g,
    '$1',
  );
}
