/**
 * Sizes on the command line (`--reorder-bytes 64MiB`) → bytes.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';

/** Units accepted by {@link parseSize}: powers of 1024, with or without the `i` and the `B`. */
export const SIZE_UNITS: Readonly<Record<string, number>> = Object.freeze({
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
});

const PATTERN = /^([0-9]+)(?:([kmg])(?:i?b)?|b)?$/i;

/** Largest size accepted: 1 TiB (a larger reorder buffer is a typo). */
export const MAX_SIZE = 1024 ** 4;

/**
 * Parses a size such as `64MiB`, `512KiB`, `1g`, `4096` (bytes) or `0` into bytes. Units are
 * binary (K = 1024) whatever the spelling: `k`, `KB`, `KiB`; `m`, `MB`, `MiB`; `g`, `GB`, `GiB`.
 *
 * @returns `Right(bytes)` or `Left(message)` naming the text and showing valid forms.
 * @example
 * ```ts
 * import { parseSize } from './parseSize.js';
 * parseSize('64MiB'); // Right(67108864)
 * parseSize('64 MB'); // Left('invalid size "64 MB": expected e.g. 64MiB, 512KiB, 1GiB or 0 (no spaces)')
 * ```
 */
export function parseSize(text: string): E.Either<string, number> {
  const m = PATTERN.exec(text);
  if (m === null) return E.left(`invalid size "${text}": expected e.g. 64MiB, 512KiB, 1GiB or 0 (no spaces)`);
  const [, digits = '0', unit] = m;
  const bytes = Number(digits) * (unit === undefined ? 1 : SIZE_UNITS[unit.toLowerCase()]!);
  if (!(bytes <= MAX_SIZE)) return E.left(`invalid size "${text}": at most 1TiB`);
  return E.right(bytes);
}
