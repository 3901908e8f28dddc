/**
 * What a task is: the immutable nodes of the process tree and the tree value itself.
 * No RxJS here, no I/O: plain data that the pure reducers (src/tree/apply*.ts) transform and the
 * queries (src/tree/queries.ts) read.
 *
 * @module
 */
import type { EntityId, Nanos } from '../streams/types.js';
import type { Changelog } from './changelog.js';
import type { IdSet } from './idSet.js';
import { Snapshot } from './snapshot.js';
import { TreeStore, type Retention } from './store.js';
import { NODE_KINDS } from './nodeKinds.js';
import type { FileRecord } from './records.js';

/** The parent a process has at some time. */
export interface ParentRef {
  readonly id: EntityId;
  /** Host pid of the parent (0 when unknown). */
  readonly pid: number;
  /** The parent's pid in its own namespace, when known. */
  readonly nsPid: number | undefined;
}

/** One exec: the program a process runs from `time` on. */
export interface ExecState {
  readonly time: Nanos;
  readonly cmdpath: string;
  readonly argv: readonly string[] | undefined;
  readonly executable: FileRecord | undefined;
  readonly interpreter: FileRecord | undefined;
  readonly interp: FileRecord | undefined;
  /** True when this is the parent's program, inherited at fork (no exec seen yet). */
  readonly inherited: boolean;
}

/** Fields a process and a thread share (Tracee's TaskInfo). */
export interface TaskNode {
  readonly id: EntityId;
  /** Host tid / pid and namespace tid / pid; 0 when not known yet. Fixed for a task's life. */
  readonly tid: number;
  readonly pid: number;
  readonly nsTid: number;
  readonly nsPid: number;
  /** Epoch ns; `undefined` while only referenced (placeholder). */
  readonly startTime: Nanos | undefined;
  readonly exitTime: Nanos | undefined;
  /** Raw kernel exit code (`status << 8 | signal`). */
  readonly exitCode: number | undefined;
  /** comm (Tracee: cmdpath after exec at the seed; we keep comm, and cmdpath in `exec`). */
  readonly name: Changelog<string>;
  readonly uid: Changelog<number>;
  readonly gid: Changelog<number>;
  /** True while the node is known only by reference (unknown parent, exec before fork, …). */
  readonly placeholder: boolean;
  /** @internal Version that created this node object in its store (0: not in a store). */
  readonly _cv: number;
  /** @internal Version of its last write (a node read from a snapshot is valid until the next change). */
  readonly _wv: number;
  /** @internal Its newest undo record. */
  readonly _uh: number;
  /** @internal Its last materialised older version. */
  readonly _mc: unknown;
}

/** A process (thread-group leader), keyed by its entity id. */
export interface ProcessNode extends TaskNode {
  readonly kind: 'process';
  /** The parent at spawn (fork) time; never changes. 0 when unknown. */
  readonly spawnParentId: EntityId;
  /** The current parent over time (reparenting when a parent exits). */
  readonly parent: Changelog<ParentRef>;
  readonly exec: Changelog<ExecState>;
  readonly containerId: string;
  /** Child processes (leader ids) ever seen and not evicted. */
  readonly children: IdSet;
  /** Threads of this group (thread ids, the leader's own included) ever seen and not evicted. */
  readonly threads: IdSet;
  /** The children not known to have exited (a subset of `children`). */
  readonly liveChildren: IdSet;
  /** The threads not known to have exited (a subset of `threads`). */
  readonly liveThreads: IdSet;
  /**
   * The latest exit time that removed an id from `liveChildren` / `liveThreads` (0n: none). A
   * query at or after it reads the live sets (O(live)); an earlier query walks the full sets.
   */
  readonly liveSince: Nanos;
  /** @internal Its memoised query answers (see queries.ts). */
  readonly _pm: unknown;
}

/** A thread (every task, leaders included, has one), keyed by its entity id. */
export interface ThreadNode extends TaskNode {
  readonly kind: 'thread';
  /** The thread-group leader = the process entity id. */
  readonly leaderId: EntityId;
}

/** Bounds and switches of a tree; carried inside the tree value so reducers stay `(tree, record) => tree`. */
export interface TreeConfig {
  /** Max entries per field changelog (per entity). Default 16. */
  readonly maxFieldHistory: number;
  /** Max entity ids remembered per pid (pid reuse). Default 4. */
  readonly maxIdsPerPid: number;
}

/** Defaults for {@link TreeConfig}. */
export const DEFAULT_TREE_CONFIG: TreeConfig = { maxFieldHistory: 16, maxIdsPerPid: 4 };

/** Counters a tree carries (they change only when the tree changes). */
export interface TreeCounters {
  readonly evictedProcesses: number;
  readonly evictedThreads: number;
}

/** A read-only map of a tree snapshot, keyed by entity id (or host pid for the pid index). */
export interface TreeMap<V> {
  /** Number of keys holding a value in this snapshot. */
  readonly size: number;
  /**
   * The value of `key` in this snapshot. A node read from the newest version is the store's own
   * object, updated in place by the next change: read the snapshot again rather than keeping it.
   */
  get(key: number): V | undefined;
  /** Does `key` hold a value in this snapshot? */
  has(key: number): boolean;
  /** Visits every key holding a value in this snapshot (first-insertion order). */
  forEach(f: (value: V, key: number) => void): void;
  /** Every key holding a value in this snapshot. */
  keys(): number[];
  /** Every value in this snapshot. */
  values(): V[];
}

/**
 * A pin keeps a snapshot answering beyond its store's retention bound until it is released
 * (`using pin = tree.pin()` where explicit resource management is available).
 */
export interface SnapshotPin {
  /** Lets the store vacuum the version again. Idempotent. */
  release(): void;
  [Symbol.dispose](): void;
}

/**
 * The process tree at one version: an immutable snapshot of a version-stamped store (see
 * README "How versions work"). A snapshot never changes what it answers while its version is
 * retained (or pinned); after that every read throws {@link VersionNotRetainedError} — never a
 * wrong or partial answer. A change that changes nothing yields the same value.
 */
export interface ProcessTree {
  /** Increments with every effective change. */
  readonly version: number;
  /** Time of the newest change applied (epoch ns), 0n when empty. */
  readonly time: Nanos;
  readonly processes: TreeMap<ProcessNode>;
  readonly threads: TreeMap<ThreadNode>;
  /** Host pid → process ids that had it, oldest first (bounded, for "which process was pid P at T"). */
  readonly pids: TreeMap<readonly EntityId[]>;
  readonly counters: TreeCounters;
  readonly config: TreeConfig;
  /** Is this snapshot still answering (retained by its store, or pinned)? */
  readonly retained: boolean;
  /** Keeps this snapshot answering until the pin is released. Throws when it is no longer retained. */
  pin(): SnapshotPin;
  /** @internal The store this snapshot reads. */
  readonly store: Store;
  /** @internal Set only on a draft (a version being written): the transient-batch token. */
  readonly edit?: object | undefined;
}

/** @internal The store type of the tree. */
export type Store = TreeStore<ProcessNode, ThreadNode>;

/** Options of {@link emptyTree}: per-field bounds and version retention. */
export interface EmptyTreeOptions extends Partial<TreeConfig> {
  /** How many versions stay answering (default: the newest 4096). */
  readonly retention?: Retention;
}

/**
 * An empty tree: version 0 of a new store.
 * @example
 * ```ts
 * import { emptyTree } from 'proctree-rx';
 * const tree = emptyTree({ maxFieldHistory: 32, retention: { maxVersions: 100_000 } });
 * ```
 */
export function emptyTree(options: EmptyTreeOptions = {}): ProcessTree {
  const config: TreeConfig = {
    maxFieldHistory: options.maxFieldHistory ?? DEFAULT_TREE_CONFIG.maxFieldHistory,
    maxIdsPerPid: options.maxIdsPerPid ?? DEFAULT_TREE_CONFIG.maxIdsPerPid,
  };
  return new Snapshot(new TreeStore<ProcessNode, ThreadNode>(NODE_KINDS, options.retention), 0, 0n, config);
}

/**
 * Is the task alive at `t`? Started at or before t, and not exited at or before t.
 * @example
 * ```ts
 * import { isAliveAt } from 'proctree-rx';
 * const alive = [...tree.processes.values()].filter((p) => isAliveAt(p, t)).length;
 * ```
 */
export function isAliveAt(task: TaskNode, t: Nanos): boolean {
  if (task.startTime !== undefined && t < task.startTime) return false;
  return task.exitTime === undefined || t < task.exitTime;
}
