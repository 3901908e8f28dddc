/**
 * Small envelope builders for operator tests: an {@link Envelope} from its ordering key.
 *
 * @module
 */
import type { Envelope, TraceeArg, TraceeEvent } from '../../src/streams/types.js';

/** Options for {@link env}: the rest of the ordering key and the origin. */
export interface EnvKey {
  readonly rank?: number;
  readonly seq?: number;
  readonly source?: string;
}

/**
 * An envelope with the given exact timestamp, rank and seq (default `0`, `0`). The event is a
 * stub whose `timestamp` is the (possibly rounded) number, like a parsed line's.
 *
 * @example
 * ```ts
 * const a = env(100n, { rank: 1, seq: 3 });
 * ```
 */
export function env(timestamp: bigint, key: EnvKey = {}): Envelope {
  const seq = key.seq ?? 0;
  return {
    event: { timestamp: Number(timestamp), eventName: 'test' },
    raw: undefined,
    timestamp,
    threadStartTime: 0n,
    origin: { source: key.source ?? 'test', line: seq + 1 },
    seq,
    rank: key.rank ?? 0,
  };
}

/** An event's well-formed arguments (what a test reads of a fixture line's `args`). */
export const argsOf = (event: TraceeEvent): readonly TraceeArg[] =>
  (event.args ?? []).filter((a): a is TraceeArg => typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string');

/** The copy `sortByTimestamp` emits for a late envelope. */
export const late = (e: Envelope): Envelope => ({ ...e, late: true });
