/**
 * Reads one task from procfs into a `ProcfsTaskRecord` (src/tree/records.ts).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { buildReading, makeContext, processCore, readCore, readProgram } from './internal/procfsReader.js';
import type { ProcfsIssue, ProcfsReadOptions, ProcfsTaskReading } from './procfsTypes.js';

/**
 * Reads one task — a process (`tid` omitted or equal to `pid`) or one of its threads — from
 * `<root>/<pid>` or `<root>/<pid>/task/<tid>`:
 *
 * - `stat`: comm (raw, from the first `(` to the **last** `)`), state (`Z` → `zombie`, except a
 *   leader that exited alone while its group's other threads live on), flags
 *   (`PF_KTHREAD` → kernel thread: `exe`/`cmdline` are not read), field 22 `starttime` (ticks);
 * - `status`: `Pid`, `Tgid`, `PPid`, `NSpid`, `NStgid`, real `Uid`/`Gid`;
 * - `exe`: readlink for the path, stat through the link for `dev` (kernel form,
 *   `major << 20 | minor`), inode (bigint), ctime (exact ns) and full `st_mode`;
 * - `cmdline`: NUL-separated argv (`undefined` when empty: kernel threads, zombies).
 *
 * Ids are Tracee's, from procfs (spec §2.4): `id = hashTaskId(tid, ticks × 1e9 / CLK_TCK)` (ns
 * since boot, 10 ms buckets); `leaderId` the same for the thread group's leader; `parentId` the
 * same for the parent process read from `<root>/<ppid>/stat` (0 when `PPid` is 0, e.g. pid 1
 * and kthreadd, or when the parent vanished). `startTime = bootEpochNs + ticks × 1e9 / CLK_TCK`.
 *
 * Namespace ids (our choice, not Tracee's quirk Q8): `nsTid` is the **last** `NSpid` value and
 * `nsPid` the last `NStgid` value — the task's view from its own, innermost pid namespace.
 * `nsPpid` is the parent's `NStgid` at the same namespace level, 0 when the parent lives in an
 * outer namespace (what `getppid()` returns in a container's init), `undefined` when the parent
 * could not be read.
 *
 * Synchronous: a handful of small reads (tens of µs on a real /proc). Loops over many tasks
 * should yield between batches, as `scanProcfs` does.
 *
 * @returns the reading (record + kernel-thread flag + non-fatal issues such as `exe`
 *   permission denied), or the issue that prevented it (`vanished` when the task is gone).
 *   Every issue is also passed to `options.onIssue`.
 *
 * @example
 * ```ts
 * import { readProcfsTask } from 'proctree-rx';
 * import * as E from 'fp-ts/lib/Either.js';
 * const r = readProcfsTask('/proc', process.pid);
 * if (E.isRight(r)) console.log(r.right.record.id, r.right.record.executable?.path);
 * ```
 * @see scanProcfs
 * @see createProcfsFiller
 */
export function readProcfsTask(
  root: string,
  pid: number,
  tid?: number,
  options: ProcfsReadOptions = {},
): E.Either<ProcfsIssue, ProcfsTaskReading> {
  const ctx = makeContext(root, options);
  const threadId = tid === undefined || tid === pid ? undefined : tid;
  const report = (issue: ProcfsIssue): void => options.onIssue?.(issue);
  const core = threadId === undefined ? processCore(ctx, pid) : readCore(ctx, pid, threadId);
  if (E.isLeft(core)) {
    report(core.left);
    return core;
  }
  const leader = threadId === undefined ? core : processCore(ctx, pid);
  if (E.isLeft(leader)) {
    report(leader.left);
    return leader;
  }
  const reading = buildReading(ctx, core.right, leader.right, readProgram(ctx, pid, threadId, core.right));
  reading.issues.forEach(report);
  return E.right(reading);
}
