/**
 * Small pure helpers the reducers share: node constructors, set-if-changed updates, and
 * writing nodes back into a tree. Internal to src/tree/.
 *
 * @module
 */
import type { EntityId, Nanos } from '../streams/types.js';
import { currentValue, setAt, type Changelog } from './changelog.js';
import type { ProcessNode, ProcessTree, ThreadNode } from './model.js';
import { appended } from './exactArrays.js';
import { EMPTY_IDS, idsAdd, idsHas, idsRemove, type IdSet } from './idSet.js';
import { isDraft, type Draft } from './snapshot.js';

/** A process known only by reference. */
export function placeholderProcess(id: EntityId, pid = 0, nsPid = 0): ProcessNode {
  return {
    kind: 'process',
    id,
    tid: pid,
    pid,
    nsTid: nsPid,
    nsPid,
    startTime: undefined,
    exitTime: undefined,
    exitCode: undefined,
    name: undefined,
    uid: undefined,
    gid: undefined,
    placeholder: true,
    spawnParentId: 0,
    parent: undefined,
    exec: undefined,
    containerId: '',
    children: EMPTY_IDS,
    threads: EMPTY_IDS,
    liveChildren: EMPTY_IDS,
    liveThreads: EMPTY_IDS,
    liveSince: 0n,
    _cv: 0,
    _wv: 0,
    _uh: -1,
    _mc: undefined,
    _pm: undefined,
  };
}

/** A thread known only by reference. */
export function placeholderThread(id: EntityId, leaderId: EntityId): ThreadNode {
  return {
    kind: 'thread',
    id,
    tid: 0,
    pid: 0,
    nsTid: 0,
    nsPid: 0,
    startTime: undefined,
    exitTime: undefined,
    exitCode: undefined,
    name: undefined,
    uid: undefined,
    gid: undefined,
    placeholder: true,
    leaderId,
    _cv: 0,
    _wv: 0,
    _uh: -1,
    _mc: undefined,
  };
}

/** `log` with `value` at `t` (bounded by the tree's config); unchanged when `value` is undefined. */
export function logSet<V>(tree: ProcessTree, log: Changelog<V>, t: Nanos, value: V | undefined, eq?: (a: V, b: V) => boolean): Changelog<V> {
  return value === undefined ? log : setAt(log, t, value, tree.config.maxFieldHistory, eq);
}

/** Adds `id` to a set; same set when present. Transient inside a draft. */
export const setAdd = (tree: ProcessTree, set: IdSet, id: EntityId): IdSet => idsAdd(set, id, tree.edit);

/** Removes `id` from a set. Transient inside a draft. */
export const setRemove = (tree: ProcessTree, set: IdSet, id: EntityId): IdSet => idsRemove(set, id, tree.edit);

/** The draft a reducer writes (reducers only ever run inside {@link applyRecord}'s draft). */
export const draftOf = (tree: ProcessTree): Draft => {
  if (!isDraft(tree)) throw new Error('tree reducers write drafts only: use applyRecord / applyRecords');
  return tree;
};

/**
 * Process `id` stamped as written: what its queries answer changed through another entity (a
 * child's or thread's pid, start or exit). So a process node's write stamp moves whenever its
 * ProcKey answer may have changed — what answer caches key on.
 */
function touchProcess(draft: Draft, id: EntityId): void {
  if (id) draft.touched.push(id);
}

/** At the end of a draft: every touched process is stamped as written by it. */
export function replaceTouched(draft: Draft): void {
  const touched = draft.touched;
  if (touched.length === 0) return;
  for (const id of touched) draft.touchProcess(id);
  touched.length = 0;
}

/**
 * Has what a parent lists of `node` (a process's pid, a thread's tid; its start; its exit)
 * changed from the values it had (`pid`, `tid`, `start`, `exit`)?
 */
const listedChanged = (node: ProcessNode | ThreadNode, pid: number, tid: number, start: Nanos | undefined, exit: Nanos | undefined): boolean =>
  (node.kind === 'process' ? node.pid !== pid : node.tid !== tid) || node.startTime !== start || node.exitTime !== exit;

/** The processes that list `node` (a process's parents, spawn and current; a thread's leader) are stamped (see {@link touchProcess}). */
function touchListers(draft: Draft, node: ProcessNode | ThreadNode): void {
  if (node.kind === 'thread') {
    touchProcess(draft, node.leaderId);
    return;
  }
  touchProcess(draft, node.spawnParentId);
  const current = currentValue(node.parent)?.id;
  if (current !== undefined && current !== node.spawnParentId) touchProcess(draft, current);
}

/**
 * The tree with `node` stored (same tree when `node` is the stored one). When what a parent
 * lists about this child changes (its pid, start or exit), the parents are replaced too (see
 * {@link touchProcess}).
 */
export function putProcess(tree: ProcessTree, node: ProcessNode): ProcessTree {
  const prev = tree.processes.get(node.id);
  if (prev === node) return tree;
  const draft = draftOf(tree);
  // compared before the write: the stored node is updated in place
  const listed = prev !== undefined && listedChanged(node, prev.pid, prev.tid, prev.startTime, prev.exitTime);
  draft.putProcess(node);
  if (listed) touchListers(draft, node);
  return tree;
}

/** The tree with `node` stored (same tree when `node` is the stored one); its leader is stamped when its tid, start or exit changed. */
export function putThread(tree: ProcessTree, node: ThreadNode): ProcessTree {
  const prev = tree.threads.get(node.id);
  if (prev === node) return tree;
  const draft = draftOf(tree);
  const listed = prev !== undefined && listedChanged(node, prev.pid, prev.tid, prev.startTime, prev.exitTime);
  draft.putThread(node);
  if (listed) touchListers(draft, node);
  return tree;
}

/** The tree with `id` remembered as a holder of host `pid` (bounded per pid). */
export function indexPid(tree: ProcessTree, pid: number, id: EntityId): ProcessTree {
  if (pid <= 0) return tree;
  const ids = tree.pids.get(pid);
  if (ids !== undefined && ids.includes(id)) return tree;
  const next = ids === undefined ? [id] : appended(ids.length >= tree.config.maxIdsPerPid ? ids.slice(ids.length - tree.config.maxIdsPerPid + 1) : ids, id);
  draftOf(tree).putPid(pid, next);
  return tree;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A copy of a process node built as one literal: every field in the object itself, in the order
 * of {@link placeholderProcess}, so all process nodes share one hidden class. (Object spread
 * would keep only 4–5 fields in the object and move the rest to a separate property array: 30 %
 * more memory per node and one more dependent load per field read.)
 */
export const cloneProcess = (n: ProcessNode): Mutable<ProcessNode> => ({
  kind: 'process',
  id: n.id,
  tid: n.tid,
  pid: n.pid,
  nsTid: n.nsTid,
  nsPid: n.nsPid,
  startTime: n.startTime,
  exitTime: n.exitTime,
  exitCode: n.exitCode,
  name: n.name,
  uid: n.uid,
  gid: n.gid,
  placeholder: n.placeholder,
  spawnParentId: n.spawnParentId,
  parent: n.parent,
  exec: n.exec,
  containerId: n.containerId,
  children: n.children,
  threads: n.threads,
  liveChildren: n.liveChildren,
  liveThreads: n.liveThreads,
  liveSince: n.liveSince,
  _cv: 0,
  _wv: 0,
  _uh: -1,
  _mc: undefined,
  _pm: undefined,
});

/** A copy of a thread node built as one literal (see {@link cloneProcess}). */
export const cloneThread = (n: ThreadNode): Mutable<ThreadNode> => ({
  kind: 'thread',
  id: n.id,
  tid: n.tid,
  pid: n.pid,
  nsTid: n.nsTid,
  nsPid: n.nsPid,
  startTime: n.startTime,
  exitTime: n.exitTime,
  exitCode: n.exitCode,
  name: n.name,
  uid: n.uid,
  gid: n.gid,
  placeholder: n.placeholder,
  leaderId: n.leaderId,
  _cv: 0,
  _wv: 0,
  _uh: -1,
  _mc: undefined,
});

/**
 * A node with `changes` written, keeping identity. Inside a draft a node is written in place:
 * a node the reducer just made (not stored yet) directly, the store's live node through the
 * draft (each overwritten field goes to the undo log, so older versions still read the old
 * value). Anything else (a copy read from an older version) is copied first. Returns the node
 * to keep using (`putProcess` / `putThread` store a node that is not stored yet).
 */
export function patch<T extends ProcessNode | ThreadNode>(tree: ProcessTree, node: T, changes: Partial<T>): T {
  if (node._cv === 0 && node._wv === 0) {
    // made by this reducer, not stored yet: it owns it
    const own = node as Mutable<T>;
    for (const k in changes) own[k] = changes[k] as T[typeof k];
    return node;
  }
  const draft = draftOf(tree);
  if (draft.holds(node)) {
    const { pid, tid, startTime, exitTime } = node;
    if (draft.write(node, changes) && listedChanged(node, pid, tid, startTime, exitTime)) touchListers(draft, node);
    return node;
  }
  const copy = (node.kind === 'process' ? cloneProcess(node) : cloneThread(node)) as Mutable<T>;
  for (const c in changes) copy[c] = changes[c] as T[typeof c];
  return copy;
}

/**
 * A set and its live subset after adding `id` to both: while the live subset is the very same
 * small set (everyone in it alive: the usual case), it stays the same array — one, not two.
 * Only immutable arrays are shared: a large set (a HAMT) is updated transiently inside a draft,
 * and a shared one would change both.
 */
export const addToBoth = (tree: ProcessTree, all: IdSet, live: IdSet, id: EntityId, alive: boolean): { all: IdSet; live: IdSet } => {
  const nextAll = setAdd(tree, all, id);
  if (!alive) return { all: nextAll, live };
  return { all: nextAll, live: live === all && Array.isArray(nextAll) ? nextAll : setAdd(tree, live, id) };
};

/** `parent` with `childId` among its children (and its live children unless `alive` is false). */
export function addChild(tree: ProcessTree, parent: ProcessNode, childId: EntityId, alive = true): ProcessNode {
  const { all, live } = addToBoth(tree, parent.children, parent.liveChildren, childId, alive);
  return patch(tree, parent, { children: all, liveChildren: live });
}

/** `proc` with `threadId` among its threads (and its live threads unless `alive` is false). */
export function addThread(tree: ProcessTree, proc: ProcessNode, threadId: EntityId, alive = true): ProcessNode {
  const { all, live } = addToBoth(tree, proc.threads, proc.liveThreads, threadId, alive);
  return patch(tree, proc, { threads: all, liveThreads: live });
}

/**
 * A live subset without `id`. While it is the very set of all (see {@link addToBoth}) it is
 * removed from persistently: a transient removal would change the set of all too.
 */
const removeFromLive = (tree: ProcessTree, all: IdSet, live: IdSet, id: EntityId): IdSet => (live === all ? idsRemove(live, id) : setRemove(tree, live, id));

/** A set and its live subset without `id` (still one array when they were). */
export const removeFromBoth = (tree: ProcessTree, all: IdSet, live: IdSet, id: EntityId): { all: IdSet; live: IdSet } => {
  const nextAll = setRemove(tree, all, id);
  return { all: nextAll, live: live === all && Array.isArray(nextAll) ? nextAll : setRemove(tree, live, id) };
};

/** `proc` without `childId` among its live children, as of exit time `t`. */
export function dropLiveChild(tree: ProcessTree, proc: ProcessNode, childId: EntityId, t: Nanos): ProcessNode {
  if (!idsHas(proc.liveChildren, childId)) return proc;
  return patch(tree, proc, { liveChildren: removeFromLive(tree, proc.children, proc.liveChildren, childId), liveSince: t > proc.liveSince ? t : proc.liveSince });
}

/** `proc` without `threadId` among its live threads, as of exit time `t`. */
export function dropLiveThread(tree: ProcessTree, proc: ProcessNode, threadId: EntityId, t: Nanos): ProcessNode {
  if (!idsHas(proc.liveThreads, threadId)) return proc;
  return patch(tree, proc, { liveThreads: removeFromLive(tree, proc.threads, proc.liveThreads, threadId), liveSince: t > proc.liveSince ? t : proc.liveSince });
}

/** The tree with `childId` in the children of `parent.id` (a placeholder parent is created when unknown). */
export function linkChild(tree: ProcessTree, parent: { readonly id: EntityId; readonly pid: number }, childId: EntityId, alive = true): ProcessTree {
  if (parent.id === 0) return tree;
  const node = tree.processes.get(parent.id) ?? placeholderProcess(parent.id, parent.pid);
  const next = putProcess(tree, addChild(tree, node, childId, alive));
  return indexPid(next, node.pid, node.id);
}
