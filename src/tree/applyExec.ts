/**
 * Reducer: a process executed a new program.
 *
 * @module
 */
import type { Nanos } from '../streams/types.js';
import { moveEarlier, valueAt } from './changelog.js';
import type { ExecState, ParentRef, ProcessNode, ProcessTree } from './model.js';
import { isAliveAt } from './model.js';
import { addThread, dropLiveThread, indexPid, linkChild, logSet, patch, placeholderThread, placeholderProcess, putProcess, putThread } from './nodes.js';
import { idsEach } from './idSet.js';
/** The record of a script interpreter known only by path (`interp`), shared per store. */
const interpFile = (tree: ProcessTree, path: string): FileRecord => tree.store.files.intern({ path, dev: 0, inode: 0n, ctime: 0n, mode: 0 });
import type { ExecRecord, FileRecord } from './records.js';
import { boundedArgv, boundedString } from './boundedStrings.js';

/** Two reports of one exec (event + signal) are at most this far apart. */
export const DUPLICATE_EXEC_WINDOW_NS = 1_000_000n;

/** The kernel's comm after exec: basename of the filename, at most 15 bytes. */
export const commOf = (cmdpath: string): string => {
  const base = cmdpath.slice(cmdpath.lastIndexOf('/') + 1);
  return base.length > 15 ? base.slice(0, 15) : base;
};

const sameArgv = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));

const sameFile = (a: FileRecord | undefined, b: FileRecord | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.path === boundedString(b.path) && a.inode === b.inode && a.dev === b.dev);

const abs = (x: Nanos): Nanos => (x < 0n ? -x : x);

/** Is `r` a second report of the exec already stored in `last`? */
const isDuplicate = (last: ExecState | undefined, r: ExecRecord): boolean =>
  last !== undefined &&
  !last.inherited &&
  abs(last.time - r.time) <= DUPLICATE_EXEC_WINDOW_NS &&
  last.cmdpath === boundedString(r.cmdpath) &&
  sameFile(last.executable, r.executable) &&
  sameArgv(last.argv, boundedArgv(r.argv));

/**
 * Applies an exec: a new program (executable, ELF interpreter, interp, argv) and comm from the
 * exec time on. Fills a placeholder's ids from the event context. The kernel's de_thread makes
 * the execing task the only thread of its group: every other thread still alive is marked
 * exited at the exec time. A duplicate report (event + signal) returns the identical tree.
 *
 * @example
 * ```ts
 * const next = applyExec(tree, execRecord);
 * ```
 */
export function applyExec(tree: ProcessTree, r: ExecRecord): ProcessTree {
  let proc = tree.processes.get(r.taskId) ?? placeholderProcess(r.taskId);
  const t = r.time;
  const last = valueAt(proc.exec, t + DUPLICATE_EXEC_WINDOW_NS);
  if (last !== undefined && isDuplicate(last, r)) {
    // a second report of the same exec: nothing to do, unless it is the earlier one (a signal
    // received first, then its event): then the exec moves back to that time
    return r.time < last.time ? moveExecBack(tree, proc, last, r.time) : tree;
  }

  const state: ExecState = {
    time: t,
    cmdpath: boundedString(r.cmdpath),
    argv: boundedArgv(r.argv),
    executable: tree.store.files.intern(r.executable),
    interpreter: tree.store.files.intern(r.interpreter),
    interp: r.interp === '' ? undefined : interpFile(tree, r.interp),
    inherited: false,
  };
  const name = r.name ?? commOf(r.cmdpath);
  let next = tree;
  if (r.task !== undefined && proc.pid === 0) {
    proc = patch(tree, proc, { tid: r.task.tid, pid: r.task.pid, nsTid: r.task.nsTid, nsPid: r.task.nsPid });
  }
  if (r.task !== undefined && proc.startTime === undefined && r.task.startTime > 0n) proc = patch(tree, proc, { startTime: r.task.startTime });
  if (r.parentId !== undefined && valueAt(proc.parent, t)?.id !== r.parentId) {
    // first sight of the parent, or a reparenting the event context reveals
    const ref: ParentRef = { id: r.parentId, pid: r.task?.ppid ?? 0, nsPid: undefined };
    proc = patch(tree, proc, { parent: logSet(next, proc.parent, t, ref), spawnParentId: proc.spawnParentId || r.parentId });
    next = linkChild(next, ref, proc.id, proc.exitTime === undefined);
  }
  const nameBefore = proc.name;
  proc = patch(tree, proc, {
    exec: logSet(next, proc.exec, t, state),
    name: logSet(next, proc.name, t, name),
    uid: logSet(next, proc.uid, t, r.uid),
    containerId: proc.containerId || (r.containerId ?? ''),
    placeholder: proc.placeholder && proc.pid === 0,
  });
  proc = addThread(next, proc, proc.id, proc.exitTime === undefined);

  // de_thread: the execing task is now the only thread of its group
  idsEach(proc.threads, (tid) => {
    if (tid === proc.id) return;
    const th = next.threads.get(tid);
    if (th !== undefined && th.exitTime === undefined && isAliveAt(th, t)) {
      next = putThread(next, patch(tree, th, { exitTime: t }));
      proc = dropLiveThread(next, proc, tid, t);
    }
  });
  // the leader's own thread entry follows the new comm
  const own = next.threads.get(proc.id) ?? placeholderThread(proc.id, proc.id);
  next = putThread(
    next,
    patch(tree, own, {
      // the leader's thread usually holds the process's own log: the new one is then the same log
      name: own.name === nameBefore && nameBefore !== undefined ? proc.name : logSet(next, own.name, t, name),
      tid: own.tid || proc.tid,
      pid: own.pid || proc.pid,
      nsTid: own.nsTid || proc.nsTid,
      nsPid: own.nsPid || proc.nsPid,
      startTime: own.startTime ?? proc.startTime,
      placeholder: own.placeholder && proc.pid === 0,
    }),
  );
  next = putProcess(next, proc);
  next = indexPid(next, proc.pid, proc.id);
  return next;
}

/** The tree with `proc`'s exec at `last.time` (and the comm it set) moved back to `to`. */
function moveExecBack(tree: ProcessTree, proc: ProcessNode, last: ExecState, to: Nanos): ProcessTree {
  const max = tree.config.maxFieldHistory;
  let next = putProcess(
    tree,
    patch(tree, proc, {
      exec: moveEarlier(proc.exec, last.time, to, max, { ...last, time: to }),
      name: moveEarlier(proc.name, last.time, to, max),
    }),
  );
  const own = next.threads.get(proc.id);
  if (own !== undefined) next = putThread(next, patch(tree, own, { name: moveEarlier(own.name, last.time, to, max) }));
  return next;
}
