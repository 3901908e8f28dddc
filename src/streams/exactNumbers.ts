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

/**
 * The exact value of a top-level integer field of a one-line JSON object, or `undefined`.
 * Fast path for Tracee's layout (`{"timestamp":…,"threadStartTime":…`); otherwise the first
 * unescaped occurrence of `"key":` is used, and the result is verified against `parsed`.
 */
export function exactTopLevelInteger(raw: string, key: string, parsed: unknown): bigint | undefined {
  const needle = `"${key}":`;
  let at = raw.indexOf(needle);
  while (at >= 0) {
    if (raw.charCodeAt(at - 1) !== 92 /* backslash */) {
      let p = at + needle.length;
      while (raw.charCodeAt(p) === 32) p++;
      const value = readIntegerAt(raw, p);
      if (value !== undefined && agrees(value, parsed)) return value;
    }
    at = raw.indexOf(needle, at + needle.length);
  }
  return undefined;
}

/**
 * The exact integer `value` of the argument named `name` in a Tracee event line
 * (`{"name":"start_time","type":"unsigned long","value":1795582946961160159}`), verified
 * against `parsed`, or `undefined`.
 */
export function exactArgInteger(raw: string, name: string, parsed: unknown): bigint | undefined {
  const needle = `"name":"${name}"`;
  let at = raw.indexOf(needle);
  while (at >= 0) {
    const valueKey = raw.indexOf('"value":', at + needle.length);
    if (valueKey < 0) return undefined;
    let p = valueKey + 8;
    while (raw.charCodeAt(p) === 32) p++;
    const value = readIntegerAt(raw, p);
    if (value !== undefined && agrees(value, parsed)) return value;
    at = raw.indexOf(needle, at + needle.length);
  }
  return undefined;
}

/**
 * Serialises a value as JSON where `bigint`s become exact integer literals
 * (`JSON.stringify` throws on them) and `Map`s become objects (their keys as strings, as in
 * the maps of Tracee's ProcessInfo). Used for everything proctree-rx adds to an event.
 * `space` indents as `JSON.stringify`'s third argument does.
 */
export function stringifyExact(value: unknown, space?: number): string {
  const replacer = (_k: string, v: unknown): unknown =>
    typeof v === 'bigint' ? `\u0000${v.toString()}\u0000` : v instanceof Map ? Object.fromEntries(v as Map<unknown, unknown>) : v;
  return JSON.stringify(value, replacer, space).replace(
    /"\\u0000(-?\d+)\\u0000"/g,
    '$1',
  );
}
