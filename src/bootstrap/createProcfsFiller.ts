/**
 * Runtime fill: reads processes the tree does not know yet, rate-limited and off the caller's path.
 *
 * @module
 */
import { asyncScheduler, Observable, Subject, type SchedulerLike, type Subscription } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Nanos } from '../streams/types.js';
import type { ProcfsTaskRecord } from '../tree/records.js';
import { estimateBootEpochNs } from './estimateBootEpochNs.js';
import { makeContext, nodeIo, readGroup } from './internal/procfsReader.js';
import { parseProcStatus } from './parseProcStatus.js';
import type { ProcfsReadOptions } from './procfsTypes.js';

/** Options of {@link createProcfsFiller}. */
export interface ProcfsFillerOptions extends ProcfsReadOptions {
  /** The procfs mount. Default `/proc`. */
  readonly root?: string;
  /** Sustained reads (processes) per second. Default 200. */
  readonly ratePerSecond?: number;
  /** Token-bucket size: reads allowed at once after a quiet period. Default 50. */
  readonly burst?: number;
  /** Queue bound, like Tracee's 1000-slot channel: requests beyond it are dropped and counted. Default 1000. */
  readonly maxPending?: number;
  /** A pid read less than this long ago (scheduler time, ms) is not read again. Default 1000. */
  readonly dedupWindowMs?: number;
  /** Drives the reads; virtual time in tests. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** Counters of a {@link ProcfsFiller}. */
export interface ProcfsFillerStats {
  /** Calls to `request` (before close). */
  readonly requested: number;
  /** Requests ignored because the pid was queued already or read within `dedupWindowMs`. */
  readonly deduplicated: number;
  /** Requests dropped because `maxPending` pids were queued. */
  readonly dropped: number;
  /** Requests ignored because the pid is not a positive integer. */
  readonly invalid: number;
  /** Processes read (each with its threads). */
  readonly read: number;
  /** Processes gone by the time they were read. */
  readonly vanished: number;
  /** Processes that could not be read for another reason (permission, malformed files). */
  readonly errors: number;
  /** Pids waiting now. */
  readonly pending: number;
}

/** A running filler. */
export interface ProcfsFiller {
  /** Queues a pid (or a tid: its whole process is read). Never reads or blocks; O(1). */
  request(pid: number): void;
  /**
   * Records of every process read, leader first then its threads. Hot: subscribe before
   * requesting; records read while nobody listens are lost. Completes on `close()`.
   */
  readonly records$: Observable<ProcfsTaskRecord>;
  /** A snapshot of the counters. */
  stats(): ProcfsFillerStats;
  /** Cancels pending reads, drops the queue, completes `records$`. Idempotent. */
  close(): void;
}

const positive = (name: string, value: number): number => {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
};

/**
 * Creates a runtime procfs filler: `request(pid)` only enqueues; reads happen later on the
 * scheduler under a token bucket (`ratePerSecond`, `burst`), each pid's process and threads
 * read as by `readProcfsTask`. Unlike Tracee's loop (spec §5.1) the same pid is not read twice
 * within `dedupWindowMs`, nor queued twice; like it, the queue is bounded (`maxPending`) and
 * overflow is dropped and counted, never blocking the caller.
 *
 * @example
 * ```ts
 * import { createProcfsFiller, TreeBuilder } from 'proctree-rx';
 * const builder = new TreeBuilder();
 * const filler = createProcfsFiller({ ratePerSecond: 100 });
 * filler.records$.subscribe((r) => builder.applyRecord(r));
 * filler.request(4242); // e.g. a parent pid the tree has not seen
 * // later: filler.stats(); filler.close();
 * ```
 * @see scanProcfs
 */
export function createProcfsFiller(options: ProcfsFillerOptions = {}): ProcfsFiller {
  const root = options.root ?? '/proc';
  const rate = positive('ratePerSecond', options.ratePerSecond ?? 200);
  const burst = positive('burst', options.burst ?? 50);
  const maxPending = Math.floor(positive('maxPending', options.maxPending ?? 1000));
  const dedupWindow = options.dedupWindowMs ?? 1000;
  const scheduler = options.scheduler ?? asyncScheduler;
  const io = options.io ?? nodeIo;
  const records = new Subject<ProcfsTaskRecord>();

  let bootEpochNs: Nanos | undefined = options.bootEpochNs;
  let tokens = burst;
  let refilledAt = scheduler.now();
  let action: Subscription | undefined;
  let closed = false;
  // FIFO of pids: array with a head index, compacted when half consumed.
  let queue: number[] = [];
  let head = 0;
  const queued = new Set<number>();
  /** pid → scheduler time of its last read, oldest first (re-inserted on read). */
  const readAt = new Map<number, number>();
  const counts = { requested: 0, deduplicated: 0, dropped: 0, invalid: 0, read: 0, vanished: 0, errors: 0 };

  const refill = (): void => {
    const t = scheduler.now();
    tokens = Math.min(burst, tokens + ((t - refilledAt) * rate) / 1000);
    refilledAt = t;
  };

  const forget = (t: number): void => {
    for (const [pid, at] of readAt) {
      if (t - at < dedupWindow) break;
      readAt.delete(pid);
    }
  };

  const readOne = (ctx: ReturnType<typeof makeContext>, pid: number): void => {
    let group = readGroup(ctx, pid);
    const first = group.failures[0];
    if (group.readings.length === 0 && first?.kind === 'malformed') {
      // A tid (hidden /proc/<tid> directory): read its thread group instead.
      try {
        const status = parseProcStatus(io.readFile(`${root}/${pid}/status`));
        if (E.isRight(status) && status.right.tgid !== pid && status.right.tgid > 0) group = readGroup(ctx, status.right.tgid);
      } catch {
        // vanished meanwhile: keep the first failure
      }
    }
    const failure = group.readings.length === 0 ? group.failures[0] : undefined;
    if (failure === undefined) counts.read++;
    else if (failure.kind === 'vanished') counts.vanished++;
    else counts.errors++;
    for (const f of group.failures) options.onIssue?.(f);
    for (const reading of group.readings) {
      reading.issues.forEach((i) => options.onIssue?.(i));
      records.next(reading.record);
    }
  };

  const drain = (): void => {
    action = undefined;
    if (closed) return;
    refill();
    if (head < queue.length && tokens >= 1) {
      bootEpochNs ??= estimateBootEpochNs(root, undefined, io);
      const ctx = makeContext(root, { ...options, io, bootEpochNs });
      const t = scheduler.now();
      while (head < queue.length && tokens >= 1 && !closed) {
        const pid = queue[head++]!;
        queued.delete(pid);
        tokens -= 1;
        readAt.delete(pid);
        readAt.set(pid, t);
        readOne(ctx, pid);
      }
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
    }
    schedule();
  };

  function schedule(): void {
    if (closed || action !== undefined || head >= queue.length) return;
    const delay = tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1000) / rate);
    action = scheduler.schedule(drain, delay);
  }

  return {
    request(pid: number): void {
      if (closed) return;
      counts.requested++;
      if (!Number.isSafeInteger(pid) || pid <= 0) {
        counts.invalid++;
        return;
      }
      const t = scheduler.now();
      forget(t);
      const last = readAt.get(pid);
      if (queued.has(pid) || (last !== undefined && t - last < dedupWindow)) {
        counts.deduplicated++;
        return;
      }
      if (queue.length - head >= maxPending) {
        counts.dropped++;
        return;
      }
      queue.push(pid);
      queued.add(pid);
      if (action === undefined) {
        refill();
        schedule();
      }
    },
    records$: records.asObservable(),
    stats: () => ({ ...counts, pending: queue.length - head }),
    close(): void {
      if (closed) return;
      closed = true;
      action?.unsubscribe();
      action = undefined;
      queue = [];
      head = 0;
      queued.clear();
      records.complete();
    },
  };
}
