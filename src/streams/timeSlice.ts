/**
 * Cooperative time slicing: long synchronous loops give the event loop a turn (signals, timers,
 * I/O) at least every few tens of milliseconds.
 *
 * @module
 */

/** Default length of a slice: 50 ms of wall time. */
export const DEFAULT_SLICE_MS = 50;

/** Loop iterations between two reads of the clock. */
const CHECK_EVERY = 16;

/** A slice of wall time for one synchronous stretch of work. */
export interface TimeSlice {
  /** Starts a new slice (call when the event loop gave the work its turn). */
  start(): void;
  /**
   * True once the slice has lasted its length: the loop should stop where it is and go on in a
   * later turn (`setImmediate`). Reads the clock only every 16th call.
   */
  expired(): boolean;
}

/**
 * A {@link TimeSlice} of `ms` milliseconds (default {@link DEFAULT_SLICE_MS}).
 *
 * @example
 * ```ts
 * import { createTimeSlice } from './timeSlice.js';
 * const slice = createTimeSlice();
 * const work = (): void => {
 *   slice.start();
 *   while (queue.length > 0) {
 *     if (slice.expired()) return void setImmediate(work);
 *     handle(queue.shift());
 *   }
 * };
 * ```
 */
export function createTimeSlice(ms: number = DEFAULT_SLICE_MS): TimeSlice {
  let startedAt = performance.now();
  let calls = 0;
  return {
    start() {
      startedAt = performance.now();
      calls = 0;
    },
    expired() {
      if (++calls < CHECK_EVERY) return false;
      calls = 0;
      return performance.now() - startedAt >= ms;
    },
  };
}
