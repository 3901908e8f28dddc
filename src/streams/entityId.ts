/**
 * Tracee's entity ids, bit for bit (spec §2): Murmur3 x86_32 with seed `0x18273645` over
 * 12 bytes — big-endian u32 id ‖ big-endian u64 start time — read as little-endian blocks.
 *
 * Start times are `bigint` so they stay exact above 2^53; the hash splits them into two u32
 * words, so no precision is lost anywhere on the way.
 *
 * @module
 */
import type { EntityId, Nanos } from './types.js';

/** Tracee's Murmur3 seed. */
export const MURMUR_SEED = 0x18273645;
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const N = 0xe6546b64;
const U32_MASK = 0xffffffffn;

/** Seed HashTaskID bucket: start times are truncated to 10 ms (1e9 / USER_HZ). */
export const SEED_BUCKET_NS = 10_000_000n;
/** Head HashTaskID bucket: 100 ms, applied to epoch start times. */
export const HEAD_BUCKET_NS = 100_000_000n;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

const mixBlock = (h: number, block: number): number => {
  let k = Math.imul(block, C1);
  k = rotl(k, 15);
  k = Math.imul(k, C2);
  h ^= k;
  h = rotl(h, 13);
  return (Math.imul(h, 5) + N) | 0;
};

const finalize = (h: number, length: number): number => {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** Reverses the byte order of a u32 (a big-endian word read as little-endian). */
const bswap32 = (x: number): number =>
  (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;

/**
 * Murmur3 x86_32 of a byte array, with Tracee's seed by default.
 *
 * @example
 * ```ts
 * import { murmur32 } from 'proctree-rx';
 * murmur32(new TextEncoder().encode('hello')); // 0x6fcfe226
 * ```
 */
export function murmur32(data: Uint8Array, seed: number = MURMUR_SEED): number {
  let h = seed | 0;
  const blocks = data.length >>> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i * 4;
    const block = data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24);
    h = mixBlock(h, block);
  }
  const tail = blocks * 4;
  const rest = data.length & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= data[tail + 2]! << 16;
    if (rest >= 2) k ^= data[tail + 1]! << 8;
    k ^= data[tail]!;
    k = Math.imul(k, C1);
    k = rotl(k, 15);
    k = Math.imul(k, C2);
    h ^= k;
  }
  return finalize(h, data.length);
}

/**
 * Tracee's `HashU32AndU64(a, b)`: Murmur3 over `BE32(a) ‖ BE64(b)`. No allocation.
 *
 * @example
 * ```ts
 * hashU32AndU64(1, 2n); // 0xd25f0e74
 * ```
 */
export function hashU32AndU64(a: number, b: bigint): number {
  const hi = Number((b >> 32n) & U32_MASK);
  const lo = Number(b & U32_MASK);
  let h = MURMUR_SEED;
  h = mixBlock(h, bswap32(a >>> 0));
  h = mixBlock(h, bswap32(hi));
  h = mixBlock(h, bswap32(lo));
  return finalize(h, 12);
}

/**
 * Tracee's (seed) `HashTaskID(tid, startTime)`: the entity id of a task.
 *
 * @param tid - host thread id (or host tgid for a process id).
 * @param startSinceBoot - the task's start time in **ns since boot**, exact. Truncated to
 *   `bucket` (10 ms at the seed) before hashing.
 * @param bucket - truncation bucket; {@link SEED_BUCKET_NS} by default. Head Tracee uses
 *   {@link HEAD_BUCKET_NS} on *epoch* start times.
 *
 * @example
 * ```ts
 * import { hashTaskId } from 'proctree-rx';
 * hashTaskId(1094692, 3602811296936n); // 8370164
 * ```
 */
export function hashTaskId(tid: number, startSinceBoot: Nanos, bucket: bigint = SEED_BUCKET_NS): EntityId {
  const rounded = startSinceBoot < 0n ? 0n : (startSinceBoot / bucket) * bucket;
  return hashU32AndU64(tid, rounded);
}
