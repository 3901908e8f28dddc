/**
 * Retained versions of the tree: a bounded sequence of `(version, time, tree)`, one per instant,
 * so any query can be answered as of a time. Tree values share structure, so retaining many
 * costs only what each version changed.
 *
 * @module
 */
import type { Nanos } from '../streams/types.js';
import type { ProcessTree } from './model.js';
import { Snapshot } from './snapshot.js';

/** Bounds of a {@link VersionHistory}. */
export interface HistoryBounds {
  /** Max versions retained (default 4096). */
  readonly maxVersions?: number;
  /** Max time span retained, ns (default: unbounded; the count bound applies). */
  readonly maxSpanNs?: bigint;
}

/**
 * A bounded history of tree versions, newest last. Pushing is O(1) amortised; an as-of lookup is
 * a binary search by time. This is the one mutable structure of src/tree/: it owns references to
 * immutable trees and never changes them.
 *
 * @example
 * ```ts
 * const history = new VersionHistory({ maxVersions: 10_000 });
 * history.push(tree);
 * const then = history.at(1795582946700000000n); // the tree as of that time
 * ```
 */
export class VersionHistory {
  private trees: ProcessTree[] = [];
  private head = 0; // index of the oldest retained entry in `trees`
  readonly maxVersions: number;
  readonly maxSpanNs: bigint | undefined;

  constructor(bounds: HistoryBounds = {}) {
    this.maxVersions = Math.max(1, bounds.maxVersions ?? 4096);
    this.maxSpanNs = bounds.maxSpanNs;
  }

  /** Number of retained versions. */
  get size(): number {
    return this.trees.length - this.head;
  }

  /** The newest retained tree, if any. */
  get newest(): ProcessTree | undefined {
    return this.size === 0 ? undefined : this.trees[this.trees.length - 1];
  }

  /** The oldest retained tree, if any. */
  get oldest(): ProcessTree | undefined {
    return this.size === 0 ? undefined : this.trees[this.head];
  }

  /**
   * Retains `tree`. A tree at the same time as the newest one replaces it (one version per
   * instant); an identical tree is ignored.
   */
  push(tree: ProcessTree): void {
    const newest = this.newest;
    if (newest === tree) return;
    if (newest !== undefined && newest.time === tree.time) this.trees[this.trees.length - 1] = tree;
    else this.trees.push(tree);
    this.trim(tree.time);
  }

  private trim(now: Nanos): void {
    while (this.size > this.maxVersions) this.head++;
    if (this.maxSpanNs !== undefined) {
      const floor = now - this.maxSpanNs;
      while (this.size > 1 && this.trees[this.head]!.time < floor) this.head++;
    }
    // compact occasionally so dropped trees become garbage
    if (this.head > 1024 && this.head * 2 > this.trees.length) {
      this.trees = this.trees.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * The tree as of time `t`: the newest retained version with time ≤ t. Before the oldest
   * retained version, the oldest one (its per-field changelogs still answer for earlier times,
   * for entities it holds). `undefined` only when nothing is retained.
   */
  at(t: Nanos): ProcessTree | undefined {
    if (this.size === 0) return undefined;
    let lo = this.head;
    let hi = this.trees.length - 1;
    if (this.trees[hi]!.time <= t) return this.trees[hi];
    let found = this.head;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.trees[mid]!.time <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return this.trees[found];
  }

  /** The retained tree with exactly this version number, if any. */
  byVersion(version: number): ProcessTree | undefined {
    let lo = this.head;
    let hi = this.trees.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.trees[mid]!.version;
      if (v === version) return this.trees[mid];
      if (v < version) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

/**
 * The versions a tree's store retains, as of any time: what a {@link TreeBuilder} answers from.
 * Unlike {@link VersionHistory} it holds no tree values: the store keeps every version within
 * its retention bound (count and/or time span, `history` of the builder's options) and each
 * lookup returns a snapshot of one of them.
 *
 * @example
 * ```ts
 * const builder = new TreeBuilder({ history: { maxVersions: 100_000 } });
 * // … apply events …
 * const then = builder.history.at(1795582946700000000n); // the tree as of that time
 * ```
 */
export class StoreHistory {
  /** @param current - the newest tree (the history follows it as it grows). */
  constructor(private readonly current: () => ProcessTree) {}

  /** Number of retained versions. */
  get size(): number {
    const store = this.current().store;
    return store.head - Math.max(1, store.horizon) + 1;
  }

  /** The newest tree. */
  get newest(): ProcessTree {
    return this.current();
  }

  /** The oldest retained tree. */
  get oldest(): ProcessTree {
    const tree = this.current();
    return this.byVersion(tree.store.oldestChanged()) ?? tree;
  }

  /**
   * The tree as of time `t`: the newest retained version with time ≤ t. Before the oldest
   * retained version, the oldest one (its per-field changelogs still answer for earlier times,
   * for entities it holds).
   */
  at(t: Nanos): ProcessTree {
    const tree = this.current();
    if (t >= tree.time) return tree;
    // the empty version 0 is not a retained state: before the first change, the first version answers
    const v = tree.store.versionAt(t);
    return this.byVersion(v === 0 && tree.version > 0 ? tree.store.oldestChanged() : v) ?? tree;
  }

  /** The retained tree with exactly this version number, if any. */
  byVersion(version: number): ProcessTree | undefined {
    const tree = this.current();
    if (version === tree.version) return tree;
    const store = tree.store;
    if (!store.retains(version)) return undefined;
    return new Snapshot(store, version, store.timeOf(version), tree.config);
  }
}
