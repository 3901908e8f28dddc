/**
 * The driver that keeps a live tree: the pure reducers, the LRU bounds beside them (lru-cache
 * only *decides*; its evictions become records the same reducer applies), and the retained
 * version history. Replaying the same input always yields the same trees and versions.
 *
 * @module
 */
import { LRUCache } from 'lru-cache';
import { headOf, type EntityId, type Envelope, type InputIssue } from '../streams/types.js';
import { applyRecord } from './applyRecord.js';
import { ProcessTreeDataSource } from './dataSource.js';
import { feedFromEnvelope, type TreeSource } from './feedFromEvents.js';
import { emptyTree, type ProcessTree, type TreeConfig } from './model.js';
import { pget } from './pmap.js';
import { currentValue } from './changelog.js';
import type { TreeRecord } from './records.js';
import { VersionHistory, type HistoryBounds } from './versionHistory.js';

/** Tracee's minimum cache size; smaller flag values fall back to the default (spec §7.1). */
export const MIN_CACHE_SIZE = 4096;
/** Default process LRU size (product documentation; spec/README decision 1). */
export const DEFAULT_PROCESS_CACHE_SIZE = 16384;
/** Default thread LRU size. */
export const DEFAULT_THREAD_CACHE_SIZE = 32768;

/** Options of a {@link TreeBuilder}. */
export interface TreeBuilderOptions extends Partial<TreeConfig> {
  /** Which inputs feed the tree (default `events`). */
  readonly source?: TreeSource;
  /** Process LRU bound (default 16384). Any positive value is honoured here; the CLI applies Tracee's minimum. */
  readonly processCacheSize?: number;
  /** Thread LRU bound (default 32768). */
  readonly threadCacheSize?: number;
  /** Retained versions. */
  readonly history?: HistoryBounds;
  /** Where problems with lifecycle events go (they are counted either way). */
  readonly onIssue?: (issue: InputIssue) => void;
  /**
   * Called with a host pid whose process the tree knows only by reference (an unknown parent,
   * a task first seen mid-life) — the hook for a runtime procfs lookup. Must not block.
   */
  readonly onUnknownPid?: (pid: number) => void;
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

type Touch = { processes: EntityId[]; threads: EntityId[] };

/** Which entities a record creates or uses (for the LRU). */
export function touchedBy(r: TreeRecord): Touch {
  switch (r.kind) {
    case 'fork':
      return { processes: [r.parent.id, r.leaderId], threads: [r.child.id] };
    case 'exec':
      return { processes: r.parentId ? [r.parentId, r.taskId] : [r.taskId], threads: [r.taskId] };
    case 'exit':
      return { processes: [r.leaderId ?? r.taskId], threads: [r.taskId] };
    case 'context':
      return { processes: r.parentId ? [r.parentId, r.processId] : [r.processId], threads: [r.threadId] };
    case 'procfs':
      return { processes: r.parentId ? [r.parentId, r.leaderId] : [r.leaderId], threads: [r.id] };
    case 'evict':
      return { processes: [], threads: [] };
  }
}

/**
 * Keeps the current tree, bounded by LRU caches, and its history.
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
  readonly history: VersionHistory;
  readonly source: TreeSource;
  readonly stats: TreeBuilderStats = { events: 0, lifecycleEvents: 0, records: 0, unchanged: 0, unusable: 0, evictedProcesses: 0, evictedThreads: 0 };
  private readonly processLru: LRUCache<EntityId, true>;
  private readonly threadLru: LRUCache<EntityId, true>;
  private readonly pendingEvictions: { entity: 'process' | 'thread'; id: EntityId }[] = [];
  private readonly onIssue: ((issue: InputIssue) => void) | undefined;
  private readonly onUnknownPid: ((pid: number) => void) | undefined;
  /** The task whose LRU recency the fast path refreshed last, and the record count then. */
  private lastRefresh = { epoch: -1, threadId: 0, parentId: 0 };
  /** Counts record applications (each may touch the LRUs). */
  private lruEpoch = 0;
  /** Process id → version of the last change that can alter what a query about it answers. */
  private readonly processChanged = new Map<EntityId, number>();
  /** Process id → version of the last change to what a summary of it shows (not its children). */
  private readonly summaryChanged = new Map<EntityId, number>();

  constructor(options: TreeBuilderOptions = {}) {
    this.current = emptyTree(options);
    this.source = options.source ?? 'events';
    this.history = new VersionHistory(options.history);
    this.onIssue = options.onIssue;
    this.onUnknownPid = options.onUnknownPid;
    const lru = (max: number, entity: 'process' | 'thread'): LRUCache<EntityId, true> =>
      new LRUCache<EntityId, true>({
        max,
        noDisposeOnSet: true,
        dispose: (_v, id, reason) => {
          if (reason === 'evict') this.pendingEvictions.push({ entity, id });
        },
      });
    this.processLru = lru(Math.max(1, options.processCacheSize ?? DEFAULT_PROCESS_CACHE_SIZE), 'process');
    this.threadLru = lru(Math.max(1, options.threadCacheSize ?? DEFAULT_THREAD_CACHE_SIZE), 'thread');
  }

  /** The current tree. */
  get tree(): ProcessTree {
    return this.current;
  }

  /** A data source over the retained history. */
  dataSource(): ProcessTreeDataSource {
    return new ProcessTreeDataSource(this.history);
  }

  /** Applies one record (and the evictions it causes); returns the new current tree. */
  applyRecord(record: TreeRecord): ProcessTree {
    const before = this.current;
    let next = applyRecord(before, record);
    this.stats.records++;
    this.lruEpoch++;
    if (next === before) this.stats.unchanged++;
    if (record.kind !== 'evict') {
      const touch = touchedBy(record);
      for (const id of touch.processes) if (id) this.processLru.set(id, true);
      for (const id of touch.threads) if (id) this.threadLru.set(id, true);
      while (this.pendingEvictions.length > 0) {
        const e = this.pendingEvictions.shift()!;
        const node = e.entity === 'process' ? pget(next.processes, e.id) : undefined;
        const evicted = applyRecord(next, { kind: 'evict', source: 'lru', time: record.time, entity: e.entity, id: e.id });
        if (evicted !== next) {
          if (e.entity === 'process') {
            this.stats.evictedProcesses++;
            this.processChanged.delete(e.id);
            this.summaryChanged.delete(e.id);
            // its parents' children views changed
            if (node?.spawnParentId) this.processChanged.set(node.spawnParentId, next.version + 1);
            const current = currentValue(node?.parent)?.id;
            if (current) this.processChanged.set(current, next.version + 1);
          } else this.stats.evictedThreads++;
        }
        next = evicted;
      }
    }
    if (next !== before) {
      this.current = next;
      this.history.push(next);
      if (record.kind !== 'evict') this.markChanged(record, before, next);
    }
    return next;
  }

  /** Marks the processes whose answers a record may have changed: those it touched and their parents. */
  private markChanged(record: TreeRecord, before: ProcessTree, tree: ProcessTree): void {
    const v = tree.version;
    for (const id of touchedBy(record).processes) {
      if (!id) continue;
      const node = pget(tree.processes, id);
      const old = pget(before.processes, id);
      if (node === old || node === undefined) continue;
      this.processChanged.set(id, v);
      if (
        old === undefined ||
        old.name !== node.name ||
        old.exec !== node.exec ||
        old.exitTime !== node.exitTime ||
        old.pid !== node.pid ||
        old.nsPid !== node.nsPid ||
        old.startTime !== node.startTime ||
        old.parent !== node.parent ||
        old.spawnParentId !== node.spawnParentId ||
        old.placeholder !== node.placeholder
      ) {
        this.summaryChanged.set(id, v);
      }
      // what its parents list as children (pid → id, alive) changes with its pid, life and parent
      if (
        old === undefined ||
        old.pid !== node.pid ||
        old.startTime !== node.startTime ||
        old.exitTime !== node.exitTime ||
        old.parent !== node.parent ||
        old.spawnParentId !== node.spawnParentId
      ) {
        for (const n of old === undefined ? [node] : [old, node]) {
          if (n.spawnParentId) this.processChanged.set(n.spawnParentId, v);
          const current = currentValue(n.parent)?.id;
          if (current) this.processChanged.set(current, v);
        }
      }
    }
  }

  /**
   * The version of the last change that may alter what a query about process `id` answers at
   * the current time (its own node, its threads, its children coming and going); `Infinity` for a
   * process the tree does not hold (never seen, or evicted). While it
   * stays at or below a version `v`, an answer computed at `v` (at a time at or after `v`'s) is
   * still the answer now — the basis for caching per-process context across versions.
   */
  changedAt(id: EntityId): number {
    return this.processChanged.get(id) ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Sizes of everything the builder holds, for monitoring and bound checks: entities in the tree,
   * pid-index entries, retained versions, LRU entries and change marks. Every one is bounded by
   * the configured cache sizes and history bound, whatever the input length.
   */
  footprint(): { processes: number; threads: number; pids: number; versions: number; lruProcesses: number; lruThreads: number; changeMarks: number } {
    return {
      processes: this.current.processes.size,
      threads: this.current.threads.size,
      pids: this.current.pids.size,
      versions: this.history.size,
      lruProcesses: this.processLru.size,
      lruThreads: this.threadLru.size,
      changeMarks: Math.max(this.processChanged.size, this.summaryChanged.size),
    };
  }

  /**
   * Like {@link changedAt}, but only for what describes the process itself as an ancestor —
   * ids, name, program, parent, start, exit — not its threads and children coming and going.
   */
  summaryChangedAt(id: EntityId): number {
    return this.summaryChanged.get(id) ?? Number.POSITIVE_INFINITY;
  }

  /** Applies what one event implies under the builder's source; returns the new current tree. */
  applyEnvelope(env: Envelope): ProcessTree {
    this.stats.events++;
    const name = headOf(env).eventName;
    const lifecycle = typeof name === 'string' && name.includes('sched_process_');
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
    for (const r of feed.records) {
      this.applyRecord(r);
      if (this.onUnknownPid !== undefined) this.reportUnknown(r);
    }
    return this.current;
  }

  /**
   * What a non-lifecycle event's context means for the tree, without building a record:
   * `nothing` (no task context, or a source that does not read event contexts), `agrees` (the
   * no-op case of applyContext; LRU recency is refreshed) or `differs` (apply the record).
   */
  private checkContext(env: Envelope): 'nothing' | 'agrees' | 'differs' {
    if (this.source !== 'events' && this.source !== 'both') return 'nothing';
    const tree = this.current;
    if (env.timestamp < tree.time) return 'differs';
    const e = headOf(env);
    const threadId = (e.threadEntityId ?? 0) >>> 0;
    const processId = (e.processEntityId ?? 0) >>> 0;
    if (!threadId || !processId || !e.hostThreadId) return 'nothing';
    const th = pget(tree.threads, threadId);
    if (th === undefined || th.placeholder || currentValue(th.name) !== e.processName) return 'differs';
    if (typeof e.userId === 'number' && currentValue(th.uid) !== e.userId) return 'differs';
    const p = pget(tree.processes, processId);
    if (p === undefined || p.placeholder) return 'differs';
    const parentId = (e.parentEntityId ?? 0) >>> 0;
    if (parentId !== 0 && currentValue(p.parent)?.id !== parentId) return 'differs';
    if (e.hostThreadId === e.hostProcessId && (currentValue(p.name) !== e.processName || (typeof e.userId === 'number' && currentValue(p.uid) !== e.userId))) return 'differs';
    // refresh LRU recency, unless this task was the last one refreshed (then it is already the most recent)
    if (this.lastRefresh.epoch !== this.lruEpoch || this.lastRefresh.threadId !== threadId || this.lastRefresh.parentId !== parentId) {
      if (parentId !== 0) this.processLru.get(parentId);
      this.processLru.get(processId);
      this.threadLru.get(threadId);
      this.lastRefresh = { epoch: this.lruEpoch, threadId, parentId };
    }
    return 'agrees';
  }

  /** Asks for procfs data about the processes a record left as placeholders. */
  private reportUnknown(r: TreeRecord): void {
    const ask = (id: EntityId, pid: number): void => {
      if (!id || pid <= 0) return;
      const node = pget(this.current.processes, id);
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
