/**
 * How the tree is asked: Tracee's data-source answers (ProcessInfo, ThreadInfo, FileInfo,
 * lineage) at a given time, in camelCase with exact ns times. Misses are `Option.none`, never
 * exceptions. Every function has a data-first and a data-last form.
 *
 * Boundary rule (everywhere): a change made at time T is visible to a query at T.
 *
 * @module
 */
import * as O from 'fp-ts/lib/Option.js';
import type { EntityId, Nanos } from '../streams/types.js';
import { currentTime, valueAt } from './changelog.js';
import { isAliveAt, type ProcessNode, type ProcessTree, type TaskNode, type ThreadNode } from './model.js';
import { idsEach, idsSize, idsSome, type IdSet } from './idSet.js';
import type { FileRecord } from './records.js';
import type { ProcessArtifacts } from './artifacts/artifactStore.js';

/** Tracee's FileInfo. */
export interface FileInfo {
  readonly path: string;
  /** Always `""` (Tracee never fills it). */
  readonly hash: string;
  readonly inode: bigint;
  readonly device: number;
  readonly ctime: Nanos;
  readonly mode: number;
}

/** Tracee's ProcessInfo, plus what proctree-rx knows beside it. */
export interface ProcessInfo {
  readonly entityId: EntityId;
  readonly pid: number;
  readonly nsPid: number;
  /** Host pid of the parent at the query time. */
  readonly ppid: number;
  readonly containerId: string;
  /** argv of the program running at the query time. */
  readonly cmd: readonly string[];
  readonly executionBinary: FileInfo;
  readonly interpreter: FileInfo;
  readonly interp: FileInfo;
  /** Epoch ns; 0n when unknown. */
  readonly startTime: Nanos;
  /** Time of the exec in effect at the query time; 0n when none was seen. */
  readonly execTime: Nanos;
  /** Epoch ns of the exit when it happened at or before the query time, else `undefined`. */
  readonly exitTime: Nanos | undefined;
  /** Parent at the query time (follows reparenting). */
  readonly parentEntityId: EntityId;
  /** tid → thread id, for threads alive at the query time (Tracee's `map[int]uint32`, as a Map: keys stay numbers). */
  readonly threadsIds: ReadonlyMap<number, EntityId>;
  /** pid → process id, for child processes alive at the query time. */
  readonly childProcessesIds: ReadonlyMap<number, EntityId>;
  readonly isAlive: boolean;
  // ── beyond Tracee ──
  /** comm at the query time. */
  readonly name: string;
  /** The parent at spawn time (never changes). */
  readonly spawnParentEntityId: EntityId;
  /** Raw kernel exit code (`status << 8 | signal`), when exited at the query time. */
  readonly exitCode: number | undefined;
  readonly userId: number | undefined;
  readonly groupId: number | undefined;
  /** True when the program was inherited from the parent at fork (no exec seen since). */
  readonly execInherited: boolean;
  /** True while known only by reference (fields may be missing). */
  readonly placeholder: boolean;
  /**
   * What the process did as of the query time (files, network, executions, …): opt-in, present
   * only in answers of a data source whose builder keeps artifacts (`artifacts` option).
   */
  readonly artifacts?: ProcessArtifacts;
}

/** Tracee's ThreadInfo. */
export interface ThreadInfo {
  readonly entityId: EntityId;
  readonly tid: number;
  readonly nsTid: number;
  readonly pid: number;
  readonly userId: number | undefined;
  readonly groupId: number | undefined;
  readonly startTime: Nanos;
  readonly exitTime: Nanos | undefined;
  readonly name: string;
  /** The thread's process (group leader). Tracee leaves it 0; we fill it. */
  readonly processEntityId: EntityId;
  readonly isAlive: boolean;
  readonly exitCode: number | undefined;
}

/** Which parent a lineage walk follows. */
export type LineageFollow = 'spawn' | 'current';

/** Options of {@link lineageAt}. */
export interface LineageOptions {
  /** `spawn` (default, Tracee's seed semantics: ancestors read at the child's start) or `current` (reparented parents, read at the query time). */
  readonly follow?: LineageFollow;
  /**
   * Fill `threadsIds` / `childProcessesIds` of the ancestors too (default false: they stay empty,
   * which keeps lineage O(depth) instead of O(every child of every ancestor); element 0 always has
   * them). Tracee fills them; set this for a byte-for-byte port.
   */
  readonly ancestorMaps?: boolean;
}

/** An empty FileInfo (nothing known). */
export const EMPTY_FILE_INFO: FileInfo = Object.freeze({ path: '', hash: '', inode: 0n, device: 0, ctime: 0n, mode: 0 });

/** FileRecord → FileInfo. */
const FILE_INFOS = new WeakMap<FileRecord, FileInfo>();

/** FileRecord → FileInfo (one FileInfo per record object: records are immutable and shared across versions). */
export const fileInfo = (f: FileRecord | undefined): FileInfo => {
  if (f === undefined) return EMPTY_FILE_INFO;
  let info = FILE_INFOS.get(f);
  if (info === undefined) {
    info = Object.freeze({ path: f.path, hash: '', inode: f.inode, device: f.dev, ctime: f.ctime, mode: f.mode });
    FILE_INFOS.set(f, info);
  }
  return info;
};

/** A query before a task's start is a miss: the task did not exist then, whatever history is kept. */
const startedAfter = (node: { startTime: Nanos | undefined }, t: Nanos): boolean => node.startTime !== undefined && t < node.startTime;

const exitedBy = (node: { exitTime: Nanos | undefined }, t: Nanos): boolean => node.exitTime !== undefined && node.exitTime <= t;

/** The empty argv, shared (answers are read-only). */
const NO_ARGS: readonly string[] = Object.freeze([]);

/** The empty id map, shared (answers are read-only). */
const NO_IDS: ReadonlyMap<number, EntityId> = new Map<number, EntityId>();

/**
 * ProcessInfo of a node at `t`. With `maps` false, `threadsIds` and `childProcessesIds` are left
 * empty (they cost a walk of every thread and child ever seen and not evicted).
 */
export function processInfoOf(tree: ProcessTree, node: ProcessNode, t: Nanos, maps = true): ProcessInfo {
  if (!maps) return mapLessInfoOf(node, t);
  const wv = node._wv;
  // a copy read from an older version (write stamp -1) is not memoised: it is made per read
  if (wv <= 0) return boundedProcessInfoOf(tree, node, t, Number.POSITIVE_INFINITY).info;
  const memo = memoOf(node);
  if (memo.fullWv === wv && t >= memo.fullFrom) return memo.full!;
  // the same walk as per-event output, without its bound
  const from = fullySettledSince(tree, node);
  if (t < from) return boundedProcessInfoOf(tree, node, t, Number.POSITIVE_INFINITY).info;
  const info = Object.freeze(boundedProcessInfoOf(tree, node, from, Number.POSITIVE_INFINITY).info);
  memo.fullWv = wv;
  memo.fullFrom = from;
  memo.full = info;
  return info;
}

/**
 * A process node's memoised answers (kept on the node, `_pm`: no side table), each valid while
 * the node's write stamp is the one it was made at, for reads at or after the time it settled:
 * - `summary`: its map-less ProcessInfo (see {@link summaryInfoOf});
 * - `full`: its whole ProcessInfo, id maps included (see {@link processInfoOf}). What the maps
 *   list of a child or thread (its pid / tid, start and exit) stamps the node when it changes
 *   (see nodes.ts `touchProcess`), and so does a child or thread joining or leaving its sets:
 *   while the stamp holds, the answer at any t ≥ `fullFrom` is the same.
 */
class AnswerMemo {
  summaryWv = Number.NaN;
  summaryFrom: Nanos = 0n;
  summary: ProcessInfo | undefined = undefined;
  fullWv = Number.NaN;
  fullFrom: Nanos = 0n;
  full: ProcessInfo | undefined = undefined;
}

/** The memo of `node` (made on first use). */
const memoOf = (node: ProcessNode): AnswerMemo => {
  const held = node._pm;
  if (held instanceof AnswerMemo) return held;
  const memo = new AnswerMemo();
  (node as { _pm: unknown })._pm = memo;
  return memo;
};

/**
 * The time from which {@link processInfoOf}'s whole answer (maps included) stays as it is now:
 * {@link settledSince}, the node's last recorded exit of a thread or child, and the start and exit
 * of every thread and child in its live sets.
 */
function fullySettledSince(tree: ProcessTree, node: ProcessNode): Nanos {
  let from = settledSince(node);
  if (node.liveSince > from) from = node.liveSince;
  const later = (task: TaskNode | undefined): void => {
    if (task === undefined) return;
    if (task.startTime !== undefined && task.startTime > from) from = task.startTime;
    if (task.exitTime !== undefined && task.exitTime > from) from = task.exitTime;
  };
  idsEach(node.liveThreads, (id) => later(tree.threads.get(id)));
  idsEach(node.liveChildren, (id) => later(tree.processes.get(id)));
  return from;
}

/** A ProcessInfo whose id maps hold at most a prefix, with the number of alive threads / children. */
export interface BoundedProcessInfo {
  /** Its `threadsIds` / `childProcessesIds` hold the first `max` alive ones in the tree's set order. */
  readonly info: ProcessInfo;
  readonly threadsCount: number;
  readonly childProcessesCount: number;
}

/**
 * {@link processInfoOf} with bounded work for per-event output: the id maps stop after `max`
 * entries (the first ones in the order the tree holds them — the same as the first `max` entries of
 * {@link processInfoOf}'s maps), and the counts come from the live sets' sizes once they are
 * larger (exact at or after the node's last recorded exit, the case of a time-ordered stream).
 * So a fork bomb's parent costs O(max) per event, not O(children).
 */
export function boundedProcessInfoOf(tree: ProcessTree, node: ProcessNode, t: Nanos, max: number): BoundedProcessInfo {
  // everything but the maps: memoised per node once it has settled (see summaryInfoOf)
  const base = summaryInfoOf(node, t);
  // at or after the last exit the node recorded, its live sets hold everyone alive at t
  const current = t >= node.liveSince;
  const threads = boundedIds(current ? node.liveThreads : node.threads, current, max, (id) => {
    const th = tree.threads.get(id);
    return th !== undefined && isAliveAt(th, t) ? th.tid : undefined;
  });
  const children = boundedIds(current ? node.liveChildren : node.children, current, max, (id) => {
    const child = tree.processes.get(id);
    return child !== undefined && isAliveAt(child, t) ? child.pid : undefined;
  });
  return { info: withIdMaps(base, threads.map, children.map), threadsCount: threads.count, childProcessesCount: children.count };
}

/** The first `max` alive ids of `set` keyed by `keyOf`, and how many are alive. */
function boundedIds(set: IdSet, live: boolean, max: number, keyOf: (id: EntityId) => number | undefined): { map: ReadonlyMap<number, EntityId>; count: number } {
  let map: Map<number, EntityId> | undefined;
  let count = 0;
  const stopped = idsSome(set, (id) => {
    const key = keyOf(id);
    if (key === undefined) return false;
    if (count < max) (map ??= new Map()).set(key, id);
    count++;
    // a live set (read at or after the last exit) holds only alive ids: its size is the count
    return count > max && live;
  });
  // not stopped: the map holds them all (two alive with one pid are one entry, as in processInfoOf)
  return { map: map ?? NO_IDS, count: stopped ? idsSize(set) : (map?.size ?? 0) };
}

/** `base` with its id maps set (a literal, field by field: every ProcessInfo has one hidden class). */
const withIdMaps = (b: ProcessInfo, threadsIds: ReadonlyMap<number, EntityId>, childProcessesIds: ReadonlyMap<number, EntityId>): ProcessInfo => ({
  entityId: b.entityId,
  pid: b.pid,
  nsPid: b.nsPid,
  ppid: b.ppid,
  containerId: b.containerId,
  cmd: b.cmd,
  executionBinary: b.executionBinary,
  interpreter: b.interpreter,
  interp: b.interp,
  startTime: b.startTime,
  execTime: b.execTime,
  exitTime: b.exitTime,
  parentEntityId: b.parentEntityId,
  threadsIds,
  childProcessesIds,
  isAlive: b.isAlive,
  name: b.name,
  spawnParentEntityId: b.spawnParentEntityId,
  exitCode: b.exitCode,
  userId: b.userId,
  groupId: b.groupId,
  execInherited: b.execInherited,
  placeholder: b.placeholder,
});

/** ProcessInfo of a node at `t` with empty id maps: a pure function of the node and `t`. */
function mapLessInfoOf(node: ProcessNode, t: Nanos): ProcessInfo {
  const exec = valueAt(node.exec, t);
  const parent = valueAt(node.parent, t);
  const exited = exitedBy(node, t);
  return {
    entityId: node.id,
    pid: node.pid,
    nsPid: node.nsPid,
    ppid: parent?.pid ?? 0,
    containerId: node.containerId,
    cmd: exec?.argv ?? NO_ARGS,
    executionBinary: fileInfo(exec?.executable),
    interpreter: fileInfo(exec?.interpreter),
    interp: fileInfo(exec?.interp),
    startTime: node.startTime ?? 0n,
    execTime: exec !== undefined && !exec.inherited ? exec.time : 0n,
    exitTime: exited ? node.exitTime : undefined,
    parentEntityId: parent?.id ?? node.spawnParentId,
    threadsIds: NO_IDS,
    childProcessesIds: NO_IDS,
    isAlive: isAliveAt(node, t),
    name: valueAt(node.name, t) ?? '',
    spawnParentEntityId: node.spawnParentId,
    exitCode: exited ? node.exitCode : undefined,
    userId: valueAt(node.uid, t),
    groupId: valueAt(node.gid, t),
    execInherited: exec?.inherited ?? false,
    placeholder: node.placeholder,
  };
}

/**
 * The time from which every field a ProcessInfo shows of `node` without its threads/children maps
 * stays as it is now: its start, and the newest entry of each of its changelogs and its exit.
 */
export function settledSince(node: ProcessNode): Nanos {
  let from = node.startTime ?? 0n;
  for (const t of [currentTime(node.name), currentTime(node.exec), currentTime(node.parent), currentTime(node.uid), currentTime(node.gid), node.exitTime]) {
    if (t !== undefined && t > from) from = t;
  }
  return from;
}

/**
 * {@link processInfoOf} without the threads/children maps, memoised per node for reads at or
 * after the node's last change (the usual case for ancestors: shells and daemons change rarely,
 * and many descendants share them). The memoised answer is frozen and shared.
 */
export function summaryInfoOf(node: ProcessNode, t: Nanos): ProcessInfo {
  const memo = memoOf(node);
  // a stored node is updated in place: its memo holds while its write stamp does
  if (memo.summaryWv !== node._wv) {
    const from = settledSince(node);
    if (t < from) return mapLessInfoOf(node, t);
    memo.summaryWv = node._wv;
    memo.summaryFrom = from;
    memo.summary = Object.freeze(mapLessInfoOf(node, from));
  }
  return t >= memo.summaryFrom ? memo.summary! : mapLessInfoOf(node, t);
}

/** ThreadInfo of a node at `t`. */
export function threadInfoOf(node: ThreadNode, t: Nanos): ThreadInfo {
  const exited = exitedBy(node, t);
  return {
    entityId: node.id,
    tid: node.tid,
    nsTid: node.nsTid,
    pid: node.pid,
    userId: valueAt(node.uid, t),
    groupId: valueAt(node.gid, t),
    startTime: node.startTime ?? 0n,
    exitTime: exited ? node.exitTime : undefined,
    name: valueAt(node.name, t) ?? '',
    processEntityId: node.leaderId,
    isAlive: isAliveAt(node, t),
    exitCode: exited ? node.exitCode : undefined,
  };
}

/**
 * The process `entityId` as of time `t` (Tracee: ProcKey). O(log32 n) plus its threads/children.
 * @example
 * ```ts
 * import * as O from 'fp-ts/lib/Option.js';
 * const info = processAt(tree, 488936476, 1795582946700000000n);
 * if (O.isSome(info)) console.log(info.value.executionBinary.path);
 * ```
 */
export function processAt(tree: ProcessTree, entityId: EntityId, t: Nanos): O.Option<ProcessInfo>;
export function processAt(entityId: EntityId, t: Nanos): (tree: ProcessTree) => O.Option<ProcessInfo>;
export function processAt(...a: [ProcessTree, EntityId, Nanos] | [EntityId, Nanos]): O.Option<ProcessInfo> | ((tree: ProcessTree) => O.Option<ProcessInfo>) {
  if (a.length === 2) return (tree: ProcessTree) => processAt(tree, a[0], a[1]);
  const [tree, id, t] = a;
  const node = tree.processes.get(id >>> 0);
  return node === undefined || startedAfter(node, t) ? O.none : O.some(processInfoOf(tree, node, t));
}

/**
 * The thread `entityId` as of time `t` (Tracee: ThreadKey).
 * @example
 * ```ts
 * import { threadAt, toUndefined } from 'proctree-rx';
 * console.log(toUndefined(threadAt(tree, entityId, t))?.tid);
 * ```
 */
export function threadAt(tree: ProcessTree, entityId: EntityId, t: Nanos): O.Option<ThreadInfo>;
export function threadAt(entityId: EntityId, t: Nanos): (tree: ProcessTree) => O.Option<ThreadInfo>;
export function threadAt(...a: [ProcessTree, EntityId, Nanos] | [EntityId, Nanos]): O.Option<ThreadInfo> | ((tree: ProcessTree) => O.Option<ThreadInfo>) {
  if (a.length === 2) return (tree: ProcessTree) => threadAt(tree, a[0], a[1]);
  const [tree, id, t] = a;
  const node = tree.threads.get(id >>> 0);
  return node === undefined || startedAfter(node, t) ? O.none : O.some(threadInfoOf(node, t));
}

/**
 * The process and up to `maxDepth` ancestors as of `t` (Tracee: LineageKey). The walk stops at
 * a process whose namespace pid is 1 (init ends it, included), at an unknown parent, or at a
 * cycle. `maxDepth` 0 → just the process. With `follow: 'spawn'` (default) each ancestor is read
 * at its child's start time, as Tracee does; with `'current'` parents follow reparenting and are
 * read at `t`. Ancestors' `threadsIds` / `childProcessesIds` are empty unless
 * `options.ancestorMaps` is set.
 * @example
 * ```ts
 * const chain = lineageAt(tree, id, t, 5); // Some([self, parent, grandparent, …])
 * ```
 */
export function lineageAt(tree: ProcessTree, entityId: EntityId, t: Nanos, maxDepth: number, options?: LineageOptions): O.Option<ProcessInfo[]>;
export function lineageAt(entityId: EntityId, t: Nanos, maxDepth: number, options?: LineageOptions): (tree: ProcessTree) => O.Option<ProcessInfo[]>;
export function lineageAt(
  ...a: [ProcessTree, EntityId, Nanos, number, LineageOptions?] | [EntityId, Nanos, number, LineageOptions?]
): O.Option<ProcessInfo[]> | ((tree: ProcessTree) => O.Option<ProcessInfo[]>) {
  if (typeof a[0] === 'number') {
    const [id, t, depth, opts] = a as [EntityId, Nanos, number, LineageOptions?];
    return (tree: ProcessTree) => lineageAt(tree, id, t, depth, opts);
  }
  const [tree, id, t, maxDepth, opts] = a as [ProcessTree, EntityId, Nanos, number, LineageOptions?];
  const node = tree.processes.get(id >>> 0);
  if (node === undefined || startedAfter(node, t)) return O.none;
  const out: ProcessInfo[] = [processInfoOf(tree, node, t)];
  const maps = opts?.ancestorMaps === true;
  walkLineage(tree, node, t, maxDepth, opts?.follow ?? 'spawn', (parent, at) => {
    out.push(maps ? processInfoOf(tree, parent, at) : summaryInfoOf(parent, at));
  });
  return O.some(out);
}

/**
 * The one lineage walk (queries, the data source and the per-event ancestors all take it): calls
 * `visit(parent, at)` for each ancestor of `node`, nearest first, at most `maxDepth`, with the
 * time `at` it is read at. It stops after a process whose namespace pid is 1, at an unknown
 * parent, or at a cycle. `spawn`: each ancestor is the spawn parent (the parent as of the child's
 * start when the spawn parent is unknown), read at its child's start; `current`: the parent as of
 * `t`, read at `t`.
 *
 * @example
 * ```ts
 * import { walkLineage } from './queries.js';
 * walkLineage(tree, node, t, 5, 'spawn', (parent, at) => console.log(parent.pid, at));
 * ```
 */
export function walkLineage(tree: ProcessTree, start: ProcessNode, t: Nanos, maxDepth: number, follow: LineageFollow, visit: (parent: ProcessNode, at: Nanos) => void): void {
  let node = start;
  let at = t;
  // a handful of ids: an array scan beats a Set here
  const seen: EntityId[] = [node.id];
  for (let depth = 0; depth < maxDepth; depth++) {
    if (node.nsPid === 1) break;
    const parentId: number = follow === 'spawn' ? node.spawnParentId || (valueAt(node.parent, at)?.id ?? 0) : (valueAt(node.parent, at)?.id ?? node.spawnParentId);
    if (follow === 'spawn' && node.startTime !== undefined && node.startTime < at) at = node.startTime;
    const parent: ProcessNode | undefined = parentId ? tree.processes.get(parentId) : undefined;
    if (parent === undefined || seen.includes(parent.id)) break;
    seen.push(parent.id);
    visit(parent, at);
    node = parent;
  }
}

/**
 * The process that had host pid `pid` at time `t` — the newest one started at or before `t`
 * (pids are reused; the tree remembers a few holders per pid).
 * @example
 * ```ts
 * const who = processByPidAt(tree, 4242, t); // Some(ProcessInfo) or None
 * ```
 */
export function processByPidAt(tree: ProcessTree, pid: number, t: Nanos): O.Option<ProcessInfo> {
  const ids = tree.pids.get(pid);
  if (ids === undefined) return O.none;
  for (let i = ids.length - 1; i >= 0; i--) {
    const node = tree.processes.get(ids[i]!);
    if (node !== undefined && (node.startTime === undefined || node.startTime <= t)) return O.some(processInfoOf(tree, node, t));
  }
  return O.none;
}

/**
 * The entity id of the process that had host pid `pid` at `t`, if any.
 * @example
 * ```ts
 * import { entityIdOfPid, isSome, lineageAt } from 'proctree-rx';
 * const id = entityIdOfPid(tree, 4242, t);
 * if (isSome(id)) lineageAt(tree, id.value, t, 5);
 * ```
 */
export function entityIdOfPid(tree: ProcessTree, pid: number, t: Nanos): O.Option<EntityId> {
  return O.map((p: ProcessInfo) => p.entityId)(processByPidAt(tree, pid, t));
}
