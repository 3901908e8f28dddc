/**
 * Durations on the command line (`--reorder-window 500ms`) → exact nanoseconds.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Nanos } from '../streams/types.js';

/** Units accepted by {@link parseDuration}, in nanoseconds. */
export const DURATION_UNITS: Readonly<Record<string, bigint>> = Object.freeze({
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
});

const PATTERN = /^([0-9]+)(?:\.([0-9]+))?(ns|us|µs|ms|s|m)$/;

/**
 * Parses a duration such as `500ms`, `2s`, `1.5s`, `1500us`, `250000ns` or `0` into exact
 * nanoseconds. A unit is required except for `0`; decimals are exact and must come to a whole
 * number of nanoseconds. Negative values and spaces are rejected.
 *
 * @returns `Right(ns)` or `Left(message)` naming the text and showing valid forms.
 * @example
 * ```ts
 * import { parseDuration } from './parseDuration.js';
 * parseDuration('1.5s'); // Right(1500000000n)
 * parseDuration('500');  // Left('invalid duration "500": add a unit, e.g. 500ms (units: ns, us, ms, s, m)')
 * ```
 */
export function parseDuration(text: string): E.Either<string, Nanos> {
  if (/^0+$/.test(text)) return E.right(0n);
  const m = PATTERN.exec(text);
  if (m === null) {
    const hint = /^[0-9]+(\.[0-9]+)?$/.test(text) ? `add a unit, e.g. ${text}ms` : 'expected e.g. 500ms, 2s, 1500us or 0';
    return E.left(`invalid duration "${text}": ${hint} (units: ns, us, ms, s, m)`);
  }
  const [, whole = '0', fraction = '', unit = 'ns'] = m;
  const scale = DURATION_UNITS[unit]!;
  const denominator = 10n ** BigInt(fraction.length);
  const scaledFraction = BigInt(fraction === '' ? '0' : fraction) * scale;
  if (scaledFraction % denominator !== 0n) {
    return E.left(`invalid duration "${text}": finer than a nanosecond`);
  }
  return E.right(BigInt(whole) * scale + scaledFraction / denominator);
}
