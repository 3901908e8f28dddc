/**
 * Structural equality for marble frames without a test framework: understands `bigint`,
 * `Map`, `Set`, arrays, plain objects and asymmetric matchers (objects with `asymmetricMatch`).
 *
 * @module
 */

/** An object that decides equality itself (Jest's asymmetric-matcher protocol). */
export interface AsymmetricMatcher {
  asymmetricMatch(actual: unknown): boolean;
  toAsymmetricMatcher?(): string;
}

const isMatcher = (v: unknown): v is AsymmetricMatcher =>
  typeof v === 'object' && v !== null && typeof (v as AsymmetricMatcher).asymmetricMatch === 'function';

/**
 * `true` when `actual` and `expected` are structurally equal (`undefined` properties count as
 * absent, as in Jest's `toEqual`).
 * @example
 * ```ts
 * deepEqual({ t: 1n, a: [1] }, { t: 1n, a: [1] }); // true
 * ```
 */
export function deepEqual(actual: unknown, expected: unknown): boolean {
  if (isMatcher(expected)) return expected.asymmetricMatch(actual);
  if (isMatcher(actual)) return actual.asymmetricMatch(expected);
  if (Object.is(actual, expected)) return true;
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null) return false;
  if (Array.isArray(actual) !== Array.isArray(expected)) return false;
  if (actual instanceof Map && expected instanceof Map) {
    if (actual.size !== expected.size) return false;
    for (const [k, v] of actual) if (!expected.has(k) || !deepEqual(v, expected.get(k))) return false;
    return true;
  }
  if (actual instanceof Set && expected instanceof Set) {
    if (actual.size !== expected.size) return false;
    for (const v of actual) if (!expected.has(v)) return false;
    return true;
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
  for (const k of keys) if (!deepEqual(a[k], e[k])) return false;
  return true;
}

/** Text of a value for failure messages (`bigint`s as `123n`, matchers by their own text). */
export function describeValue(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x: unknown) => {
      if (typeof x === 'bigint') return `${x}n`;
      if (isMatcher(x)) return x.toAsymmetricMatcher?.() ?? 'matcher';
      return x;
    },
    2,
  );
}
