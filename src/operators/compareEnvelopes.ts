/**
 * The total order of proctree-rx's event streams.
 *
 * @module
 */
import type { Envelope } from '../streams/types.js';

/**
 * Compares two envelopes by their ordering key `(timestamp, rank, seq)`: exact epoch ns first
 * (a `bigint` compare, so times above 2^53 that differ by 1 ns still order), then the stream's
 * rank (events `0` before signals `1` at the same ns), then arrival order within the stream.
 *
 * Returns a negative number, zero or a positive number, like any `Array.prototype.sort`
 * comparator. Allocates nothing. Zero means "same key" — possible only for two envelopes of
 * different streams with the same rank and seq; {@link sortByTimestamp} then keeps arrival order.
 *
 * @example
 * ```ts
 * import { compareEnvelopes } from 'proctree-rx';
 * const sorted = [...envelopes].sort(compareEnvelopes);
 * ```
 * @see sortByTimestamp
 * @see mergeByTimestamp
 */
export function compareEnvelopes(a: Envelope, b: Envelope): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  return a.rank - b.rank || a.seq - b.seq;
}
