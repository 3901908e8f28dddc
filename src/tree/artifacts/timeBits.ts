/**
 * Exact event times (`bigint` ns) kept as plain numbers inside the artifact store: the time's 64
 * bits read as a float64. Order is kept (for the bit patterns of finite non-negative float64s, as
 * every time from 0 to year 2262 is, the float64 order is the integer order, subnormals included), and the round trip
 * is exact up to 0x7fefffffffffffff ns (year 2262; above, the bits would read as NaN). Why: an entry touched by an event stored that event's `bigint`, a heap object;
 * storing one per event into long-lived entries cost a promotion (and an old-to-young pointer)
 * per event in the garbage collector. A number field is updated in place.
 *
 * @module
 */
import type { Nanos } from '../../streams/types.js';

const BIG = new BigUint64Array(1);
const BITS = new Float64Array(BIG.buffer);
/** The largest time kept exactly: the bits of the largest finite float64 (year 2262; above are NaN patterns). */
const MAX = 0x7fefffffffffffffn;

/**
 * The bits of `t` as a number, ordered as the times are (`a < b` ⇔ `timeBits(a) < timeBits(b)`).
 * Times outside [0, 0x7fefffffffffffff] are clamped to that range (epoch ns never are).
 *
 * @example
 * ```ts
 * timeBits(2n) > timeBits(1n); // true
 * bitsTime(timeBits(1795582595489055876n)); // 1795582595489055876n
 * ```
 */
export function timeBits(t: Nanos): number {
  BIG[0] = t < 0n ? 0n : t > MAX ? MAX : t;
  return BITS[0]!;
}

/** The time whose bits {@link timeBits} gave (exact). */
export function bitsTime(bits: number): Nanos {
  BITS[0] = bits;
  return BIG[0]!;
}
