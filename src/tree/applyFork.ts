/**
 * Reducer: a task was created by clone/fork.
 *
 * @module
 */
import type { Nanos } from '../streams/types.js';
import { currentTime, currentValue, setAt, valueAt, type Changelog } from './changelog.js';
import type { ExecState, ParentRef, ProcessNode, ProcessTree, ThreadNode } from './model.js';
import { addChild, addThread, addToBoth, indexPid, logSet, patch, placeholderProcess, placeholderThread, putProcess, putThread } from './nodes.js';
import { EMPTY_IDS, idsHas, type IdSet } from './idSet.js';
import type { ForkRecord } from './records.js';

const sameParent = (a: ParentRef, b: ParentRef): boolean => a.id === b.id && a.pid === b.pid;

/**
 * Applies a fork: creates (or completes) the child's thread entry and, for a new process, its
 * process entry (inheriting the parent's program until it execs); links parent → child and
 * leader → thread; creates a placeholder for an unknown parent. A duplicate fork (the same child
 * again, e.g. event + signal under `source=both`) returns the identical tree.
 *
 * Field writes are stamped with the child's start time (it had these values from its start).
 *
 * @example
 * ```ts
 * const next = applyFork(tree, forkRecord); // next === tree when it was a duplicate
 * ```
 */
export function applyFork(tree: ProcessTree, r: ForkRecord): ProcessTree {
  const t = r.child.startTime <= r.time && r.child.startTime > 0n ? r.child.startTime : r.time;
  const known = tree.threads.get(r.child.id);
  if (known !== undefined && !known.placeholder && isDuplicate(tree, r)) return tree;
  if (known === undefined && !r.isThread && tree.processes.get(r.child.id) === undefined) return forkNewProcess(tree, r, t);
  let next = tree;

  // the parent process (up parent): create a placeholder when unknown, fill what the fork tells
  let parent = next.processes.get(r.parent.id) ?? placeholderProcess(r.parent.id, r.parent.pid, r.parent.nsPid ?? 0);
  if (parent.pid === 0 && r.parent.pid > 0) {
    parent = patch(tree, parent, { pid: r.parent.pid, tid: r.parent.tid ?? r.parent.pid, nsPid: r.parent.nsPid ?? 0, nsTid: r.parent.nsTid ?? 0 });
  }
  if (parent.startTime === undefined && r.parent.startTime !== undefined) parent = patch(tree, parent, { startTime: r.parent.startTime });
  if (!r.isThread && r.parent.id !== 0) parent = addChild(next, parent, r.child.id);
  if (r.parent.id !== 0) {
    next = putProcess(next, parent);
    next = indexPid(next, parent.pid, parent.id);
  }

  const parentRef: ParentRef = { id: r.parent.id, pid: r.parent.pid, nsPid: r.parent.nsPid };

  // the leader process: the child itself (new process) or an existing group (new thread)
  let leader = next.processes.get(r.leaderId) ?? placeholderProcess(r.leaderId, r.child.pid, r.child.nsPid);
  if (!r.isThread) {
    const inherited = valueAt(parent.exec, t) ?? currentValue(parent.exec);
    const execInherited: ExecState | undefined =
      inherited && (leader.exec === undefined || leader.exec.length === 0) ? { ...inherited, time: t, inherited: true } : undefined;
    leader = patch(tree, leader, {
      tid: r.child.tid,
      pid: r.child.pid,
      nsTid: r.child.nsTid,
      nsPid: r.child.nsPid,
      startTime: leader.startTime ?? r.child.startTime,
      placeholder: false,
      spawnParentId: leader.spawnParentId || r.parent.id,
      containerId: leader.containerId || (r.containerId ?? ''),
    });
    leader = patch(tree, leader, {
      parent: leader.parent === undefined ? logSet(next, leader.parent, t, parentRef, sameParent) : leader.parent,
      name: leader.name === undefined ? logSet(next, leader.name, t, r.name ?? currentValue(parent.name)) : leader.name,
      uid: leader.uid === undefined ? logSet(next, leader.uid, t, r.uid ?? currentValue(parent.uid)) : leader.uid,
      gid: leader.gid === undefined ? logSet(next, leader.gid, t, currentValue(parent.gid)) : leader.gid,
      exec: execInherited ? logSet(next, leader.exec, t, execInherited) : leader.exec,
    });
  } else if (leader.pid === 0) {
    leader = patch(tree, leader, { pid: r.child.pid, tid: r.child.pid, nsPid: r.child.nsPid, nsTid: r.child.nsPid });
  }
  leader = addThread(next, leader, r.child.id);
  next = putProcess(next, leader);
  next = indexPid(next, leader.pid, leader.id);

  // the thread entry of the new task (leaders have one too)
  const existing = next.threads.get(r.child.id);
  let thread: ThreadNode = existing ?? placeholderThread(r.child.id, r.leaderId);
  thread = patch(tree, thread, {
    tid: r.child.tid,
    pid: r.child.pid,
    nsTid: r.child.nsTid,
    nsPid: r.child.nsPid,
    startTime: thread.startTime ?? r.child.startTime,
    leaderId: r.leaderId,
    placeholder: false,
  });
  if (thread.name === undefined) thread = patch(tree, thread, { name: inheritedLog(next, leader.name, t, r.name) });
  if (thread.uid === undefined) thread = patch(tree, thread, { uid: inheritedLog(next, leader.uid, t, r.uid) });
  next = putThread(next, thread);

  return next;
}


/**
 * A new thread's log of a field its leader also logs, from `t` on: the value the fork reported
 * (else the leader's at `t`). When that is what the leader's log answers from `t` on (no later
 * entry), the thread holds the leader's log itself — the same answers from its start on, and
 * one immutable array instead of two (a thread is never asked before its start).
 */
function inheritedLog<V>(tree: ProcessTree, leaderLog: Changelog<V>, t: Nanos, reported: V | undefined): Changelog<V> {
  const value = reported ?? valueAt(leaderLog, t);
  if (value === undefined) return undefined;
  const last = currentTime(leaderLog);
  if (last !== undefined && last <= t && currentValue(leaderLog) === value) return leaderLog;
  return logSet(tree, undefined, t, value);
}

/** Everything this fork would write is already there (a second report of it). */
function isDuplicate(tree: ProcessTree, r: ForkRecord): boolean {
  const leader = tree.processes.get(r.leaderId);
  if (leader === undefined || !idsHas(leader.threads, r.child.id)) return false;
  if (r.isThread) return true;
  if (leader.placeholder || leader.parent === undefined) return false;
  if (r.parent.id === 0) return true;
  const parent = tree.processes.get(r.parent.id);
  return parent !== undefined && idsHas(parent.children, r.child.id);
}

/** The common case, built directly: a new process whose child and thread entries do not exist yet. */
function forkNewProcess(tree: ProcessTree, r: ForkRecord, t: Nanos): ProcessTree {
  let next = tree;
  let parent: ProcessNode | undefined;
  if (r.parent.id !== 0) {
    const known = next.processes.get(r.parent.id);
    const p0 = known ?? placeholderProcess(r.parent.id, r.parent.pid, r.parent.nsPid ?? 0);
    const fill = p0.pid === 0 && r.parent.pid > 0;
    const { all: children, live: liveChildren } = addToBoth(next, p0.children, p0.liveChildren, r.child.id, true);
    parent = patch(tree, p0, {
      pid: fill ? r.parent.pid : p0.pid,
      tid: fill ? (r.parent.tid ?? r.parent.pid) : p0.tid,
      nsPid: fill ? (r.parent.nsPid ?? 0) : p0.nsPid,
      nsTid: fill ? (r.parent.nsTid ?? 0) : p0.nsTid,
      startTime: p0.startTime ?? r.parent.startTime,
      children,
      liveChildren,
    });
    next = putProcess(next, parent);
    // a parent already held under the same pid is in the pid index (indexed when it got that pid)
    if (known === undefined || fill) next = indexPid(next, parent.pid, parent.id);
  }
  const inherited = parent === undefined ? undefined : (valueAt(parent.exec, t) ?? currentValue(parent.exec));
  const max = next.config.maxFieldHistory;
  const name = r.name ?? currentValue(parent?.name);
  const uid = r.uid ?? currentValue(parent?.uid);
  const gid = currentValue(parent?.gid);
  // immutable logs: equal ones are one array (uid and gid are usually equal)
  const uidLog = uid === undefined ? undefined : setAt(undefined, t, uid, max);
  const gidLog = gid === undefined ? undefined : gid === uid ? uidLog : setAt(undefined, t, gid, max);
  const threads: IdSet = [r.child.id];
  const child: ProcessNode = {
    kind: 'process',
    id: r.child.id,
    tid: r.child.tid,
    pid: r.child.pid,
    nsTid: r.child.nsTid,
    nsPid: r.child.nsPid,
    startTime: r.child.startTime,
    exitTime: undefined,
    exitCode: undefined,
    name: name === undefined ? undefined : setAt(undefined, t, name, max),
    uid: uidLog,
    gid: gidLog,
    placeholder: false,
    spawnParentId: r.parent.id,
    parent: setAt(undefined, t, { id: r.parent.id, pid: r.parent.pid, nsPid: r.parent.nsPid }, max),
    exec: inherited === undefined ? undefined : setAt(undefined, t, { ...inherited, time: t, inherited: true }, max),
    containerId: r.containerId ?? parent?.containerId ?? '',
    children: EMPTY_IDS,
    threads,
    liveChildren: EMPTY_IDS,
    liveThreads: threads,
    liveSince: 0n,
    _cv: 0,
    _wv: 0,
    _uh: -1,
    _mc: undefined,
    _pm: undefined,
  };
  next = putProcess(next, child);
  next = indexPid(next, child.pid, child.id);
  const thread: ThreadNode = {
    kind: 'thread',
    id: r.child.id,
    tid: r.child.tid,
    pid: r.child.pid,
    nsTid: r.child.nsTid,
    nsPid: r.child.nsPid,
    startTime: r.child.startTime,
    exitTime: undefined,
    exitCode: undefined,
    name: child.name,
    uid: child.uid,
    gid: child.gid,
    placeholder: false,
    leaderId: r.child.id,
    _cv: 0,
    _wv: 0,
    _uh: -1,
    _mc: undefined,
  };
  next = putThread(next, thread);
  return next;
}
