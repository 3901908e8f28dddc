/**
 * Copy-on-write array edits that allocate exactly the result's length.
 *
 * `slice()` + `push()`, `[...a, x]` and `splice()` insertions leave V8 arrays with growth slack
 * (capacity ≈ 1.5 × length + 16): a two-entry changelog written that way took 225 bytes instead of
 * 81, and the tree keeps hundreds of thousands of such small arrays alive. Internal to src/tree/.
 *
 * @module
 */

/** `a` with `items` inserted at `index` (0 ≤ index ≤ a.length), as a new array of exact length. */
export function inserted<T>(a: readonly T[], index: number, ...items: T[]): T[] {
  const n = a.length;
  const k = items.length;
  const out = new Array<T>(n + k);
  for (let i = 0; i < index; i++) out[i] = a[i]!;
  for (let j = 0; j < k; j++) out[index + j] = items[j]!;
  for (let i = index; i < n; i++) out[i + k] = a[i]!;
  return out;
}

/** `a` with `items` added at its end, as a new array of exact length. */
export const appended = <T>(a: readonly T[], ...items: T[]): T[] => inserted(a, a.length, ...items);

/** `a` without the `count` entries from `index`, as a new array of exact length. */
export function removed<T>(a: readonly T[], index: number, count = 1): T[] {
  const n = a.length;
  const out = new Array<T>(n - count);
  for (let i = 0; i < index; i++) out[i] = a[i]!;
  for (let i = index + count; i < n; i++) out[i - count] = a[i]!;
  return out;
}
