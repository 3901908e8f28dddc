/**
 * The procfs reading machinery shared by `readProcfsTask`, `scanProcfs` and
 * `createProcfsFiller`. Internal: not exported from the package.
 *
 * All reads are synchronous and small (a few hundred bytes each); callers that loop over many
 * tasks yield between batches.
 *
 * @internal
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { hashTaskId } from '../../streams/entityId.js';
import type { Nanos } from '../../streams/types.js';
import type { FileRecord, ProcfsTaskRecord } from '../../tree/records.js';
import { estimateBootEpochNs } from '../estimateBootEpochNs.js';
import { parseProcStat, PF_KTHREAD, type ProcStat } from '../parseProcStat.js';
import { parseProcStatus, type ProcStatus } from '../parseProcStatus.js';
import type { ProcfsIo, ProcfsIssue, ProcfsIssueKind, ProcfsReadOptions, ProcfsTaskReading } from '../procfsTypes.js';
import { toKernelDev } from '../toKernelDev.js';

const NS_PER_S = 1_000_000_000n;

let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a whole (small) file into text with one shared buffer: open, read until EOF, close —
 * no `fstat` (procfs reports size 0 anyway) and no per-call options parsing.
 */
const readSmallFile = (p: string): string => {
  const fd = fs.openSync(p, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const n = fs.readSync(fd, scratch, length, scratch.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return scratch.toString('utf8', 0, length);
  } finally {
    fs.closeSync(fd);
  }
};

/** `node:fs`, synchronous, as a {@link ProcfsIo}. */
export const nodeIo: ProcfsIo = {
  readFile: readSmallFile,
  readlink: (p) => fs.readlinkSync(p),
  stat: (p) => fs.statSync(p, { bigint: true }),
  readdir: (p) => fs.readdirSync(p),
};

/** `stat` + `status` of one task. */
export interface TaskCore {
  readonly stat: ProcStat;
  readonly status: ProcStatus;
}

/** Everything a read needs, resolved once. */
export interface ReaderContext {
  readonly root: string;
  readonly io: ProcfsIo;
  readonly clockTicks: bigint;
  readonly bootEpochNs: Nanos;
  readonly now: () => Nanos;
  /** Process cores by tgid (null: known to be gone). Lives as long as one scan or one fill read. */
  readonly processes: Map<number, TaskCore | null>;
}

/** Resolves the options into a context (estimating the boot time when not given). */
export function makeContext(root: string, options: ProcfsReadOptions): ReaderContext {
  const io = options.io ?? nodeIo;
  const ticks = options.clockTicks ?? 100;
  if (!Number.isInteger(ticks) || ticks <= 0) throw new RangeError(`clockTicks must be a positive integer, got ${ticks}`);
  return {
    root,
    io,
    clockTicks: BigInt(ticks),
    bootEpochNs: options.bootEpochNs ?? estimateBootEpochNs(root, undefined, io),
    now: options.now ?? (() => BigInt(Date.now()) * 1_000_000n),
    processes: new Map(),
  };
}

/** Node error code → issue kind. */
export function kindOf(error: unknown): ProcfsIssueKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR') return 'vanished';
  if (code === 'EACCES' || code === 'EPERM') return 'permission-denied';
  return 'io';
}

const issue = (kind: ProcfsIssueKind, pid: number, tid: number | undefined, file: string, message: string): ProcfsIssue => ({
  kind,
  pid,
  tid,
  path: file,
  message,
});

const fromError = (error: unknown, pid: number, tid: number | undefined, file: string): ProcfsIssue => {
  const kind = kindOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  const what = kind === 'vanished' ? 'task vanished' : kind === 'permission-denied' ? 'permission denied' : 'read failed';
  return issue(kind, pid, tid, file, `${what} (${typeof code === 'string' ? code : String(error)}) reading ${file}`);
};

/** `<root>/<pid>` or `<root>/<pid>/task/<tid>`. */
export const taskDir = (root: string, pid: number, tid: number | undefined): string =>
  tid === undefined || tid === pid ? `${root}/${pid}` : `${root}/${pid}/task/${tid}`;

/** Reads and checks `stat` + `status` of a process (`tid` undefined) or of one of its threads. */
export function readCore(ctx: ReaderContext, pid: number, tid: number | undefined): E.Either<ProcfsIssue, TaskCore> {
  const dir = taskDir(ctx.root, pid, tid);
  const want = tid ?? pid;
  let statText: string;
  let statusText: string;
  try {
    statText = ctx.io.readFile(`${dir}/stat`);
  } catch (error) {
    return E.left(fromError(error, pid, tid, `${dir}/stat`));
  }
  try {
    statusText = ctx.io.readFile(`${dir}/status`);
  } catch (error) {
    return E.left(fromError(error, pid, tid, `${dir}/status`));
  }
  const stat = parseProcStat(statText);
  if (E.isLeft(stat)) return E.left(issue('malformed', pid, tid, `${dir}/stat`, stat.left));
  const status = parseProcStatus(statusText);
  if (E.isLeft(status)) return E.left(issue('malformed', pid, tid, `${dir}/status`, status.left));
  const s = status.right;
  if (s.pid !== want || stat.right.pid !== want) {
    return E.left(issue('malformed', pid, tid, dir, `ids disagree: directory ${want}, stat ${stat.right.pid}, status Pid ${s.pid}`));
  }
  if (s.tgid !== pid) {
    return E.left(issue('malformed', pid, tid, dir, `task ${want} belongs to thread group ${s.tgid}, not ${pid}`));
  }
  return E.right({ stat: stat.right, status: s });
}

/** A process's core from the context's cache, reading it on a miss. */
export function processCore(ctx: ReaderContext, pid: number): E.Either<ProcfsIssue, TaskCore> {
  const cached = ctx.processes.get(pid);
  if (cached) return E.right(cached);
  if (cached === null) return E.left(issue('vanished', pid, undefined, `${ctx.root}/${pid}`, `process ${pid} is gone`));
  const core = readCore(ctx, pid, undefined);
  if (E.isRight(core)) ctx.processes.set(pid, core.right);
  else if (core.left.kind === 'vanished') ctx.processes.set(pid, null);
  return core;
}

/** Start since boot in ns, exactly as Tracee computes it from procfs: `ticks * 1e9 / CLK_TCK`. */
export const sinceBootNs = (ctx: ReaderContext, ticks: bigint): Nanos => (ticks * NS_PER_S) / ctx.clockTicks;

/** Entity id of a task from procfs. */
export const entityIdOf = (ctx: ReaderContext, tid: number, ticks: bigint): number => hashTaskId(tid, sinceBootNs(ctx, ticks));

/** Executable and argv of a process (shared by its threads). */
export interface ProgramInfo {
  readonly executable: FileRecord | undefined;
  readonly argv: readonly string[] | undefined;
  readonly issues: readonly ProcfsIssue[];
}

const NO_PROGRAM: ProgramInfo = { executable: undefined, argv: undefined, issues: [] };

/**
 * Resolves an `exe` link target for reporting. The kernel's magic link is always absolute; a
 * relative one only occurs in fixture trees, where it is resolved against the link's directory
 * and reported as an absolute path under the root's parent (a fixture is a small file system
 * with `proc/` beside `usr/`).
 */
const reportedPath = (ctx: ReaderContext, linkDir: string, target: string): string => {
  if (path.isAbsolute(target)) return target;
  const resolved = path.resolve(linkDir, target);
  return `/${path.relative(path.dirname(path.resolve(ctx.root)), resolved).split(path.sep).join('/')}`;
};

/** Reads `exe` (readlink + stat through the link) and `cmdline`. Skipped for kernel threads. */
export function readProgram(ctx: ReaderContext, pid: number, tid: number | undefined, core: TaskCore): ProgramInfo {
  if ((core.stat.flags & PF_KTHREAD) !== 0) return NO_PROGRAM;
  const dir = taskDir(ctx.root, pid, tid);
  const issues: ProcfsIssue[] = [];
  const note = (error: unknown, file: string): void => {
    // ENOENT on exe/cmdline is normal for zombies and tasks exiting right now: not an issue.
    if (kindOf(error) !== 'vanished') issues.push(fromError(error, pid, tid, file));
  };
  let executable: FileRecord | undefined;
  try {
    const target = ctx.io.readlink(`${dir}/exe`);
    try {
      const st = ctx.io.stat(`${dir}/exe`);
      executable = {
        path: reportedPath(ctx, dir, target),
        dev: toKernelDev(st.dev),
        inode: BigInt(st.ino),
        ctime: typeof st.ctimeMs === 'bigint' ? (st as fs.BigIntStats).ctimeNs : BigInt(Math.round(st.ctimeMs * 1e6)),
        mode: Number(st.mode),
      };
    } catch (error) {
      note(error, `${dir}/exe`);
    }
  } catch (error) {
    note(error, `${dir}/exe`);
  }
  let argv: readonly string[] | undefined;
  try {
    const raw = ctx.io.readFile(`${dir}/cmdline`);
    if (raw !== '') argv = (raw.endsWith('\0') ? raw.slice(0, -1) : raw).split('\0');
  } catch (error) {
    note(error, `${dir}/cmdline`);
  }
  return { executable, argv, issues };
}

const last = (values: readonly number[]): number => values[values.length - 1]!;

/**
 * Builds the record of one task from its core, its process's core (the leader; the same core
 * for a leader) and its program.
 */
export function buildReading(
  ctx: ReaderContext,
  core: TaskCore,
  leader: TaskCore,
  program: ProgramInfo,
): ProcfsTaskReading {
  const { stat, status } = core;
  const issues: ProcfsIssue[] = [...program.issues];
  const tid = status.pid;
  const pid = status.tgid;
  const isThread = tid !== pid;
  const id = entityIdOf(ctx, tid, stat.startTicks);
  const leaderId = isThread ? entityIdOf(ctx, pid, leader.stat.startTicks) : id;
  let parentId = 0;
  let nsPpid: number | undefined = status.ppid === 0 ? 0 : undefined;
  if (status.ppid > 0) {
    const parent = processCore(ctx, status.ppid);
    if (E.isLeft(parent)) {
      issues.push({ ...parent.left, message: `parent of ${tid}: ${parent.left.message}` });
    } else if (parent.right.stat.startTicks > leader.stat.startTicks) {
      // The pid was reused after the real parent exited: not this task's parent.
      issues.push(issue('vanished', pid, isThread ? tid : undefined, `${ctx.root}/${status.ppid}`, `parent ${status.ppid} of ${tid} was replaced by a newer process`));
    } else {
      parentId = entityIdOf(ctx, status.ppid, parent.right.stat.startTicks);
      // The parent's id in this task's own (innermost) namespace; absent when the parent lives
      // in an outer namespace, where the kernel's getppid() answers 0.
      nsPpid = parent.right.status.nsTgid[status.nsTgid.length - 1] ?? 0;
    }
  }
  const record: ProcfsTaskRecord = {
    kind: 'procfs',
    source: 'procfs',
    time: ctx.now(),
    id,
    leaderId,
    parentId,
    ids: { tid, nsTid: last(status.nsPid), pid, nsPid: last(status.nsTgid) },
    ppid: status.ppid,
    nsPpid,
    startTime: ctx.bootEpochNs + sinceBootNs(ctx, stat.startTicks),
    name: stat.comm,
    uid: status.uid,
    gid: status.gid,
    executable: program.executable,
    argv: program.argv,
    isThread,
    // A leader in state Z whose group still has live threads has exited alone: the process lives on.
    zombie: stat.state === 'Z' && (isThread || stat.numThreads <= 1),
  };
  return { record, kernelThread: (stat.flags & PF_KTHREAD) !== 0, issues };
}

/** Numeric entries of a directory (pids or tids), in numeric order. */
export function numericEntries(ctx: ReaderContext, dir: string): number[] {
  const out: number[] = [];
  for (const name of ctx.io.readdir(dir)) {
    if (name.length > 0 && name.length < 11 && /^\d+$/.test(name)) out.push(Number(name));
  }
  return out.sort((a, b) => a - b);
}

/** Result of reading a whole thread group. */
export interface GroupReading {
  readonly readings: readonly ProcfsTaskReading[];
  /** Fatal per-task problems (the task produced no reading). */
  readonly failures: readonly ProcfsIssue[];
}

/**
 * Reads a process and all its threads (leader first, threads in tid order). Threads share the
 * leader's `exe` and `cmdline` (one address space), so those are read once — unless the leader
 * has none (it exited alone), then each thread's own are read.
 *
 * @param tids - the group's thread ids when already listed; read from `task/` otherwise.
 */
export function readGroup(ctx: ReaderContext, pid: number, tids?: readonly number[]): GroupReading {
  const leader = processCore(ctx, pid);
  if (E.isLeft(leader)) return { readings: [], failures: [leader.left] };
  const program = readProgram(ctx, pid, undefined, leader.right);
  const readings: ProcfsTaskReading[] = [buildReading(ctx, leader.right, leader.right, program)];
  const failures: ProcfsIssue[] = [];
  let threadIds = tids;
  if (threadIds === undefined) {
    try {
      threadIds = numericEntries(ctx, `${ctx.root}/${pid}/task`);
    } catch (error) {
      failures.push(fromError(error, pid, undefined, `${ctx.root}/${pid}/task`));
      threadIds = [];
    }
  }
  // A leader that exited alone (zombie) has no program any more; its live threads still do.
  const ownProgram = program.executable === undefined && program.argv === undefined;
  const shared: ProgramInfo = { executable: program.executable, argv: program.argv, issues: [] };
  for (const tid of threadIds) {
    if (tid === pid) continue;
    const core = readCore(ctx, pid, tid);
    if (E.isLeft(core)) failures.push(core.left);
    else readings.push(buildReading(ctx, core.right, leader.right, ownProgram ? readProgram(ctx, pid, tid, core.right) : shared));
  }
  return { readings, failures };
}
