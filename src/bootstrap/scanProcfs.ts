/**
 * The start-up procfs scan: every process and thread as a {@link ProcfsTaskRecord}.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { Observable } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { ProcfsTaskRecord } from '../tree/records.js';
import { makeContext, numericEntries, processCore, readGroup, type TaskCore } from './internal/procfsReader.js';
import type { ProcfsIssue, ProcfsReadOptions, ProcfsScanStats, ProcfsTaskReading } from './procfsTypes.js';

/** Options of {@link scanProcfs}. */
export interface ScanProcfsOptions extends ProcfsReadOptions {
  /** The procfs mount (or a fixture tree shaped like one). Default `/proc`. */
  readonly root?: string;
  /** Called once with the counts, just before the observable completes. */
  readonly onStats?: (stats: ProcfsScanStats) => void;
  /** Longest stretch of synchronous reads before yielding to the event loop, in ms. Default 4. */
  readonly sliceMs?: number;
}

interface Listed {
  readonly pid: number;
  readonly core: TaskCore;
}

/**
 * Orders processes so that parents come before children: by start ticks, then pid, then each
 * process is preceded by any not-yet-emitted ancestor (same-tick ties and pid wrap-around).
 * O(n).
 */
const parentsFirst = (listed: Listed[]): Listed[] => {
  listed.sort((a, b) => (a.core.stat.startTicks < b.core.stat.startTicks ? -1 : a.core.stat.startTicks > b.core.stat.startTicks ? 1 : a.pid - b.pid));
  const byPid = new Map(listed.map((l) => [l.pid, l]));
  const placed = new Set<number>();
  const out: Listed[] = [];
  for (const entry of listed) {
    const chain: Listed[] = [];
    const inChain = new Set<number>();
    let cur: Listed | undefined = entry;
    while (cur !== undefined && !placed.has(cur.pid) && !inChain.has(cur.pid)) {
      chain.push(cur);
      inChain.add(cur.pid);
      cur = byPid.get(cur.core.status.ppid);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      placed.add(chain[i]!.pid);
      out.push(chain[i]!);
    }
  }
  return out;
};

/**
 * Scans procfs: one record per process and per thread (`<root>/<pid>/task/<tid>`), built by the
 * same rules as {@link readProcfsTask}. Cold: every subscription scans anew, then completes.
 *
 * Order: processes by start time with every parent before its children, each leader followed
 * by its threads (tid order). Reads are synchronous in slices of at most `sliceMs` (4 ms),
 * with a `setImmediate` between slices, so the event loop is never held for long;
 * unsubscribing stops the scan at the next slice.
 *
 * Races are normal and never fatal: a task that vanishes mid-read, an `exe` that cannot be read
 * (EACCES), a kernel thread (no exe, no cmdline), a zombie (`zombie: true`) are counted in the
 * {@link ProcfsScanStats} passed to `onStats`, and every problem goes to `onIssue`. Only an
 * unreadable root is an error.
 *
 * Threads share the leader's `exe` and `cmdline` (one address space): they are read once per
 * process. Processes whose `stat` says one thread skip listing `task/`.
 *
 * @example
 * ```ts
 * import { scanProcfs } from 'proctree-rx';
 * scanProcfs({ onStats: (s) => console.error(s) }).subscribe((r) => console.log(r.ids.pid, r.name));
 * ```
 * @see readProcfsTask
 * @see createProcfsFiller
 */
export function scanProcfs(options: ScanProcfsOptions = {}): Observable<ProcfsTaskRecord> {
  const root = options.root ?? '/proc';
  const sliceMs = options.sliceMs ?? 4;
  return new Observable<ProcfsTaskRecord>((subscriber) => {
    let closed = false;
    let immediate: NodeJS.Immediate | undefined;
    const stats = { tasks: 0, processes: 0, threads: 0, vanished: 0, permissionDenied: 0, kernelThreads: 0, zombies: 0, errors: 0 };
    const report = (issue: ProcfsIssue, fatal: boolean): void => {
      if (issue.kind === 'permission-denied') stats.permissionDenied++;
      if (fatal) {
        if (issue.kind === 'vanished') stats.vanished++;
        else if (issue.kind !== 'permission-denied') stats.errors++;
      }
      options.onIssue?.(issue);
    };
    const emit = (reading: ProcfsTaskReading): void => {
      reading.issues.forEach((i) => report(i, false));
      const r = reading.record;
      stats.tasks++;
      if (r.isThread) stats.threads++;
      else stats.processes++;
      if (reading.kernelThread) stats.kernelThreads++;
      if (r.zombie) stats.zombies++;
      subscriber.next(r);
    };

    /** Runs `step(i)` for i in [0, n) in time slices; then `done`. */
    const sliced = (n: number, step: (i: number) => void, done: () => void): void => {
      let i = 0;
      const run = (): void => {
        immediate = undefined;
        if (closed) return;
        try {
          const until = performance.now() + sliceMs;
          while (i < n && !closed) {
            step(i++);
            if (performance.now() >= until) break;
          }
        } catch (error) {
          subscriber.error(error);
          return;
        }
        if (closed) return;
        if (i < n) immediate = setImmediate(run);
        else immediate = setImmediate(done);
      };
      run();
    };

    let ctx: ReturnType<typeof makeContext>;
    let pids: number[];
    try {
      ctx = makeContext(root, options);
      pids = numericEntries(ctx, root);
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }

    const listed: Listed[] = [];
    // Phase 1: every process's stat + status (also the cache for parent and leader lookups).
    sliced(
      pids.length,
      (i) => {
        const pid = pids[i]!;
        const core = processCore(ctx, pid);
        if (E.isLeft(core)) report(core.left, true);
        else listed.push({ pid, core: core.right });
      },
      () => {
        immediate = undefined;
        if (closed) return;
        const order = parentsFirst(listed);
        // Phase 2: program of each process, then its threads; emit in order.
        sliced(
          order.length,
          (i) => {
            const { pid, core } = order[i]!;
            let tids: number[] = [pid];
            if (core.stat.numThreads > 1) {
              try {
                tids = numericEntries(ctx, `${root}/${pid}/task`);
              } catch {
                tids = [pid];
              }
            }
            const group = readGroup(ctx, pid, tids);
            group.failures.forEach((f) => report(f, true));
            group.readings.forEach(emit);
          },
          () => {
            immediate = undefined;
            if (closed) return;
            options.onStats?.({ ...stats });
            subscriber.complete();
          },
        );
      },
    );
    return () => {
      closed = true;
      if (immediate !== undefined) clearImmediate(immediate);
    };
  });
}
