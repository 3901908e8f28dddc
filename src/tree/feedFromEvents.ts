/**
 * How the tree is fed from printed events and signals: one {@link Envelope} → the
 * {@link TreeRecord}s it implies. Pure; never throws.
 *
 * Reconstruction of what Tracee strips from printed fork events follows spec/README.md decision 3:
 * boot time = `threadStartTime` (epoch) − `parent_start_time` (since boot); the child's id is
 * `H(child_tid, start_time − boot)`; a new process's parent is the forking task's process, a new
 * thread's leader is the forking task's process and its parent that process's parent.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { hashTaskId } from '../streams/entityId.js';
import { execArgs, exitArgs, forkArgs, type ExecArgs, type ExitArgs, type FileArgs, type ForkArgs } from '../streams/lifecycleArgs.js';
import { headOf, type Envelope, type Nanos } from '../streams/types.js';
import type { ContextRecord, ExecRecord, ExitRecord, FileRecord, ForkRecord, TreeRecord } from './records.js';

/** Which inputs feed the tree (Tracee's `--proctree source=`). */
export type TreeSource = 'none' | 'events' | 'signals' | 'both';

/** The outcome of feeding one envelope. */
export interface Feed {
  readonly records: readonly TreeRecord[];
  /** Why a lifecycle event could not be used (it still passes through). */
  readonly problem?: string;
}

const NO_FEED: Feed = { records: [] };

const isSignal = (name: string): boolean => name.startsWith('signal_sched_process_');

const fileRecord = (f: FileArgs): FileRecord => ({ path: f.path, dev: f.dev, inode: f.inode, ctime: f.ctime, mode: f.mode ?? 0 });

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const optionalNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The context record of a printed (non-signal) event, or `undefined` when it carries no task. */
export function contextRecord(env: Envelope): ContextRecord | undefined {
  const e = headOf(env);
  if (!e.threadEntityId || !e.processEntityId || !e.hostThreadId) return undefined;
  return {
    kind: 'context',
    source: 'event',
    time: env.timestamp,
    threadId: e.threadEntityId >>> 0,
    processId: e.processEntityId >>> 0,
    parentId: (e.parentEntityId ?? 0) >>> 0,
    ids: { tid: e.hostThreadId, nsTid: e.threadId ?? 0, pid: e.hostProcessId ?? 0, nsPid: e.processId ?? 0 },
    ppid: e.hostParentProcessId ?? 0,
    threadStartTime: env.threadStartTime,
    name: typeof e.processName === 'string' ? e.processName : '',
    uid: optionalNumber(e.userId),
    containerId: typeof e.containerId === 'string' ? e.containerId : '',
  };
}

function forkRecord(env: Envelope): E.Either<string, ForkRecord> {
  return E.chain((a: ForkArgs): E.Either<string, ForkRecord> => {
    const e = headOf(env);
    const signal = isSignal(e.eventName);
    // boot epoch: signals carry the hook time since boot; printed events the forking task's start in both clocks
    let boot: Nanos;
    if (signal) {
      if (a.hookTime === undefined) return E.left('signal fork without "timestamp" argument');
      boot = env.timestamp - a.hookTime;
    } else {
      if (env.threadStartTime === 0n) return E.left('fork event without threadStartTime: cannot derive the boot time');
      boot = env.threadStartTime - a.parent.startTime;
    }
    const childSinceBoot = signal ? a.child.startTime : a.child.startTime - boot;
    const childStart = signal ? a.child.startTime + boot : a.child.startTime;
    if (childSinceBoot < 0n) return E.left('fork child start time precedes boot');
    const childId = hashTaskId(a.child.tid, childSinceBoot);
    const isThread = a.child.tid !== a.child.pid;
    let leaderId: number;
    let parent: ForkRecord['parent'];
    if (a.leader !== undefined && a.upParent !== undefined) {
      leaderId = hashTaskId(a.leader.tid, a.leader.startTime);
      parent = {
        id: hashTaskId(a.upParent.tid, a.upParent.startTime),
        pid: a.upParent.pid,
        nsPid: a.upParent.nsPid,
        tid: a.upParent.tid,
        nsTid: a.upParent.nsTid,
        startTime: a.upParent.startTime + boot,
      };
    } else if (!isThread) {
      // new process: its parent is the forking task's process
      leaderId = childId;
      const forkerIsLeader = a.parent.tid === a.parent.pid;
      parent = {
        id: e.processEntityId >>> 0,
        pid: a.parent.pid,
        nsPid: a.parent.nsPid,
        tid: a.parent.pid,
        nsTid: a.parent.nsPid,
        startTime: forkerIsLeader ? a.parent.startTime + boot : undefined,
      };
    } else {
      // new thread: its leader is the forking task's process; its parent that process's parent
      leaderId = e.processEntityId >>> 0;
      parent = { id: (e.parentEntityId ?? 0) >>> 0, pid: e.hostParentProcessId ?? 0, nsPid: undefined, tid: undefined, nsTid: undefined, startTime: undefined };
    }
    if (!childId || !leaderId) return E.left('fork without a usable child or leader id');
    return E.right({
      kind: 'fork',
      source: signal ? 'signal' : 'event',
      time: env.timestamp,
      child: { id: childId, tid: a.child.tid, nsTid: a.child.nsTid, pid: a.child.pid, nsPid: a.child.nsPid, startTime: childStart },
      leaderId,
      isThread,
      parent,
      name: signal ? undefined : optionalString(e.processName),
      uid: signal ? undefined : optionalNumber(e.userId),
      containerId: signal ? undefined : optionalString(e.containerId),
    });
  })(forkArgs(env));
}

function execRecord(env: Envelope): E.Either<string, ExecRecord> {
  return E.chain((a: ExecArgs): E.Either<string, ExecRecord> => {
    const e = headOf(env);
    const signal = a.signal;
    let taskId: number;
    let parentId: number | undefined;
    let task: ExecRecord['task'];
    if (signal !== undefined) {
      if (signal.leaderHash !== 0 && signal.leaderHash !== signal.taskHash) return E.left('exec from a non-leader thread (signal): ignored');
      taskId = signal.taskHash >>> 0;
      parentId = signal.parentHash ? signal.parentHash >>> 0 : undefined;
      task = undefined;
    } else {
      if (e.hostProcessId !== e.hostThreadId) return E.left('exec reported by a non-leader thread: ignored (the kernel makes the execing thread the leader first)');
      taskId = e.processEntityId >>> 0;
      parentId = e.parentEntityId ? e.parentEntityId >>> 0 : undefined;
      task = {
        tid: e.hostThreadId,
        nsTid: e.threadId,
        pid: e.hostProcessId,
        nsPid: e.processId,
        ppid: e.hostParentProcessId,
        startTime: env.threadStartTime,
      };
    }
    if (!taskId) return E.left('exec without a task id');
    return E.right({
      kind: 'exec',
      source: signal !== undefined ? 'signal' : 'event',
      time: env.timestamp,
      taskId,
      parentId,
      task,
      name: signal !== undefined ? undefined : optionalString(e.processName),
      cmdpath: a.cmdpath,
      argv: a.argv,
      executable: fileRecord(a.file),
      interpreter: a.interpreter && fileRecord(a.interpreter),
      interp: a.interp,
      uid: signal !== undefined ? undefined : optionalNumber(e.userId),
      containerId: signal !== undefined ? undefined : optionalString(e.containerId),
    });
  })(execArgs(env));
}

function exitRecord(env: Envelope): E.Either<string, ExitRecord> {
  return E.map((a: ExitArgs): ExitRecord => {
    const e = headOf(env);
    const s = a.signal;
    return {
      kind: 'exit',
      source: s !== undefined ? 'signal' : 'event',
      time: env.timestamp,
      taskId: s !== undefined ? s.taskHash >>> 0 : e.threadEntityId >>> 0,
      leaderId: s !== undefined ? (s.leaderHash ? s.leaderHash >>> 0 : undefined) : e.processEntityId >>> 0,
      exitCode: a.exitCode,
      groupExit: a.processGroupExit,
    };
  })(exitArgs(env));
}

const one = (r: E.Either<string, TreeRecord>, context: ContextRecord | undefined): Feed =>
  E.isRight(r) ? { records: context ? [context, r.right] : [r.right] } : { records: context ? [context] : [], problem: r.left };

/**
 * The records one envelope feeds into the tree under `source`.
 *
 * - Printed lifecycle events feed when source is `events` or `both`; signals when `signals` or
 *   `both`. Under `both` the same change arrives twice: the reducers apply it once.
 * - Every printed event with a task context (any event name) also yields a context record when
 *   events feed the tree: it fills in processes first seen mid-life and records reparenting.
 * - Unknown events feed nothing but context; they pass through untouched.
 *
 * @example
 * ```ts
 * const { records, problem } = feedFromEnvelope(envelope, 'events');
 * ```
 */
export function feedFromEnvelope(env: Envelope, source: TreeSource): Feed {
  if (source === 'none') return NO_FEED;
  const name = headOf(env).eventName;
  const signal = typeof name === 'string' && isSignal(name);
  if (signal ? source === 'events' : source === 'signals') return NO_FEED;
  const context = signal ? undefined : contextRecord(env);
  switch (name) {
    case 'sched_process_fork':
      // the context of a fork event is the forking task
      return one(forkRecord(env), context);
    case 'signal_sched_process_fork':
      return one(forkRecord(env), undefined);
    case 'sched_process_exec':
    case 'signal_sched_process_exec':
      // exec context (comm/exe) describes the new program: the exec record covers it
      return one(execRecord(env), undefined);
    case 'sched_process_exit':
    case 'signal_sched_process_exit':
      return one(exitRecord(env), context);
    default:
      return context ? { records: [context] } : NO_FEED;
  }
}
