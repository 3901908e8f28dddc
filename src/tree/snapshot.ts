/**
 * Tree values over the version-stamped store: a {@link Snapshot} reads the store as of its
 * version; a {@link Draft} is the version being written by the reducers (internal to src/tree/).
 *
 * @module
 */
import type { EntityId, Nanos } from '../streams/types.js';
import type { ProcessNode, ProcessTree, SnapshotPin, Store, ThreadNode, TreeConfig, TreeCounters, TreeMap } from './model.js';
import { VersionField, type VersionedReads } from './store.js';

/** A map of a snapshot: reads `map` as of a version, after checking the version is still retained. */
abstract class VersionedView<V> implements TreeMap<V> {
  constructor(
    protected readonly store: Store,
    protected readonly map: VersionedReads<V>,
    private readonly field: VersionField,
  ) {}

  /** The version read. */
  protected abstract at(): number;

  get size(): number {
    const version = this.at();
    this.store.check(version);
    return version === this.store.pending ? this.map.count : this.store.int(version, this.field);
  }

  abstract get(key: number): V | undefined;

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  forEach(f: (value: V, key: number) => void): void {
    const version = this.at();
    this.store.check(version);
    this.map.forEach(version, f);
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

/** A committed snapshot's map: one fixed version. */
class SnapshotMap<V> extends VersionedView<V> {
  constructor(
    store: Store,
    map: VersionedReads<V>,
    field: VersionField,
    private readonly version: number,
  ) {
    super(store, map, field);
  }

  protected at(): number {
    return this.version;
  }

  get(key: number): V | undefined {
    if (this.version < this.store.horizon) this.store.check(this.version);
    return this.map.get(key, this.version);
  }
}

/** A draft's map: the version the draft is writing (the draft object is reused). */
class DraftMap<V> extends VersionedView<V> {
  constructor(
    private readonly draft: { readonly version: number; readonly store: Store },
    map: VersionedReads<V>,
    field: VersionField,
  ) {
    super(draft.store, map, field);
  }

  protected at(): number {
    return this.draft.version;
  }

  get(key: number): V | undefined {
    return this.map.get(key, this.draft.version);
  }
}

const pinOf = (store: Store, version: number): SnapshotPin => {
  const release = store.pin(version);
  return { release, [Symbol.dispose]: release };
};

/** A committed version of a tree. Its maps are made on first use (most versions are never read). */
export class Snapshot implements ProcessTree {
  private p: TreeMap<ProcessNode> | undefined;
  private t: TreeMap<ThreadNode> | undefined;
  private i: TreeMap<readonly EntityId[]> | undefined;

  constructor(
    readonly store: Store,
    readonly version: number,
    readonly time: Nanos,
    readonly config: TreeConfig,
  ) {}

  get processes(): TreeMap<ProcessNode> {
    return (this.p ??= new SnapshotMap(this.store, this.store.processes, VersionField.Processes, this.version));
  }

  get threads(): TreeMap<ThreadNode> {
    return (this.t ??= new SnapshotMap(this.store, this.store.threads, VersionField.Threads, this.version));
  }

  get pids(): TreeMap<readonly EntityId[]> {
    return (this.i ??= new SnapshotMap(this.store, this.store.pids, VersionField.Pids, this.version));
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
  /** Transient-batch token: id-set branches created under it are updated in place (a new one per version). */
  edit: object = {};
  /** Effective writes so far. */
  changes = 0;
  version = 0;
  time: Nanos = 0n;
  config: TreeConfig;
  /** Processes whose answers changed through another entity (replaced at the end of the draft). */
  readonly touched: EntityId[] = [];

  /** One draft per store, reused for every version it writes. */
  private constructor(readonly store: Store, config: TreeConfig) {
    this.config = config;
    this.processes = new DraftMap(this, store.processes, VersionField.Processes);
    this.threads = new DraftMap(this, store.threads, VersionField.Threads);
    this.pids = new DraftMap(this, store.pids, VersionField.Pids);
  }

  /** Opens the store's draft for its next version, starting from `tree`. */
  static open(store: Store, tree: ProcessTree): Draft {
    const draft = (store.draft instanceof Draft ? store.draft : (store.draft = new Draft(store, tree.config))) as Draft;
    draft.version = store.open();
    draft.time = tree.time;
    draft.config = tree.config;
    draft.changes = 0;
    draft.edit = {};
    if (draft.touched.length > 0) draft.touched.length = 0;
    return draft;
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

  /** Is `node` the newest stored node of its entity (written in place by {@link write})? */
  holds(node: ProcessNode | ThreadNode): boolean {
    return node.kind === 'process' ? this.store.processes.holds(node.id, node) : this.store.threads.holds(node.id, node);
  }

  /**
   * Writes `changes` into `node`, the newest stored node of its entity ({@link holds}), in
   * place: each overwritten field goes to the undo log. Returns whether anything changed.
   */
  write<N extends ProcessNode | ThreadNode>(node: N, changes: Partial<N>): boolean {
    const changed =
      node.kind === 'process'
        ? this.store.processes.write(node.id, node, changes as Partial<ProcessNode>, this.version)
        : this.store.threads.write(node.id, node, changes as Partial<ThreadNode>, this.version);
    if (changed) this.changes++;
    return changed;
  }

  /** Writes `node` as the process `node.id` (the stored node is updated in place: read it again after). */
  putProcess(node: ProcessNode): void {
    if (this.store.processes.set(node.id, node, this.version)) this.changes++;
  }

  /** Stamps process `id` as written by this draft (its answers changed through another entity). */
  touchProcess(id: EntityId): void {
    if (this.store.processes.touch(id, this.version)) this.changes++;
  }

  /** Removes process `id`. */
  removeProcess(id: EntityId): void {
    if (this.store.processes.set(id, undefined, this.version)) this.changes++;
  }

  /** Writes `node` as the thread `node.id`. */
  putThread(node: ThreadNode): void {
    if (this.store.threads.set(node.id, node, this.version)) this.changes++;
  }

  /** Removes thread `id`. */
  removeThread(id: EntityId): void {
    if (this.store.threads.set(id, undefined, this.version)) this.changes++;
  }

  /** Writes the holders of host `pid` (`undefined`: none). */
  putPid(pid: number, ids: readonly EntityId[] | undefined): void {
    this.store.pids.set(pid, ids, this.version);
    this.changes++;
  }
}

/** Is `tree` a draft (a version being written)? */
export const isDraft = (tree: ProcessTree): tree is Draft => tree.edit !== undefined;
