/**
 * A bounded, sorted, immutable changelog of one field: `(time, value)` pairs, oldest first,
 * stored flat (`[t0, v0, t1, v1, …]`) to keep a one-entry log at one small array.
 *
 * Semantics (our decisions, spec §3.2/§3.6 and README decision 4):
 * - **Inclusive** lookup: `valueAt(log, t)` sees every entry with time ≤ t (a change made at t is
 *   visible at t). This is the boundary rule everywhere in proctree-rx.
 * - Sorted inserts: an out-of-order write lands in its place; a write at an existing instant
 *   overwrites it.
 * - No-op writes return the same log (so the tree stays identical): writing the value already in
 *   effect at that time, when the next entry (if any) is not affected.
 * - Bounded: at most `max` entries; the oldest are dropped first (their value is then unknown
 *   before the oldest kept entry, and `valueAt` answers `undefined` there).
 *
 * @module
 */
import type { Nanos } from '../streams/types.js';
import { appended, inserted, removed } from './exactArrays.js';

/** A changelog. `undefined` is the empty log. */
export type Changelog<V> = readonly (Nanos | V)[] | undefined;

/** Number of entries. */
export const logSize = <V>(log: Changelog<V>): number => (log === undefined ? 0 : log.length >> 1);

const timeAt = <V>(log: readonly (Nanos | V)[], i: number): Nanos => log[i * 2] as Nanos;
const valueAtIndex = <V>(log: readonly (Nanos | V)[], i: number): V => log[i * 2 + 1] as V;

/** Index of the last entry with time ≤ t, or -1. Binary search. */
function lastAtOrBefore<V>(log: readonly (Nanos | V)[], t: Nanos): number {
  let lo = 0;
  let hi = (log.length >> 1) - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (timeAt(log, mid) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The value in effect at `t` (inclusive), or `undefined`. O(log n). */
export function valueAt<V>(log: Changelog<V>, t: Nanos): V | undefined {
  if (log === undefined) return undefined;
  const n = log.length >> 1;
  // fast path: queries at or after the newest entry
  if (n > 0 && timeAt(log, n - 1) <= t) return valueAtIndex(log, n - 1);
  const i = lastAtOrBefore(log, t);
  return i < 0 ? undefined : valueAtIndex(log, i);
}

/** The newest value, or `undefined`. */
export function currentValue<V>(log: Changelog<V>): V | undefined {
  return log === undefined || log.length === 0 ? undefined : (log[log.length - 1] as V);
}

/** Time of the newest entry, or `undefined`. */
export function currentTime<V>(log: Changelog<V>): Nanos | undefined {
  return log === undefined || log.length === 0 ? undefined : (log[log.length - 2] as Nanos);
}

/** All entries, oldest first. */
export function entries<V>(log: Changelog<V>): { time: Nanos; value: V }[] {
  const out: { time: Nanos; value: V }[] = [];
  if (log !== undefined) for (let i = 0; i < log.length; i += 2) out.push({ time: log[i] as Nanos, value: log[i + 1] as V });
  return out;
}

/**
 * The log with `value` written at time `t`, bounded to `max` entries; the same log when the
 * write changes nothing. `eq` decides value equality (default `Object.is`).
 */
export function setAt<V>(log: Changelog<V>, t: Nanos, value: V, max: number, eq: (a: V, b: V) => boolean = Object.is): Changelog<V> {
  if (log === undefined || log.length === 0) return [t, value];
  const n = log.length >> 1;
  // common case: append after the newest
  const lastT = timeAt(log, n - 1);
  if (t > lastT) {
    if (eq(valueAtIndex(log, n - 1), value)) return log;
    return appended(n >= max ? log.slice(2 * (n - max + 1)) : log, t, value);
  }
  const i = lastAtOrBefore(log, t);
  if (i >= 0 && timeAt(log, i) === t) {
    if (eq(valueAtIndex(log, i), value)) return log;
    const next = log.slice();
    next[i * 2 + 1] = value;
    return next;
  }
  // out of order: insert after index i (which may be -1)
  if (i >= 0 && eq(valueAtIndex(log, i), value)) return log; // already in effect from an earlier entry
  if (i < 0 && n >= max) return log; // older than every entry of a full log: it would be dropped at once
  const next = inserted(log, (i + 1) * 2, t, value);
  return next.length > max * 2 ? next.slice(next.length - max * 2) : next;
}

/**
 * The log with the entry made at exactly `from` moved to the earlier time `to` (its value
 * replaced by `value` when given); the same log when there is no entry at `from` or `to` is not
 * earlier. Used when a second report of one change turns out to be the earlier one.
 */
export function moveEarlier<V>(log: Changelog<V>, from: Nanos, to: Nanos, max: number, value?: V): Changelog<V> {
  if (log === undefined || to >= from) return log;
  const i = lastAtOrBefore(log, from);
  if (i < 0 || timeAt(log, i) !== from) return log;
  const v = value === undefined ? valueAtIndex(log, i) : value;
  const without = removed(log, i * 2, 2);
  return setAt(without.length === 0 ? undefined : without, to, v, max, () => false);
}
