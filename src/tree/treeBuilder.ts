/**
 * The driver that keeps a live tree: the pure reducers, the LRU bounds beside them (lru-cache
 * only *decides*; its evictions become records the same reducer applies), and the retained
 * version history. Replaying the same input always yields the same trees and versions.
 *
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { EntityId, Envelope, InputIssue } from '../streams/types.js';
import { applyRecord } from './applyRecord.js';
import { ProcessTreeDataSource } from './dataSource.js';
import { feedFromEnvelope, type TreeSource } from './feedFromEvents.js';
import { emptyTree, type ProcessTree, type TreeConfig } from './model.js';
import { pget } from './pmap.js';
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
    if (next === before) this.stats.unchanged++;
    if (record.kind !== 'evict') {
      const touch = touchedBy(record);
      for (const id of touch.processes) if (id) this.processLru.set(id, true);
      for (const id of touch.threads) if (id) this.threadLru.set(id, true);
      while (this.pendingEvictions.length > 0) {
        const e = this.pendingEvictions.shift()!;
        const evicted = applyRecord(next, { kind: 'evict', source: 'lru', time: record.time, entity: e.entity, id: e.id });
        if (evicted !== next) {
          if (e.entity === 'process') this.stats.evictedProcesses++;
          else this.stats.evictedThreads++;
        }
        next = evicted;
      }
    }
    if (next !== before) {
      this.current = next;
      this.history.push(next);
    }
    return next;
  }

  /** Applies what one event implies under the builder's source; returns the new current tree. */
  applyEnvelope(env: Envelope): ProcessTree {
    this.stats.events++;
    const feed = feedFromEnvelope(env, this.source);
    const name = env.event.eventName;
    if (typeof name === 'string' && name.includes('sched_process_')) this.stats.lifecycleEvents++;
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
