/**
 * Reducer: a task exited.
 *
 * @module
 */
import type { Nanos } from '../streams/types.js';
import type { ProcessNode, ProcessTree, ThreadNode } from './model.js';
import { addThread, dropLiveChild, dropLiveThread, patch, placeholderProcess, placeholderThread, putProcess, putThread } from './nodes.js';
import { EMPTY_IDS, idsEach, idsSize } from './idSet.js';
import { currentValue } from './changelog.js';
import type { ExitRecord } from './records.js';

/** Does another thread of the group outlive `t` (not exited at or before `t`)? */
const hasOtherLiveThread = (tree: ProcessTree, proc: ProcessNode, except: number, t: Nanos): boolean => {
  let live = false;
  // at or after the last recorded exit, threads outside the live set all exited at or before t
  idsEach(t >= proc.liveSince ? proc.liveThreads : proc.threads, (id) => {
    if (live || id === except) return;
    const th = tree.threads.get(id);
    if (th !== undefined && (th.exitTime === undefined || th.exitTime > t)) live = true;
  });
  return live;
};

/** Exited at `t` unless already exited at or before `t` (the earliest report of an exit wins, whatever the arrival order). */
const markExited = <N extends ProcessNode | ThreadNode>(tree: ProcessTree, node: N, t: Nanos, code: number | undefined): N =>
  node.exitTime !== undefined && node.exitTime <= t ? node : patch(tree, node, { exitTime: t, exitCode: code } as Partial<N>);

/**
 * Applies an exit. The thread is marked exited (time and raw exit code). The process exits when
 * the whole group does: `process_group_exit`, or its leader exits with no other live thread.
 * A group exit marks every thread of the group exited at the same instant (we do not keep
 * Tracee's quirk Q13). Nothing is deleted: exited entities stay queryable until evicted. The
 * earliest report wins: a duplicate exit at the same or a later time returns the identical tree;
 * an older report arriving late (e.g. the event after its signal under `source=both`) moves the
 * exit back to its time, so the result does not depend on arrival order.
 */
export function applyExit(tree: ProcessTree, r: ExitRecord): ProcessTree {
  let next = tree;
  const t = r.time;
  const existingThread = next.threads.get(r.taskId);
  const leaderId = r.leaderId ?? existingThread?.leaderId ?? r.taskId;
  const thread = existingThread ?? placeholderThread(r.taskId, leaderId);
  next = putThread(next, markExited(next, thread, t, r.exitCode));

  let proc = next.processes.get(leaderId);
  if (proc === undefined) {
    // an exit is the first we hear of this process: keep what we know
    proc = placeholderProcess(leaderId);
  }
  proc = dropLiveThread(next, addThread(next, proc, r.taskId, false), r.taskId, t);
  const isLeader = r.taskId === leaderId;
  const groupGone = r.groupExit || (isLeader && !hasOtherLiveThread(next, proc, r.taskId, t));
  if (groupGone) {
    proc = markExited(next, proc, t, r.exitCode);
    idsEach(proc.threads, (id) => {
      const th = next.threads.get(id);
      if (th !== undefined && (th.exitTime === undefined || th.exitTime > t)) next = putThread(next, patch(tree, th, { exitTime: t }));
    });
    if (idsSize(proc.liveThreads) > 0) proc = patch(tree, proc, { liveThreads: EMPTY_IDS, liveSince: t > proc.liveSince ? t : proc.liveSince });
  }
  next = putProcess(next, proc);
  if (groupGone) {
    // the parents' live-children views lose it
    const parents = new Set<number>([proc.spawnParentId, currentValue(proc.parent)?.id ?? 0]);
    for (const pid of parents) {
      const parent = pid && pid !== proc.id ? next.processes.get(pid) : undefined;
      if (parent !== undefined) next = putProcess(next, dropLiveChild(next, parent, proc.id, t));
    }
  }
  return next;
}
