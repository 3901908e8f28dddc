/**
 * Reducer: what an event's task context tells about the task that produced it.
 *
 * @module
 */
import { valueAt } from './changelog.js';
import type { ParentRef, ProcessTree } from './model.js';
import { addThread, indexPid, linkChild, logSet, patch, placeholderProcess, placeholderThread, putProcess, putThread } from './nodes.js';
import type { ContextRecord } from './records.js';
import type { EntityId, Nanos } from '../streams/types.js';

/**
 * Whether the tree already holds an event's context as of `t` — the case where
 * {@link applyContext} returns the identical tree: the thread and its process known (not
 * placeholders), the thread's name and uid, the process's parent and, for a leader, its name and
 * uid as the event says. `uid` undefined: the event printed none. The tree builder asks it before
 * building a record (the common case of a syscall of a known task); one predicate for both.
 */
export function contextAgrees(
  tree: ProcessTree,
  t: Nanos,
  threadId: EntityId,
  processId: EntityId,
  parentId: EntityId,
  name: string,
  uid: number | undefined,
  isLeader: boolean,
): boolean {
  const thread = tree.threads.get(threadId);
  if (thread === undefined || thread.placeholder || valueAt(thread.name, t) !== name) return false;
  if (uid !== undefined && valueAt(thread.uid, t) !== uid) return false;
  const proc = tree.processes.get(processId);
  if (proc === undefined || proc.placeholder) return false;
  if (parentId !== 0 && valueAt(proc.parent, t)?.id !== parentId) return false;
  return !isLeader || (valueAt(proc.name, t) === name && (uid === undefined || valueAt(proc.uid, t) === uid));
}

/**
 * Applies an event's context: creates the thread / process when first seen mid-life (tasks that
 * started before the capture), fills placeholder ids and start times, records comm and uid
 * changes, and records a reparenting when the event's `parentEntityId` differs from the parent
 * we hold (the kernel reparents orphans to a subreaper or init; the next event shows it).
 * Returns the identical tree when the context agrees with the tree — the common case.
 */
export function applyContext(tree: ProcessTree, r: ContextRecord): ProcessTree {
  const t = r.time;
  const isLeader = r.ids.tid === r.ids.pid;
  let next = tree;

  const thread0 = tree.threads.get(r.threadId);
  let proc0 = tree.processes.get(r.processId);
  if (contextAgrees(tree, t, r.threadId, r.processId, r.parentId, r.name, r.uid, isLeader)) return tree;

  let thread = thread0 ?? placeholderThread(r.threadId, r.processId);
  thread = patch(tree, thread, {
    tid: thread.tid || r.ids.tid,
    pid: thread.pid || r.ids.pid,
    nsTid: thread.nsTid || r.ids.nsTid,
    nsPid: thread.nsPid || r.ids.nsPid,
    startTime: thread.startTime ?? (r.threadStartTime > 0n ? r.threadStartTime : undefined),
    placeholder: false,
    leaderId: thread.leaderId || r.processId,
    name: logSet(next, thread.name, t, r.name === '' ? undefined : r.name),
    uid: logSet(next, thread.uid, t, r.uid),
  });
  next = putThread(next, thread);

  let proc = proc0 ?? placeholderProcess(r.processId, r.ids.pid, r.ids.nsPid);
  proc0 = proc;
  proc = patch(tree, proc, {
    pid: proc.pid || r.ids.pid,
    tid: proc.tid || r.ids.pid,
    nsPid: proc.nsPid || r.ids.nsPid,
    nsTid: proc.nsTid || r.ids.nsPid,
    startTime: proc.startTime ?? (isLeader && r.threadStartTime > 0n ? r.threadStartTime : undefined),
    containerId: proc.containerId || r.containerId,
  });
  proc = addThread(next, proc, r.threadId, thread.exitTime === undefined);
  if (isLeader) proc = patch(tree, proc, { name: logSet(next, proc.name, t, r.name === '' ? undefined : r.name), uid: logSet(next, proc.uid, t, r.uid) });
  if (proc.placeholder && proc.pid !== 0) proc = patch(tree, proc, { placeholder: false });
  if (r.parentId !== 0 && valueAt(proc.parent, t)?.id !== r.parentId) {
    const ref: ParentRef = { id: r.parentId, pid: r.ppid, nsPid: undefined };
    // first sight: the parent holds from the start; later: a reparenting at t
    const at = proc.parent === undefined && proc.startTime !== undefined && proc.startTime <= t ? proc.startTime : t;
    proc = patch(tree, proc, { parent: logSet(next, proc.parent, at, ref), spawnParentId: proc.spawnParentId || r.parentId });
    next = linkChild(next, ref, proc.id, proc.exitTime === undefined);
  }
  next = putProcess(next, proc);
  next = indexPid(next, proc.pid, proc.id);
  return next;
}
