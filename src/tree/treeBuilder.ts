/**
 * The driver that keeps a live tree: the pure reducers, the LRU bounds beside them (lru-cache
 * only *decides*; its evictions become records the same reducer applies), and the retained
 * version history. Replaying the same input always yields the same trees and versions.
 *
 * @module
 */
import { LRUCache } from 'lru-cache';
import { headOf, type EntityId, type Envelope, type InputIssue, type Nanos } from '../streams/types.js';
import { applyRecordsThen, applyToDraft } from './applyRecord.js';
import type { Draft } from './snapshot.js';
import { contextAgrees } from './applyContext.js';
import { ProcessTreeDataSource } from './dataSource.js';
import { feedFromEnvelope, type TreeSource } from './feedFromEvents.js';
import { emptyTree, type ExecState, type ProcessNode, type ProcessTree, type SnapshotPin, type ThreadNode, type TreeConfig } from './model.js';
import { currentValue } from './changelog.js';
import type { TreeRecord } from './records.js';
import { StoreHistory, type HistoryBounds } from './versionHistory.js';
import { idsEach, idsSize } from './idSet.js';
import type { ArtifactStore } from './artifacts/artifactStore.js';

/** Tracee's minimum cache size; smaller flag values fall back to the default (spec §7.1). */
export const MIN_CACHE_SIZE = 4096;
/** Default process LRU size (product documentation; spec/README decision 1). */
export const DEFAULT_PROCESS_CACHE_SIZE = 16384;
/** Default thread LRU size. */
export const DEFAULT_THREAD_CACHE_SIZE = 32768;
/** Default bound on the program text held processes keep together (characters; see TreeBuilderOptions.processTextChars). */
export const DEFAULT_PROCESS_TEXT_CHARS = 32 * 1024 * 1024;

/**
 * Characters of program text a process node holds of its own: argv and command path of each
 * exec in its history (an inherited exec shares its parent's arrays: not counted).
 */
export function programTextChars(node: ProcessNode): number {
  const log = node.exec;
  if (log === undefined) return 0;
  let n = 0;
  for (let i = 1; i < log.length; i += 2) {
    const e = log[i] as ExecState;
    if (e.inherited) continue;
    n += e.cmdpath.length;
    if (e.argv !== undefined) for (const a of e.argv) n += a.length;
  }
  return n;
}

/** Options of a {@link TreeBuilder}. */
export interface TreeBuilderOptions extends Partial<TreeConfig> {
  /** Which inputs feed the tree (default `events`). */
  readonly source?: TreeSource;
  /** Process LRU bound (default 16384). Any positive value is honoured here; the CLI applies Tracee's minimum. */
  readonly processCacheSize?: number;
  /** Thread LRU bound (default 32768). */
  readonly threadCacheSize?: number;
  /**
   * Most characters of program text (argv and command paths of each process's own execs) the
   * held processes may keep together (default {@link DEFAULT_PROCESS_TEXT_CHARS}, 32 Mi). Beyond
   * it processes leave as beyond `processCacheSize`: exited ones first. Tracee's limits allow
   * 160 KB of argv per exec (40 elements of 4096 bytes); without this bound an exec storm of
   * such processes held the process cache's worth of it (16 384 × 160 KB).
   */
  readonly processTextChars?: number;
  /** Retained versions. */
  readonly history?: HistoryBounds;
  /** Where problems with lifecycle events go (they are counted either way). */
  readonly onIssue?: (issue: InputIssue) => void;
  /**
   * Called with a host pid whose process the tree knows only by reference (an unknown parent,
   * a task first seen mid-life) — the hook for a runtime procfs lookup. Must not block.
   */
  readonly onUnknownPid?: (pid: number) => void;
  /**
   * Called with the last state of each entity the bounds evict (after the version without it is
   * committed) — for a sink that keeps what leaves the tree, such as the timeline page.
   */
  readonly onEvicted?: (node: ProcessNode | ThreadNode) => void;
  /**
   * Per-process artifacts (off by default): the store is given every event with its process
   * entity id after the tree applied it, and forgets each process the bounds evict.
   */
  readonly artifacts?: ArtifactStore;
  /**
   * Start from a restored state instead of an empty tree (see `src/checkpoint/`): the tree
   * (its version and retention come with it), the counters and the eviction order. Whatever the
   * builder then applies yields the same trees and versions as the builder the state came from.
   */
  readonly resume?: TreeBuilderResume;
}

/** Which entities an {@link EvictionPolicy} tracks, oldest first in each group. */
export interface EvictionOrder {
  /** Live entities, least recently active first. */
  readonly live: readonly EntityId[];
  /** Exited entities, least recently used first. */
  readonly exited: readonly EntityId[];
  /** Exited entities held for their live children. */
  readonly held: readonly EntityId[];
}

/** The eviction order of both bounds: what {@link TreeBuilder.recency} gives and `resume` takes. */
export interface BuilderRecency {
  readonly processes: EvictionOrder;
  readonly threads: EvictionOrder;
}

/** A builder's state besides its options: see {@link TreeBuilderOptions.resume}. */
export interface TreeBuilderResume {
  readonly tree: ProcessTree;
  readonly stats: TreeBuilderStats;
  readonly recency: BuilderRecency;
}

/** Counters of a {@link TreeBuilder}. */
export interface TreeBuilderStats {
  events: number;
  lifecycleEvents: number;
  records: number;
  /** Records that changed nothing (duplicates under source=both, repeated context). */
  unchanged: number;
  /** Lifecycle events that could not be used (reported as warnings). */
  unusable: number;
  evictedProcesses: number;
  evictedThreads: number;
}

/**
 * Which entities stay when a bound is reached. Exited entities are admitted to an LRU (lru-cache)
 * and leave first, least recently used first; live ones leave only beyond the bound (their exit
 * was missed), least recently active first; an entity with live children never leaves (so the
 * lineage of a live process stays complete) — it waits, held, until its last live child is gone.
 * This is where we differ from Tracee's plain LRU over every touched entity, which evicts idle
 * live ancestors of busy shells. Only decides: evictions are applied as records.
 */
class EvictionPolicy {
  /** Live entities, least recently active first (a Map keeps insertion order; a use re-inserts). */
  private readonly live = new Map<EntityId, true>();
  /** Exited entities (value = key, so `pop()` tells which left). */
  private readonly exited: LRUCache<EntityId, EntityId>;
  /** Exited entities still holding live children. */
  private readonly held = new Set<EntityId>();

  /** Weight of each weighed entity (see {@link TreeBuilderOptions.processTextChars}), and their sum. */
  private readonly weights = new Map<EntityId, number>();
  private weight = 0;

  constructor(
    readonly bound: number,
    private readonly hasLiveChildren: (id: EntityId) => boolean,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {
    this.exited = new LRUCache<EntityId, EntityId>({ max: bound });
  }

  /** Sets the weight of a tracked entity (0: none). */
  weigh(id: EntityId, w: number): void {
    const old = this.weights.get(id) ?? 0;
    if (w === old) return;
    this.weight += w - old;
    if (w === 0) this.weights.delete(id);
    else this.weights.set(id, w);
  }

  /** Over a bound: too many entities, or too much weight. */
  private get over(): boolean {
    return this.size > this.bound || this.weight > this.maxWeight;
  }

  get size(): number {
    return this.live.size + this.exited.size + this.held.size;
  }

  /** A live entity was used. */
  used(id: EntityId): void {
    // the common case, a live entity used again: to the end of the live order (two map operations)
    if (this.live.delete(id)) this.live.set(id, true);
    else if (this.exited.has(id)) this.exited.get(id);
    else if (!this.held.has(id)) this.live.set(id, true);
  }

  /** The entity exited (or is known exited). */
  exitedNow(id: EntityId): void {
    if (this.exited.has(id)) {
      this.exited.get(id);
      return;
    }
    this.live.delete(id);
    if (this.held.has(id)) return;
    this.exited.set(id, id);
  }

  /** A held entity may have lost its last live child: it becomes evictable. */
  release(id: EntityId): void {
    if (this.held.has(id) && !this.hasLiveChildren(id)) {
      this.held.delete(id);
      this.exited.set(id, id);
    }
  }

  /** The entity left the tree. */
  forget(id: EntityId): void {
    this.live.delete(id);
    this.exited.delete(id);
    this.held.delete(id);
    this.weigh(id, 0);
  }

  /** The next entity to evict while over a bound, or undefined. */
  victim(): EntityId | undefined {
    if (!this.over) return undefined;
    while (this.exited.size > 0) {
      const id = this.exited.pop()!;
      if (!this.hasLiveChildren(id)) return id;
      this.held.add(id);
    }
    for (const id of this.live.keys()) {
      if (!this.hasLiveChildren(id)) {
        this.live.delete(id);
        return id;
      }
    }
    return undefined;
  }

  /** Is `id` counted? */
  has(id: EntityId): boolean {
    return this.live.has(id) || this.exited.has(id) || this.held.has(id);
  }

  /** What the policy tracks, oldest first in each group. */
  order(): EvictionOrder {
    return { live: [...this.live.keys()], exited: [...this.exited.rkeys()], held: [...this.held] };
  }

  /** Tracks exactly what `order` lists (on an empty policy). */
  restore(order: EvictionOrder): void {
    for (const id of order.live) this.live.set(id, true);
    for (const id of order.exited) this.exited.set(id, id);
    for (const id of order.held) this.held.add(id);
  }
}

/**
 * Keeps the current tree, bounded (see {@link EvictionPolicy}: exited entities leave first, an
 * ancestor with live descendants never), and answers as of any retained time.
 *
 * @example
 * ```ts
 * import { TreeBuilder } from 'proctree-rx';
 * const builder = new TreeBuilder({ source: 'both', processCacheSize: 16384 });
 * for (const env of envelopes) builder.applyEnvelope(env);
 * builder.dataSource().lineage({ entityId, time, maxDepth: 5 });
 * ```
 */
export class TreeBuilder {
  private current: ProcessTree;
  /** The retained versions, as of any time. */
  readonly history: StoreHistory;
  readonly source: TreeSource;
  readonly stats: TreeBuilderStats = { events: 0, lifecycleEvents: 0, records: 0, unchanged: 0, unusable: 0, evictedProcesses: 0, evictedThreads: 0 };
  private readonly processPolicy: EvictionPolicy;
  private readonly threadPolicy: EvictionPolicy;
  private readonly onIssue: ((issue: InputIssue) => void) | undefined;
  private readonly onUnknownPid: ((pid: number) => void) | undefined;
  private readonly onEvicted: ((node: ProcessNode | ThreadNode) => void) | undefined;
  /** The artifact store fed after the tree (see {@link TreeBuilderOptions.artifacts}), if any. */
  readonly artifacts: ArtifactStore | undefined;
  /** The task whose recency the fast path refreshed last, and the record count then. */
  private lastRefresh = { epoch: -1, threadId: 0, parentId: 0 };
  /** Counts record applications (each may change recency). */
  private epoch = 0;
  /** Times whose tree must stay answering, ascending, not reached yet (see keepAsOf). */
  private keep: Nanos[] = [];
  /** Versions pinned for kept times. */
  private readonly pinned = new Map<number, SnapshotPin>();

  constructor(options: TreeBuilderOptions = {}) {
    this.current = emptyTree({ ...options, retention: options.history ?? {} });
    this.source = options.source ?? 'events';
    this.history = new StoreHistory(() => this.current);
    this.onIssue = options.onIssue;
    this.onUnknownPid = options.onUnknownPid;
    this.onEvicted = options.onEvicted;
    this.artifacts = options.artifacts;
    this.processPolicy = new EvictionPolicy(
      Math.max(1, options.processCacheSize ?? DEFAULT_PROCESS_CACHE_SIZE),
      (id) => {
        const node = this.current.processes.get(id);
        return node !== undefined && idsSize(node.liveChildren) > 0;
      },
      options.processTextChars ?? DEFAULT_PROCESS_TEXT_CHARS,
    );
    this.threadPolicy = new EvictionPolicy(Math.max(1, options.threadCacheSize ?? DEFAULT_THREAD_CACHE_SIZE), () => false);
    const resume = options.resume;
    if (resume !== undefined) {
      this.current = resume.tree;
      Object.assign(this.stats, resume.stats);
      this.processPolicy.restore(resume.recency.processes);
      this.threadPolicy.restore(resume.recency.threads);
      for (const order of [resume.recency.processes.live, resume.recency.processes.exited, resume.recency.processes.held]) {
        for (const id of order) this.weighProcess(id);
      }
    }
  }

  /** The eviction order of both bounds (for checkpoints: see {@link TreeBuilderOptions.resume}). */
  recency(): BuilderRecency {
    return { processes: this.processPolicy.order(), threads: this.threadPolicy.order() };
  }

  /** The current tree. */
  get tree(): ProcessTree {
    return this.current;
  }

  /** A data source over the retained history. */
  dataSource(): ProcessTreeDataSource {
    return new ProcessTreeDataSource(this.history, {}, this.artifacts);
  }

  /** Applies one record (and the evictions it causes); returns the new current tree. */
  applyRecord(record: TreeRecord): ProcessTree {
    return this.applyChange([record]);
  }

  /**
   * Applies `records` and the evictions they cause as one version; returns the new current tree.
   * The policies are told what the records did while the version is still a draft (they read
   * it), and the victims they choose leave in that same version.
   */
  private applyChange(records: readonly TreeRecord[]): ProcessTree {
    const before = this.current;
    // the tree before a change must survive the change's vacuum when the change passes a kept
    // time; only then (a pin around every change left each written entry's old value in the store
    // until the key's next write: `query` over 1 M never-exiting processes peaked at 584 MB)
    const guard = this.passesKept(before, records) ? before.pin() : undefined;
    let recordsChanged = false;
    let leaving: (ProcessNode | ThreadNode)[] | undefined;
    const next = applyRecordsThen(before, records, (draft) => {
      recordsChanged = draft.changes > 0;
      this.current = draft;
      try {
        let time: Nanos | undefined;
        for (const r of records) {
          if (r.kind === 'evict') continue;
          this.account(r);
          if (time === undefined || r.time > time) time = r.time;
        }
        if (time !== undefined) leaving = this.evictInto(draft);
        return time;
      } finally {
        this.current = before;
      }
    });
    this.stats.records += records.length;
    this.epoch++;
    if (!recordsChanged) this.stats.unchanged += records.length;
    this.current = next;
    if (this.keep.length > 0 && next !== before) this.passKept(before);
    guard?.release();
    if (leaving !== undefined) this.evicted(leaving);
    return this.current;
  }

  /** Tells the eviction policies what a record used, created and ended. */
  private account(r: TreeRecord): void {
    switch (r.kind) {
      case 'fork':
        this.useProcess(r.parent.id);
        this.useProcess(r.leaderId);
        this.useThread(r.child.id);
        return;
      case 'exec':
        if (r.parentId) this.useProcess(r.parentId);
        this.useProcess(r.taskId);
        this.weighProcess(r.taskId);
        this.useThread(r.taskId);
        this.threadsOf(r.taskId);
        return;
      case 'exit': {
        const leader = r.leaderId ?? this.current.threads.get(r.taskId)?.leaderId ?? r.taskId;
        this.useThread(r.taskId);
        this.useProcess(leader);
        const node = this.current.processes.get(leader);
        if (node !== undefined && node.exitTime !== undefined) {
          this.threadsOf(leader);
          this.releaseParentsOf(node);
        }
        return;
      }
      case 'context':
        if (r.parentId) this.useProcess(r.parentId);
        this.useProcess(r.processId);
        this.useThread(r.threadId);
        return;
      case 'procfs':
        if (r.parentId) this.useProcess(r.parentId);
        this.useProcess(r.leaderId);
        this.weighProcess(r.leaderId);
        this.useThread(r.id);
        return;
      case 'evict':
        return;
    }
  }

  /** `node` exited or left: its parents may have lost their last live child. */
  private releaseParentsOf(node: ProcessNode): void {
    this.processPolicy.release(node.spawnParentId);
    const current = currentValue(node.parent)?.id;
    if (current !== undefined) this.processPolicy.release(current);
  }

  private useProcess(id: EntityId): void {
    if (!id) return;
    const node = this.current.processes.get(id);
    if (node === undefined) return;
    if (node.exitTime === undefined) this.processPolicy.used(id);
    else this.processPolicy.exitedNow(id);
  }

  /** The program text process `id` holds, for the text bound. */
  private weighProcess(id: EntityId): void {
    const node = this.current.processes.get(id);
    if (node !== undefined && this.processPolicy.has(id)) this.processPolicy.weigh(id, programTextChars(node));
  }

  private useThread(id: EntityId): void {
    if (!id) return;
    const node = this.current.threads.get(id);
    if (node === undefined) return;
    if (node.exitTime === undefined) this.threadPolicy.used(id);
    else this.threadPolicy.exitedNow(id);
  }

  /** Threads of process `id` that are known exited leave the live set (group exit, exec's de_thread). */
  private threadsOf(id: EntityId): void {
    const node = this.current.processes.get(id);
    if (node === undefined) return;
    idsEach(node.threads, (tid) => {
      const th = this.current.threads.get(tid);
      if (th !== undefined && th.exitTime !== undefined) this.threadPolicy.exitedNow(tid);
    });
  }

  /**
   * Applies the evictions the bounds call for to the open draft (the victims chosen first: the
   * policies forget each as it is chosen, so the bound is met once they are applied); returns
   * the nodes that leave (read before they leave), if any.
   */
  private evictInto(draft: Draft): (ProcessNode | ThreadNode)[] | undefined {
    let leaving: (ProcessNode | ThreadNode)[] | undefined;
    for (let id = this.processPolicy.victim(); id !== undefined; id = this.processPolicy.victim()) {
      this.processPolicy.forget(id);
      const node = draft.processes.get(id);
      if (node === undefined) continue;
      (leaving ??= []).push(node);
      applyToDraft(draft, { kind: 'evict', source: 'lru', time: draft.time, entity: 'process', id });
    }
    for (let id = this.threadPolicy.victim(); id !== undefined; id = this.threadPolicy.victim()) {
      this.threadPolicy.forget(id);
      const node = draft.threads.get(id);
      if (node === undefined) continue;
      (leaving ??= []).push(node);
      applyToDraft(draft, { kind: 'evict', source: 'lru', time: draft.time, entity: 'thread', id });
    }
    return leaving;
  }

  /** After the version without them is committed: counters, parents released, sinks told. */
  private evicted(leaving: readonly (ProcessNode | ThreadNode)[]): void {
    const tree = this.current;
    for (const node of leaving) {
      if (node.kind === 'thread') {
        if (tree.threads.has(node.id)) continue;
        this.stats.evictedThreads++;
      } else {
        if (tree.processes.has(node.id)) continue;
        this.stats.evictedProcesses++;
        // its parents may have lost their last live child
        this.releaseParentsOf(node);
        this.artifacts?.forget(node.id);
      }
      this.onEvicted?.(node);
    }
  }

  /**
   * Sizes of everything the builder holds, for monitoring and bound checks: entities in the tree,
   * pid-index entries, retained versions, the entities the eviction policies track and the
   * store's entries (every version of every entity still readable). Every one is bounded by the
   * configured cache sizes and retention, whatever the input length.
   */
  footprint(): { processes: number; threads: number; pids: number; versions: number; lruProcesses: number; lruThreads: number; storeEntries: number } {
    const store = this.current.store.footprint();
    return {
      processes: this.current.processes.size,
      threads: this.current.threads.size,
      pids: this.current.pids.size,
      versions: store.versions,
      lruProcesses: this.processPolicy.size,
      lruThreads: this.threadPolicy.size,
      storeEntries: store.processEntries + store.threadEntries + store.pidEntries,
    };
  }

  /**
   * Keeps the tree as of each of `times` answering, whatever the history bound: when the input
   * passes such a time, the current tree is pinned (it keeps only what it reads; see
   * README "How versions work"). For `query` and `tree --at`, whose times are known up front:
   * they need those versions, not every version in between.
   */
  keepAsOf(times: readonly Nanos[]): void {
    this.keep = [...this.keep, ...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The input ended: the current tree answers every kept time not passed yet. */
  settleKept(): void {
    if (this.keep.length === 0) return;
    this.keep = [];
    this.pinVersion(this.current);
  }

  /**
   * After the tree moved from `before` to the current one: the newest version with time ≤ T is
   * `before` for each kept T it passed (the first version for a T before any change).
   */
  private passKept(before: ProcessTree): void {
    const now = this.current.time;
    let passed = false;
    while (this.keep.length > 0 && this.keep[0]! < now) {
      this.keep.shift();
      passed = true;
    }
    if (passed) this.pinVersion(before.version > 0 ? before : this.current);
  }

  /**
   * Can applying `records` to `before` pass the first kept time? The new tree's time is the newest
   * of `before`'s and its records' (evictions take the records' time), so not when both are at or
   * before it.
   */
  private passesKept(before: ProcessTree, records: readonly TreeRecord[]): boolean {
    const first = this.keep[0];
    if (first === undefined) return false;
    if (before.time > first) return true;
    for (const r of records) if (r.time > first) return true;
    return false;
  }

  private pinVersion(tree: ProcessTree): void {
    if (!this.pinned.has(tree.version)) this.pinned.set(tree.version, tree.pin());
  }

  /** Applies what one event implies under the builder's source (then feeds the artifacts, if any); returns the new current tree. */
  applyEnvelope(env: Envelope): ProcessTree {
    const tree = this.applyEvent(env);
    if (this.artifacts !== undefined) {
      // only processes the tree holds: its bounds then bound the store's processes too
      const id = (headOf(env).processEntityId ?? 0) >>> 0;
      if (id !== 0 && tree.processes.has(id)) this.artifacts.record(env, id);
    }
    return tree;
  }

  private applyEvent(env: Envelope): ProcessTree {
    this.stats.events++;
    const name = headOf(env).eventName;
    const lifecycle = name.includes('sched_process_');
    if (!lifecycle) {
      const check = this.checkContext(env);
      if (check === 'nothing') return this.current;
      if (check === 'agrees') {
        // the common case: a syscall of a known task whose context the tree already holds
        this.stats.records++;
        this.stats.unchanged++;
        return this.current;
      }
    }
    const feed = feedFromEnvelope(env, this.source);
    if (lifecycle) this.stats.lifecycleEvents++;
    if (feed.problem !== undefined) {
      this.stats.unusable++;
      this.onIssue?.({ origin: env.origin, reason: `${name}: ${feed.problem}`, severity: 'warning' });
    }
    // the records of one event are one change: one version (the evictions they cause follow)
    const records = feed.records;
    if (records.length > 0) this.applyChange(records);
    if (this.onUnknownPid !== undefined) for (const r of records) this.reportUnknown(r);
    return this.current;
  }

  /**
   * What a non-lifecycle event's context means for the tree, without building a record:
   * `nothing` (no task context, or a source that does not read event contexts), `agrees`
   * (`contextAgrees`: the case where applyContext returns the identical tree; LRU recency is
   * refreshed) or `differs` (apply the record).
   */
  private checkContext(env: Envelope): 'nothing' | 'agrees' | 'differs' {
    if (this.source !== 'events' && this.source !== 'both') return 'nothing';
    const tree = this.current;
    if (env.timestamp < tree.time) return 'differs';
    const e = headOf(env);
    const { threadEntityId: threadId, processEntityId: processId, parentEntityId: parentId } = e;
    if (!threadId || !processId || !e.hostThreadId) return 'nothing';
    if (!contextAgrees(tree, env.timestamp, threadId, processId, parentId, e.processName, e.userId, e.hostThreadId === e.hostProcessId)) return 'differs';
    // refresh LRU recency, unless this task was the last one refreshed (then it is already the most recent)
    if (this.lastRefresh.epoch !== this.epoch || this.lastRefresh.threadId !== threadId || this.lastRefresh.parentId !== parentId) {
      if (parentId !== 0) this.useProcess(parentId);
      this.useProcess(processId);
      this.useThread(threadId);
      this.lastRefresh = { epoch: this.epoch, threadId, parentId };
    }
    return 'agrees';
  }

  /** Asks for procfs data about the processes a record left as placeholders. */
  private reportUnknown(r: TreeRecord): void {
    const ask = (id: EntityId, pid: number): void => {
      if (!id || pid <= 0) return;
      const node = this.current.processes.get(id);
      if (node !== undefined && (node.placeholder || node.startTime === undefined || node.name === undefined)) this.onUnknownPid!(pid);
    };
    switch (r.kind) {
      case 'fork':
        ask(r.parent.id, r.parent.pid);
        break;
      case 'context':
        ask(r.processId, r.ids.pid);
        ask(r.parentId, r.ppid);
        break;
      case 'exec':
        if (r.parentId !== undefined && r.task !== undefined) ask(r.parentId, r.task.ppid);
        break;
      default:
        break;
    }
  }
}
