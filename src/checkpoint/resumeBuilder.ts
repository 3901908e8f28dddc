/**
 * A {@link TreeBuilder} that continues from a checkpoint.
 *
 * @module
 */
import { restoreTree } from '../tree/restoreTree.js';
import { TreeBuilder, type TreeBuilderOptions } from '../tree/treeBuilder.js';
import type { Checkpoint } from './decodeCheckpoint.js';

/** What the caller adds to a resumed builder (hooks; the tree's settings come from the checkpoint). */
export type ResumeOptions = Pick<TreeBuilderOptions, 'onIssue' | 'onUnknownPid' | 'onEvicted' | 'history' | 'artifacts'>;


/**
 * A builder holding the checkpointed tree (same version, time, entities, pid index), counters
 * and eviction order, made with the checkpoint's settings (the version retention too, unless `options.history` says otherwise): applying the events after the
 * checkpoint's position yields the same trees and versions as the builder that wrote it.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { decodeCheckpoint } from './decodeCheckpoint.js';
 * import { resumeBuilder } from './resumeBuilder.js';
 * const builder = resumeBuilder(decodeCheckpoint(readFileSync('tree.ckpt')));
 * ```
 */
export function resumeBuilder(cp: Checkpoint, options: ResumeOptions = {}): TreeBuilder {
  return new TreeBuilder({
    ...options,
    source: cp.settings.source,
    processCacheSize: cp.settings.processCacheSize,
    threadCacheSize: cp.settings.threadCacheSize,
    history: options.history ?? cp.tree.retention,
    resume: { tree: restoreTree(cp.tree), stats: cp.stats, recency: cp.recency },
  });
}
