/**
 * Tree values over the version-stamped store: a {@link Snapshot} reads the store as of its
 * version; a {@link Draft} is the version being written by the reducers (internal to src/tree/).
 *
 * @module
 */
import type { EntityId, Nanos } from '../streams/types.js';
import type { ProcessNode, ProcessTree, SnapshotPin, Store, ThreadNode, TreeConfig, TreeCounters, TreeMap } from './model.js';
import { VersionField, type VersionedMap } from './store.js';

/** A map of a snapshot: reads `map` as of `version`, after checking the version is still retained. */
class SnapshotMap<V> implements TreeMap<V> {
  constructor(
    private readonly store: Store,
    private readonly map: VersionedMap<V>,
    private readonly version: number,
    private readonly field: VersionField,
  ) {}

  get size(): number {
    this.store.check(this.version);
    return this.version === this.store.pending ? this.map.count : this.store.int(this.version, this.field);
  }

  get(key: number): V | undefined {
    if (this.version < this.store.horizon) this.store.check(this.version);
    return this.map.get(key, this.version);
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  forEach(f: (value: V, key: number) => void): void {
    this.store.check(this.version);
    this.map.forEach(this.version, f);
  }

  keys(): number[] {
    const out: number[] = [];
    this.forEach((_v, k) => out.push(k));
    return out;
  }

  values(): V[] {
    const out: V[] = [];
    this.forEach((v) => out.push(v));
    return out;
  }
}

const pinOf = (store: Store, version: number): SnapshotPin => {
  const release = store.pin(version);
  return { release, [Symbol.dispose]: release };
};

/** A committed version of a tree. */
export class Snapshot implements ProcessTree {
  readonly processes: TreeMap<ProcessNode>;
  readonly threads: TreeMap<ThreadNode>;
  readonly pids: TreeMap<readonly EntityId[]>;

  constructor(
    readonly store: Store,
    readonly version: number,
    readonly time: Nanos,
    readonly config: TreeConfig,
  ) {
    this.processes = new SnapshotMap(store, store.processes, version, VersionField.Processes);
    this.threads = new SnapshotMap(store, store.threads, version, VersionField.Threads);
    this.pids = new SnapshotMap(store, store.pids, version, VersionField.Pids);
  }

  get counters(): TreeCounters {
    this.store.check(this.version);
    return { evictedProcesses: this.store.int(this.version, VersionField.EvictedProcesses), evictedThreads: this.store.int(this.version, VersionField.EvictedThreads) };
  }

  get retained(): boolean {
    return this.store.retains(this.version);
  }

  pin(): SnapshotPin {
    return pinOf(this.store, this.version);
  }
}

/**
 * The version being written: reads see the draft's own writes; writes go to the store stamped
 * with the draft's version. Never seen outside src/tree/ (reducers receive it, applyRecord
 * commits it into a {@link Snapshot}).
 */
export class Draft implements ProcessTree {
  readonly processes: TreeMap<ProcessNode>;
  readonly threads: TreeMap<ThreadNode>;
  readonly pids: TreeMap<readonly EntityId[]>;
  /** Transient-batch token: id-set branches created under it are updated in place. */
  readonly edit: object = {};
  /** Effective writes so far. */
  changes = 0;
  time: Nanos;

  constructor(
    readonly store: Store,
    readonly version: number,
    time: Nanos,
    readonly config: TreeConfig,
  ) {
    this.time = time;
    this.processes = new SnapshotMap(store, store.processes, version, VersionField.Processes);
    this.threads = new SnapshotMap(store, store.threads, version, VersionField.Threads);
    this.pids = new SnapshotMap(store, store.pids, version, VersionField.Pids);
  }

  get counters(): TreeCounters {
    return { evictedProcesses: this.store.evictedProcesses, evictedThreads: this.store.evictedThreads };
  }

  get retained(): boolean {
    return true;
  }

  pin(): SnapshotPin {
    throw new Error('a draft cannot be pinned');
  }

  /** Writes `node` as the process `node.id`. */
  putProcess(node: ProcessNode): void {
    this.store.processes.set(node.id, node, this.version);
    this.changes++;
  }

  /** Removes process `id`. */
  removeProcess(id: EntityId): void {
    this.store.processes.set(id, undefined, this.version);
    this.changes++;
  }

  /** Writes `node` as the thread `node.id`. */
  putThread(node: ThreadNode): void {
    this.store.threads.set(node.id, node, this.version);
    this.changes++;
  }

  /** Removes thread `id`. */
  removeThread(id: EntityId): void {
    this.store.threads.set(id, undefined, this.version);
    this.changes++;
  }

  /** Writes the holders of host `pid` (`undefined`: none). */
  putPid(pid: number, ids: readonly EntityId[] | undefined): void {
    this.store.pids.set(pid, ids, this.version);
    this.changes++;
  }

  /**
   * Stamps process `id` with this version without changing it: what its queries answer changed
   * through another entity (a child's or thread's pid, start or exit), and the entry version is
   * what answer caches key on.
   */
  touchProcess(id: EntityId): void {
    if (!id || this.store.processes.versionOf(id, this.version) === this.version) return;
    const node = this.store.processes.get(id, this.version);
    if (node !== undefined) this.store.processes.set(id, node, this.version);
  }
}

/** Is `tree` a draft (a version being written)? */
export const isDraft = (tree: ProcessTree): tree is Draft => tree.edit !== undefined;
