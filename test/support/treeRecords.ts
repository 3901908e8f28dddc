/**
 * Small builders for tree records (src/tree/records.ts), so tree tests read as scenarios:
 * `forkProcess`, `forkThread`, `exec`, `exit`, `context`, `procfs`, `evict`, plus a few helpers
 * (`at`, `fileOf`, `applyAll`). Every builder takes an options object; anything not given gets a
 * plain, documented default.
 *
 * Convention used by the tests: entity ids and pids are *different* numbers (e.g. id 200 has
 * pid 20), so a test notices when one is used for the other.
 *
 * @module
 */
import type { EntityId, Nanos } from '../../src/streams/types.js';
import { applyRecord } from '../../src/tree/applyRecord.js';
import type { ProcessTree } from '../../src/tree/model.js';
import type {
  ContextRecord,
  EvictRecord,
  ExecRecord,
  ExitRecord,
  FileRecord,
  ForkRecord,
  ProcfsTaskRecord,
  RecordSource,
  TreeRecord,
} from '../../src/tree/records.js';

/** Boot epoch of the spec §1.3 example (ns). Test times are offsets from it. */
export const BOOT: Nanos = 1_696_266_000_000_000_000n;
/** One second in ns. */
export const SEC: Nanos = 1_000_000_000n;
/** One millisecond in ns. */
export const MS: Nanos = 1_000_000n;

/**
 * Epoch ns of `seconds` (may be fractional, ms precision) after {@link BOOT}, plus `ns`.
 * @example
 * ```ts
 * at(2) === BOOT + 2n * SEC; at(2, -1) is one ns before.
 * ```
 */
export const at = (seconds: number, ns = 0): Nanos => BOOT + BigInt(Math.round(seconds * 1000)) * MS + BigInt(ns);

/** A file record for `path` (dev 2049, inode derived from the path, ctime 0, mode 0o100755). */
export function fileOf(path: string, inode?: bigint): FileRecord {
  let h = 7n;
  for (const c of path) h = (h * 31n + BigInt(c.charCodeAt(0))) % 1_000_000_007n;
  return { path, dev: 2049, inode: inode ?? h, ctime: 0n, mode: 0o100755 };
}

/** Options of {@link forkProcess}. */
export interface ForkProcessOptions {
  readonly time: Nanos;
  readonly id: EntityId;
  readonly pid: number;
  /** Namespace pid (default = pid). */
  readonly nsPid?: number;
  readonly parentId: EntityId;
  readonly parentPid: number;
  readonly parentNsPid?: number;
  /** Epoch ns of the parent's start, when the record knows it. */
  readonly parentStartTime?: Nanos;
  /** Child start (default = time). */
  readonly startTime?: Nanos;
  /** comm inherited (default: none given — the tree takes the parent's). */
  readonly name?: string;
  readonly uid?: number;
  readonly containerId?: string;
  readonly source?: RecordSource;
}

/**
 * A fork that creates a new process `id` (its own leader) with parent process `parentId`.
 * @example
 * ```ts
 * const r = forkProcess({ time: at(2), id: 200, pid: 20, parentId: 100, parentPid: 10 });
 * ```
 */
export function forkProcess(o: ForkProcessOptions): ForkRecord {
  return {
    kind: 'fork',
    source: o.source ?? 'event',
    time: o.time,
    child: { id: o.id, tid: o.pid, nsTid: o.nsPid ?? o.pid, pid: o.pid, nsPid: o.nsPid ?? o.pid, startTime: o.startTime ?? o.time },
    leaderId: o.id,
    isThread: false,
    parent: {
      id: o.parentId,
      pid: o.parentPid,
      nsPid: o.parentNsPid ?? o.parentPid,
      tid: o.parentPid,
      nsTid: o.parentNsPid ?? o.parentPid,
      startTime: o.parentStartTime,
    },
    name: o.name,
    uid: o.uid,
    containerId: o.containerId,
  };
}

/** Options of {@link forkThread}. */
export interface ForkThreadOptions {
  readonly time: Nanos;
  readonly id: EntityId;
  readonly tid: number;
  /** The group (process) the thread joins. */
  readonly leaderId: EntityId;
  readonly pid: number;
  /** The group's parent process (a thread's parent is its leader's parent), 0 when unknown. */
  readonly parentId?: EntityId;
  readonly parentPid?: number;
  readonly startTime?: Nanos;
  readonly name?: string;
  readonly uid?: number;
  readonly source?: RecordSource;
}

/**
 * A fork that creates thread `id` (tid `tid`) in the existing group `leaderId` (pid `pid`).
 * @example
 * ```ts
 * const r = forkThread({ time: at(3), id: 201, tid: 21, leaderId: 200, pid: 20, parentId: 100, parentPid: 10 });
 * ```
 */
export function forkThread(o: ForkThreadOptions): ForkRecord {
  return {
    kind: 'fork',
    source: o.source ?? 'event',
    time: o.time,
    child: { id: o.id, tid: o.tid, nsTid: o.tid, pid: o.pid, nsPid: o.pid, startTime: o.startTime ?? o.time },
    leaderId: o.leaderId,
    isThread: true,
    parent: { id: o.parentId ?? 0, pid: o.parentPid ?? 0, nsPid: undefined, tid: undefined, nsTid: undefined, startTime: undefined },
    name: o.name,
    uid: o.uid,
    containerId: undefined,
  };
}

/** Options of {@link exec}. */
export interface ExecOptions {
  readonly time: Nanos;
  readonly id: EntityId;
  /** Executable path (also the cmdpath unless `cmdpath` is given). */
  readonly path: string;
  readonly cmdpath?: string;
  readonly argv?: readonly string[];
  /** Parent process id the record carries (events: parentEntityId; signals: parent_hash). */
  readonly parentId?: EntityId;
  /** Event context ids (omit to build a signal-like record with no task context). */
  readonly task?: { readonly pid: number; readonly ppid: number; readonly nsPid?: number; readonly startTime: Nanos };
  readonly name?: string;
  readonly uid?: number;
  readonly interpreter?: string;
  readonly interp?: string;
  readonly source?: RecordSource;
}

/**
 * An exec of `path` by process `id`.
 * @example
 * ```ts
 * const r = exec({ time: at(3), id: 200, path: '/usr/bin/ls', argv: ['ls', '-la'] });
 * ```
 */
export function exec(o: ExecOptions): ExecRecord {
  return {
    kind: 'exec',
    source: o.source ?? (o.task === undefined ? 'signal' : 'event'),
    time: o.time,
    taskId: o.id,
    parentId: o.parentId,
    task:
      o.task === undefined
        ? undefined
        : { tid: o.task.pid, nsTid: o.task.nsPid ?? o.task.pid, pid: o.task.pid, nsPid: o.task.nsPid ?? o.task.pid, ppid: o.task.ppid, startTime: o.task.startTime },
    name: o.name,
    cmdpath: o.cmdpath ?? o.path,
    argv: o.argv,
    executable: fileOf(o.path),
    interpreter: o.interpreter === undefined ? undefined : fileOf(o.interpreter),
    interp: o.interp ?? '',
    uid: o.uid,
    containerId: undefined,
  };
}

/** Options of {@link exit}. */
export interface ExitOptions {
  readonly time: Nanos;
  /** The exiting task (thread entity id). */
  readonly id: EntityId;
  /** Its process (default: the tree's knowledge, or `id`). */
  readonly leaderId?: EntityId;
  /** Raw kernel exit code (default 0). */
  readonly code?: number;
  /** `process_group_exit` (default false). */
  readonly group?: boolean;
  readonly source?: RecordSource;
}

/**
 * An exit of task `id`.
 * @example
 * ```ts
 * const r = exit({ time: at(4), id: 200, group: true, code: 256 });
 * ```
 */
export function exit(o: ExitOptions): ExitRecord {
  return {
    kind: 'exit',
    source: o.source ?? 'event',
    time: o.time,
    taskId: o.id,
    leaderId: o.leaderId,
    exitCode: o.code ?? 0,
    groupExit: o.group ?? false,
  };
}

/** Options of {@link context}. */
export interface ContextOptions {
  readonly time: Nanos;
  readonly threadId: EntityId;
  /** Process of the thread (default = threadId, i.e. a leader). */
  readonly processId?: EntityId;
  /** Current parent process (default 0 = unknown). */
  readonly parentId?: EntityId;
  readonly tid: number;
  /** Host pid (default = tid). */
  readonly pid?: number;
  readonly nsPid?: number;
  readonly ppid?: number;
  readonly threadStartTime?: Nanos;
  readonly name: string;
  readonly uid?: number;
}

/**
 * What an event's task context says (any event name).
 * @example
 * ```ts
 * const r = context({ time: at(11), threadId: 300, parentId: 100, tid: 30, ppid: 1, name: 'sleep' });
 * ```
 */
export function context(o: ContextOptions): ContextRecord {
  const pid = o.pid ?? o.tid;
  return {
    kind: 'context',
    source: 'event',
    time: o.time,
    threadId: o.threadId,
    processId: o.processId ?? o.threadId,
    parentId: o.parentId ?? 0,
    ids: { tid: o.tid, nsTid: o.tid, pid, nsPid: o.nsPid ?? pid },
    ppid: o.ppid ?? 0,
    threadStartTime: o.threadStartTime ?? 0n,
    name: o.name,
    uid: o.uid,
    containerId: '',
  };
}

/** Options of {@link procfs}. */
export interface ProcfsOptions {
  readonly time: Nanos;
  readonly id: EntityId;
  readonly pid: number;
  readonly nsPid?: number;
  /** Thread group leader (default = id: a process). */
  readonly leaderId?: EntityId;
  readonly tid?: number;
  readonly parentId?: EntityId;
  readonly ppid?: number;
  readonly startTime: Nanos;
  readonly name: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly exe?: string;
  readonly argv?: readonly string[];
  readonly zombie?: boolean;
}

/**
 * One task as procfs shows it.
 * @example
 * ```ts
 * const r = procfs({ time: at(5), id: 100, pid: 1, startTime: at(0), name: 'init', exe: '/sbin/init' });
 * ```
 */
export function procfs(o: ProcfsOptions): ProcfsTaskRecord {
  const leaderId = o.leaderId ?? o.id;
  const tid = o.tid ?? o.pid;
  return {
    kind: 'procfs',
    source: 'procfs',
    time: o.time,
    id: o.id,
    leaderId,
    parentId: o.parentId ?? 0,
    ids: { tid, nsTid: tid, pid: o.pid, nsPid: o.nsPid ?? o.pid },
    ppid: o.ppid ?? 0,
    nsPpid: undefined,
    startTime: o.startTime,
    name: o.name,
    uid: o.uid,
    gid: o.gid,
    executable: o.exe === undefined ? undefined : fileOf(o.exe),
    argv: o.argv,
    isThread: leaderId !== o.id,
    zombie: o.zombie ?? false,
  };
}

/** The LRU decided that `id` leaves the tree. */
export function evict(time: Nanos, entity: 'process' | 'thread', id: EntityId): EvictRecord {
  return { kind: 'evict', source: 'lru', time, entity, id };
}

/**
 * Applies records in order, returning every intermediate tree (index 0 = the start tree).
 * @example
 * ```ts
 * const trees = applyAll(emptyTree(), [r1, r2]); // trees.length === 3
 * ```
 */
export function applyAll(start: ProcessTree, records: readonly TreeRecord[]): ProcessTree[] {
  const out = [start];
  for (const r of records) out.push(applyRecord(out[out.length - 1]!, r));
  return out;
}

/** Applies records in order and returns the last tree. */
export const applyEach = (start: ProcessTree, records: readonly TreeRecord[]): ProcessTree => records.reduce(applyRecord, start);
