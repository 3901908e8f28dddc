/**
 * Event-time ordering with a bounded reorder window.
 *
 * @module
 */
import { asyncScheduler, Observable } from 'rxjs';
import type { MonoTypeOperatorFunction, SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import type { Envelope, Nanos } from '../streams/types.js';
import { compareEnvelopes } from './compareEnvelopes.js';
import { markLate } from '../streams/lineEnvelope.js';
import { createTimeSlice } from '../streams/timeSlice.js';

/** Default reorder window: 1 s of event time. */
const DEFAULT_WINDOW: Nanos = 1_000_000_000n;
/** Default idle flush: 1000 ms of scheduler time (bounded windows only). */
const DEFAULT_IDLE_FLUSH_MS = 1000;
/** Default cap on buffered events (bounded windows only; `'unbounded'` has no cap by default). */
const DEFAULT_MAX_BUFFERED = 1_000_000;
/**
 * Default cap on buffered bytes (bounded windows only): 16 MiB as {@link envelopeBytes} counts
 * them. A 1 KB Tracee line counts about 2.2 KB, so about 7.5 k such events are held at most. The
 * process's RSS grows by 4–6× what is counted (the garbage collector's headroom, and held events
 * surviving young-generation collections), measured on 300 k events piped into `tree` as fast as
 * `cat` goes: cap 1 MiB → 168 MB peak RSS, 16 MiB → 273 MB, 32 MiB → 348 MB, 64 MiB → 454 MB,
 * none (only the 1 M-event cap) → 598 MB.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Fixed part of {@link envelopeBytes}: the envelope object, its origin and its exact times. */
const ENVELOPE_OVERHEAD_BYTES = 256;

/**
 * The memory an envelope held for ordering is counted as: twice its line's length (the line and
 * the event parsed from it, measured at 1.24× the line for Tracee events) plus 256 bytes for the
 * envelope. An envelope built in code (no line) counts 256 bytes.
 */
export const envelopeBytes = (env: Envelope): number => ENVELOPE_OVERHEAD_BYTES + 2 * (env.raw?.length ?? 0);

/** Options for {@link sortByTimestamp} (and {@link mergeByTimestamp}). */
export interface SortByTimestampOptions {
  /**
   * How far back in event time (ns) an event may arrive and still be put in its place.
   * An event is released once the highest timestamp seen is at least `window` ns past it.
   * `0n` = no reordering (pass-through; anything out of order is flagged late).
   * `'unbounded'` = full sort, released at completion: for finite inputs (files); it holds
   * the whole input in memory. Default `1_000_000_000n` (1 s).
   */
  readonly window?: Nanos | 'unbounded';
  /**
   * Milliseconds of scheduler time without any input after which everything buffered is
   * released (so a quiet live stream is not held back). `0` = never.
   * Default `1000`, or `0` when `window` is `'unbounded'`.
   */
  readonly idleFlush?: number;
  /**
   * Hard cap on buffered events; above it the lowest-keyed event is released early (later
   * arrivals below it become late). Default `1_000_000`, or `Infinity` when `window` is
   * `'unbounded'`.
   */
  readonly maxBuffered?: number;
  /**
   * Hard cap on buffered bytes, as {@link envelopeBytes} counts them; above it the lowest-keyed
   * event is released early, as with `maxBuffered`. Default {@link DEFAULT_MAX_BUFFERED_BYTES}
   * (16 MiB), or `Infinity` when `window` is `'unbounded'`.
   */
  readonly maxBufferedBytes?: number;
  /** Scheduler of the idle-flush timer (default `asyncScheduler`; a `TestScheduler` in tests). */
  readonly scheduler?: SchedulerLike;
  /**
   * Called for each late event, before it is emitted: the event as it arrived, by how many ns
   * it is behind the last event emitted (`0n` when only rank or seq put it behind), and the
   * number of late events so far in this subscription.
   */
  readonly onLate?: (env: Envelope, by: Nanos, count: number) => void;
}

/**
 * A binary min-heap of envelopes keyed by `(timestamp, rank, seq, arrival)`. Arrival order is
 * the last tie-break, so equal keys come out in the order they went in (a stable sort).
 * Parallel arrays, no allocation per comparison; `push`/`pop` are O(log n).
 */
class EnvelopeHeap {
  private readonly items: Envelope[] = [];
  private readonly arrival: number[] = [];
  private nextArrival = 0;

  get size(): number {
    return this.items.length;
  }

  /** The least envelope; only valid when `size > 0`. */
  peek(): Envelope {
    return this.items[0] as Envelope;
  }

  push(env: Envelope): void {
    const items = this.items;
    const arrival = this.arrival;
    const ord = this.nextArrival++;
    let i = items.length;
    items.push(env);
    arrival.push(ord);
    while (i > 0) {
      const p = (i - 1) >>> 1;
      const parent = items[p] as Envelope;
      const c = compareEnvelopes(env, parent);
      if (c > 0 || (c === 0 && ord > (arrival[p] as number))) break;
      items[i] = parent;
      arrival[i] = arrival[p] as number;
      i = p;
    }
    items[i] = env;
    arrival[i] = ord;
  }

  /** Removes and returns the least envelope; only valid when `size > 0`. */
  pop(): Envelope {
    const items = this.items;
    const arrival = this.arrival;
    const top = items[0] as Envelope;
    const last = items.pop() as Envelope;
    const lastOrd = arrival.pop() as number;
    const n = items.length;
    if (n === 0) return top;
    // Sift the hole at the root down, then drop the former last element into it.
    let i = 0;
    while (true) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(right, child)) child = right;
      const ce = items[child] as Envelope;
      const c = compareEnvelopes(ce, last);
      if (c > 0 || (c === 0 && (arrival[child] as number) > lastOrd)) break;
      items[i] = ce;
      arrival[i] = arrival[child] as number;
      i = child;
    }
    items[i] = last;
    arrival[i] = lastOrd;
    return top;
  }

  clear(): void {
    this.items.length = 0;
    this.arrival.length = 0;
  }

  private less(i: number, j: number): boolean {
    const c = compareEnvelopes(this.items[i] as Envelope, this.items[j] as Envelope);
    return c < 0 || (c === 0 && (this.arrival[i] as number) < (this.arrival[j] as number));
  }
}

function validate(options: SortByTimestampOptions): void {
  const { window, idleFlush, maxBuffered, maxBufferedBytes } = options;
  if (window !== undefined && window !== 'unbounded' && (typeof window !== 'bigint' || window < 0n)) {
    throw new RangeError(`sortByTimestamp: window must be a bigint >= 0n or 'unbounded', got ${String(window)}`);
  }
  if (idleFlush !== undefined && !(idleFlush >= 0 && idleFlush !== Infinity)) {
    throw new RangeError(`sortByTimestamp: idleFlush must be a finite number of ms >= 0, got ${idleFlush}`);
  }
  if (maxBuffered !== undefined && !(maxBuffered >= 0)) {
    throw new RangeError(`sortByTimestamp: maxBuffered must be >= 0, got ${maxBuffered}`);
  }
  if (maxBufferedBytes !== undefined && !(maxBufferedBytes >= 0)) {
    throw new RangeError(`sortByTimestamp: maxBufferedBytes must be >= 0, got ${maxBufferedBytes}`);
  }
}

/**
 * Puts envelopes in event-time order — key `(timestamp, rank, seq)`, see {@link compareEnvelopes}
 * — with a bounded reorder window (an event-time watermark).
 *
 * - Buffers in a binary min-heap (O(log n) per event, no allocation per comparison) and tracks
 *   the highest timestamp seen, `maxTs`; releases, in order, every buffered event with
 *   `timestamp <= maxTs - window`.
 * - **Late events** — keyed below the last event emitted — are never dropped: they are emitted
 *   at once as a copy with `late: true`, and `onLate` is called. Every other event comes out in
 *   non-decreasing key order; equal keys keep arrival order.
 * - **Idle flush**: after `idleFlush` ms of scheduler time with no input, everything buffered is
 *   released (a live stream that goes quiet is not held back).
 * - **Cap**: above `maxBuffered` buffered events, or `maxBufferedBytes` buffered bytes (see
 *   {@link envelopeBytes}), the least is released early.
 * - **Complete**: releases everything in order, then completes.
 * - **Error**: releases everything buffered in order, then forwards the error (nothing that
 *   arrived is lost).
 * - **Unsubscribe**: cancels the idle timer and drops the buffer.
 *
 * `window: 'unbounded'` is a full sort at completion (memory = the whole input; no idle flush
 * and no cap unless given). Each subscription has its own buffer.
 *
 * @example
 * ```ts
 * import { sortByTimestamp } from 'proctree-rx';
 * envelopes$.pipe(sortByTimestamp({ window: 500_000_000n, onLate: (e, by) => warn(e.origin, by) }));
 * fileEnvelopes$.pipe(sortByTimestamp({ window: 'unbounded' })); // exact order for a file
 * ```
 * @throws RangeError on a negative `window`, a negative or infinite `idleFlush`, or a negative `maxBuffered`.
 * @see mergeByTimestamp
 * @see compareEnvelopes
 */
export function sortByTimestamp(options: SortByTimestampOptions = {}): MonoTypeOperatorFunction<Envelope> {
  validate(options);
  const unbounded = options.window === 'unbounded';
  const window: Nanos = options.window === undefined || options.window === 'unbounded' ? DEFAULT_WINDOW : options.window;
  const idleFlush = options.idleFlush ?? (unbounded ? 0 : DEFAULT_IDLE_FLUSH_MS);
  const maxBuffered = options.maxBuffered ?? (unbounded ? Infinity : DEFAULT_MAX_BUFFERED);
  const maxBytes = options.maxBufferedBytes ?? (unbounded ? Infinity : DEFAULT_MAX_BUFFERED_BYTES);
  const countBytes = maxBytes !== Infinity;
  const onLate = options.onLate;

  return (source) =>
    new Observable<Envelope>((subscriber) => {
      const scheduler = options.scheduler ?? asyncScheduler;
      const heap = new EnvelopeHeap();
      /** Release limit `maxTs - window`; undefined until the first event (or always, when unbounded). */
      let threshold: Nanos | undefined;
      let maxTs: Nanos | undefined;
      /** The greatest envelope emitted so far (late copies excluded). */
      let lastEmitted: Envelope | undefined;
      let lateCount = 0;
      let lastInputAt = 0;
      let timer: Subscription | undefined;
      /** Bytes held (as envelopeBytes counts them), when a byte cap applies. */
      let heldBytes = 0;

      const releaseOne = (): void => {
        const env = heap.pop();
        if (countBytes) heldBytes -= envelopeBytes(env);
        lastEmitted = env;
        subscriber.next(env);
      };
      const releaseUpTo = (limit: Nanos): void => {
        while (heap.size > 0 && !subscriber.closed && heap.peek().timestamp <= limit) releaseOne();
      };
      const releaseAll = (): void => {
        while (heap.size > 0 && !subscriber.closed) releaseOne();
      };
      /** The release at the end, when it takes more than a time slice: continued on the scheduler. */
      let finishing: Subscription | undefined;
      const slice = createTimeSlice();
      /**
       * Releases everything held, then calls `end`. A large window (a whole file) is released a
       * time slice at a time, so that a signal or a timer gets its turn between slices.
       */
      const releaseThen = (end: () => void): void => {
        finishing = undefined;
        timer?.unsubscribe();
        timer = undefined;
        slice.start();
        while (heap.size > 0 && !subscriber.closed) {
          if (slice.expired()) {
            finishing = scheduler.schedule(() => releaseThen(end));
            return;
          }
          releaseOne();
        }
        if (!subscriber.closed) end();
      };
      // One action at a time: on firing, flush if the input has really been idle long enough,
      // else re-arm for the remainder (no timer churn per event).
      function onIdleTimer(this: SchedulerAction<undefined>): void {
        const idle = scheduler.now() - lastInputAt;
        if (idle >= idleFlush) {
          timer = undefined;
          releaseAll();
        } else if (heap.size > 0) {
          this.schedule(undefined, idleFlush - idle);
        } else {
          timer = undefined;
        }
      }

      const upstream = source.subscribe({
        next: (env) => {
          if (subscriber.closed) return;
          try {
            if (idleFlush > 0) lastInputAt = scheduler.now();
            if (lastEmitted !== undefined && compareEnvelopes(env, lastEmitted) < 0) {
              lateCount++;
              onLate?.(env, lastEmitted.timestamp - env.timestamp, lateCount);
              subscriber.next(markLate(env));
              return;
            }
            heap.push(env);
            if (countBytes) heldBytes += envelopeBytes(env);
            if (!unbounded && (maxTs === undefined || env.timestamp > maxTs)) {
              maxTs = env.timestamp;
              threshold = maxTs - window;
            }
            if (threshold !== undefined) releaseUpTo(threshold);
            while ((heap.size > maxBuffered || heldBytes > maxBytes) && heap.size > 0 && !subscriber.closed) releaseOne();
            if (idleFlush > 0 && timer === undefined && heap.size > 0 && !subscriber.closed) {
              timer = scheduler.schedule(onIdleTimer, idleFlush);
            }
          } catch (err) {
            subscriber.error(err);
          }
        },
        error: (err: unknown) => releaseThen(() => subscriber.error(err)),
        complete: () => releaseThen(() => subscriber.complete()),
      });

      return () => {
        upstream.unsubscribe();
        timer?.unsubscribe();
        timer = undefined;
        finishing?.unsubscribe();
        finishing = undefined;
        heap.clear();
        heldBytes = 0;
      };
    });
}
