/**
 * Reducer: one task as read from procfs.
 *
 * @module
 */
import { valueAt } from './changelog.js';
import type { ExecState, ParentRef, ProcessTree } from './model.js';
import { addThread, indexPid, linkChild, logSet, patch, placeholderProcess, placeholderThread, putProcess, putThread } from './nodes.js';
import type { ProcfsTaskRecord } from './records.js';
import { boundedArgv } from './boundedStrings.js';

/**
 * Applies a procfs record. procfs describes *now*; events describe history and win where both
 * speak. So: a new or placeholder entity is filled completely (its fields stamped at its start
 * time, as Tracee does, so they hold for its whole life); a known entity only gets what it
 * lacks, plus a reparenting when procfs shows a different parent now. A zombie is marked exited
 * at the observation time when no exit was seen. Identical data returns the identical tree.
 */
export function applyProcfs(tree: ProcessTree, r: ProcfsTaskRecord): ProcessTree {
  let next = tree;
  const from = r.startTime > 0n && r.startTime <= r.time ? r.startTime : r.time;

  // thread entry (every task has one)
  const thread0 = next.threads.get(r.id) ?? placeholderThread(r.id, r.leaderId);
  let thread = patch(tree, thread0, {
    tid: thread0.tid || r.ids.tid,
    pid: thread0.pid || r.ids.pid,
    nsTid: thread0.nsTid || r.ids.nsTid,
    nsPid: thread0.nsPid || r.ids.nsPid,
    startTime: thread0.startTime ?? r.startTime,
    leaderId: thread0.leaderId || r.leaderId,
    placeholder: false,
  });
  if (thread.name === undefined) thread = patch(tree, thread, { name: logSet(next, thread.name, from, r.name) });
  if (thread.uid === undefined) thread = patch(tree, thread, { uid: logSet(next, thread.uid, from, r.uid) });
  if (thread.gid === undefined) thread = patch(tree, thread, { gid: logSet(next, thread.gid, from, r.gid) });
  if (r.zombie && thread.exitTime === undefined) thread = patch(tree, thread, { exitTime: r.time });
  next = putThread(next, thread);

  // the process: this task (leader) or its leader (thread)
  const pid = r.ids.pid;
  const proc0 = next.processes.get(r.leaderId) ?? placeholderProcess(r.leaderId, pid, r.ids.nsPid);
  let proc = addThread(next, proc0, r.id, thread.exitTime === undefined);
  if (!r.isThread) {
    proc = patch(tree, proc, {
      tid: proc.tid || r.ids.tid,
      pid: proc.pid || pid,
      nsTid: proc.nsTid || r.ids.nsTid,
      nsPid: proc.nsPid || r.ids.nsPid,
      startTime: proc.startTime ?? r.startTime,
      placeholder: false,
      spawnParentId: proc.spawnParentId || r.parentId,
    });
    if (proc.name === undefined) proc = patch(tree, proc, { name: logSet(next, proc.name, from, r.name) });
    if (proc.uid === undefined) proc = patch(tree, proc, { uid: logSet(next, proc.uid, from, r.uid) });
    if (proc.gid === undefined) proc = patch(tree, proc, { gid: logSet(next, proc.gid, from, r.gid) });
    if (proc.exec === undefined && (r.executable !== undefined || r.argv !== undefined)) {
      const state: ExecState = {
        time: from,
        cmdpath: r.executable?.path ?? '',
        argv: boundedArgv(r.argv),
        executable: tree.store.files.intern(r.executable),
        interpreter: undefined,
        interp: undefined,
        inherited: false,
      };
      proc = patch(tree, proc, { exec: logSet(next, proc.exec, from, state) });
    }
    if (r.zombie && proc.exitTime === undefined) proc = patch(tree, proc, { exitTime: r.time });
    if (r.parentId !== 0) {
      const ref: ParentRef = { id: r.parentId, pid: r.ppid, nsPid: r.nsPpid };
      const known = valueAt(proc.parent, r.time);
      if (known === undefined || known.id !== r.parentId) {
        const at = proc.parent === undefined ? from : r.time;
        proc = patch(tree, proc, { parent: logSet(next, proc.parent, at, ref) });
        next = linkChild(next, ref, proc.id, proc.exitTime === undefined);
      }
    }
  }
  next = putProcess(next, proc);
  next = indexPid(next, proc.pid, proc.id);
  return next;
}
