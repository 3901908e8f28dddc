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
import {
  execArgs,
  exitArgs,
  forkArgs,
  type ExecArgs,
  type ExitArgs,
  type FileArgs,
  type ForkArgs,
  type ForkTask,
  type SignalHashes,
  type SignalTask,
  type SignalTasks,
} from '../streams/lifecycleArgs.js';
import { toEpoch } from '../streams/timeArg.js';
import { ANY_FORMAT, BOOT_10MS, entityIdUnder, EPOCH_100MS, EPOCH_10MS, idRuleOf, type IdRule } from '../streams/traceeFormat.js';
import { headOf, type EntityId, type Envelope, type Nanos } from '../streams/types.js';
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

/** A head string the line may leave empty: `undefined` when it does. */
const optionalString = (v: string): string | undefined => (v === '' ? undefined : v);

/** The context record of a printed (non-signal) event, or `undefined` when it carries no task. */
export function contextRecord(env: Envelope): ContextRecord | undefined {
  const e = headOf(env);
  if (!e.threadEntityId || !e.processEntityId || !e.hostThreadId) return undefined;
  return {
    kind: 'context',
    source: 'event',
    time: env.timestamp,
    threadId: e.threadEntityId,
    processId: e.processEntityId,
    parentId: e.parentEntityId,
    ids: { tid: e.hostThreadId, nsTid: e.threadId, pid: e.hostProcessId, nsPid: e.processId },
    ppid: e.hostParentProcessId,
    threadStartTime: env.threadStartTime,
    name: e.processName,
    uid: e.userId,
    containerId: e.containerId,
  };
}

/**
 * The entity-id rule for a line: the stream format's, checked against the line's own task where
 * it can be (the rule must reproduce its `threadEntityId` from `hostThreadId` and
 * `threadStartTime`); when the stream's formats disagree, the first rule that reproduces it.
 */
function idRuleFor(env: Envelope, signal: boolean, boot: Nanos | undefined): IdRule {
  const set = env.format?.candidates ?? ANY_FORMAT;
  const preferred = idRuleOf(set, signal);
  if (signal) return preferred ?? BOOT_10MS;
  const e = headOf(env);
  const own = e.threadEntityId;
  if (own !== 0 && e.hostThreadId && env.threadStartTime !== 0n) {
    for (const rule of preferred === undefined ? ALL_RULES : [preferred, ...ALL_RULES]) {
      if (entityIdUnder(rule, e.hostThreadId, env.threadStartTime, boot) === own) return rule;
    }
  }
  return preferred ?? BOOT_10MS;
}

const ALL_RULES: readonly IdRule[] = [BOOT_10MS, EPOCH_10MS, EPOCH_100MS];

/**
 * The boot time (epoch ns) a fork line implies: a signal's top-level time minus its hook time
 * (since boot); an event's forking task's start in both clocks (`threadStartTime` − a
 * boot-relative `parent_start_time`). `undefined` when the line does not tell (v0.22.4.1+ print
 * epoch times, releases before v0.18 no parent start).
 */
function bootOf(env: Envelope, a: ForkArgs, signal: boolean): Nanos | undefined {
  if (signal) return a.hookTime === undefined ? undefined : env.timestamp - a.hookTime;
  const p = a.parent.start;
  return p !== undefined && p.clock === 'boot' && env.threadStartTime !== 0n ? env.threadStartTime - p.ns : undefined;
}

/** A task's entity id and epoch start from fork args, or `undefined` when its start is not known. */
const forkTaskId = (rule: IdRule, t: ForkTask, boot: Nanos | undefined): { id: EntityId; start: Nanos } | undefined => {
  const start = t.start === undefined ? undefined : toEpoch(t.start, boot);
  const id = start === undefined ? undefined : entityIdUnder(rule, t.tid, start, boot);
  return start === undefined || !id ? undefined : { id, start };
};

function forkRecord(env: Envelope): E.Either<string, ForkRecord> {
  return E.chain((a: ForkArgs): E.Either<string, ForkRecord> => {
    const e = headOf(env);
    const signal = isSignal(e.eventName);
    if (signal && a.hookTime === undefined) return E.left('signal fork without "timestamp" argument');
    if (!signal && env.threadStartTime === 0n && a.parent.start?.clock === 'boot') return E.left('fork event without threadStartTime: cannot derive the boot time');
    const boot = bootOf(env, a, signal);
    const childStart = toEpoch(a.child.start!, boot);
    if (childStart === undefined) return E.left('fork child start time is since boot and the boot time is unknown');
    if (boot !== undefined && childStart < boot) return E.left('fork child start time precedes boot');
    const rule = idRuleFor(env, signal, boot);
    const childId = entityIdUnder(rule, a.child.tid, childStart, boot);
    if (childId === undefined) return E.left('fork: the boot time is unknown, and this release keys tasks by their start since boot');
    const isThread = a.child.tid !== a.child.pid;
    const leader = a.leader && forkTaskId(rule, a.leader, boot);
    const up = a.upParent && forkTaskId(rule, a.upParent, boot);
    let leaderId: number;
    let parent: ForkRecord['parent'];
    if (leader !== undefined && up !== undefined && a.upParent !== undefined) {
      leaderId = leader.id;
      parent = { id: up.id, pid: a.upParent.pid, nsPid: a.upParent.nsPid, tid: a.upParent.tid, nsTid: a.upParent.nsTid, startTime: up.start };
    } else if (!isThread) {
      // new process: its parent is the forking task's process
      leaderId = childId;
      const forkerIsLeader = a.parent.tid === a.parent.pid;
      const forkerStart = a.parent.start === undefined ? undefined : toEpoch(a.parent.start, boot);
      parent = {
        id: e.processEntityId,
        pid: a.parent.pid,
        nsPid: a.parent.nsPid,
        tid: a.parent.pid,
        nsTid: a.parent.nsPid,
        startTime: forkerIsLeader ? forkerStart : undefined,
      };
    } else {
      // new thread: its leader is the forking task's process; its parent that process's parent
      leaderId = e.processEntityId;
      parent = { id: e.parentEntityId, pid: e.hostParentProcessId, nsPid: undefined, tid: undefined, nsTid: undefined, startTime: undefined };
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
      uid: signal ? undefined : e.userId,
      containerId: signal ? undefined : optionalString(e.containerId),
    });
  })(forkArgs(env));
}

/**
 * The hashes an exec/exit signal stands for: carried (up to v0.22) or computed from the tasks it
 * names (v0.23+: host tid and start since boot), with the stream's signal rule.
 */
function signalIdsOf(env: Envelope, hashes: SignalHashes | undefined, tasks: SignalTasks | undefined): SignalHashes | undefined {
  if (hashes !== undefined || tasks === undefined) return hashes;
  const boot = env.timestamp - tasks.hookTime;
  const rule = idRuleOf(env.format?.candidates ?? ANY_FORMAT, true) ?? EPOCH_10MS;
  const idOf = (t: SignalTask | undefined): EntityId => {
    const start = t?.start === undefined ? undefined : toEpoch(t.start, boot);
    return t === undefined || start === undefined ? 0 : (entityIdUnder(rule, t.hostTid, start, boot) ?? 0);
  };
  return { hookTime: tasks.hookTime, taskHash: idOf(tasks.task), parentHash: idOf(tasks.parent), leaderHash: idOf(tasks.leader) };
}

function execRecord(env: Envelope): E.Either<string, ExecRecord> {
  return E.chain((a: ExecArgs): E.Either<string, ExecRecord> => {
    const e = headOf(env);
    const signal = signalIdsOf(env, a.signal, a.signalTasks);
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
      taskId = e.processEntityId;
      parentId = e.parentEntityId || undefined;
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
      uid: signal !== undefined ? undefined : e.userId,
      containerId: signal !== undefined ? undefined : optionalString(e.containerId),
    });
  })(execArgs(env));
}

function exitRecord(env: Envelope): E.Either<string, ExitRecord> {
  return E.map((a: ExitArgs): ExitRecord => {
    const e = headOf(env);
    const s = signalIdsOf(env, a.signal, a.signalTasks);
    return {
      kind: 'exit',
      source: s !== undefined ? 'signal' : 'event',
      time: env.timestamp,
      taskId: s !== undefined ? s.taskHash >>> 0 : e.threadEntityId,
      leaderId: s !== undefined ? (s.leaderHash ? s.leaderHash >>> 0 : undefined) : e.processEntityId,
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
  const signal = isSignal(name);
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
