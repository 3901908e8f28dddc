/**
 * The reducer: `(tree, record) => tree`, dispatching on the record kind.
 *
 * @module
 */
import type { Envelope } from '../streams/types.js';
import { applyContext } from './applyContext.js';
import { applyEvict } from './applyEvict.js';
import { applyExec } from './applyExec.js';
import { applyExit } from './applyExit.js';
import { applyFork } from './applyFork.js';
import { applyProcfs } from './applyProcfs.js';
import { feedFromEnvelope, type TreeSource } from './feedFromEvents.js';
import type { ProcessTree } from './model.js';
import type { TreeRecord } from './records.js';

/**
 * Applies one record. Pure: the input tree is never modified; a record that changes nothing
 * returns the identical tree (same reference, same version).
 *
 * @example
 * ```ts
 * import { applyRecord, emptyTree } from 'proctree-rx';
 * const tree = records.reduce(applyRecord, emptyTree());
 * ```
 */
export function applyRecord(tree: ProcessTree, record: TreeRecord): ProcessTree {
  switch (record.kind) {
    case 'fork':
      return applyFork(tree, record);
    case 'exec':
      return applyExec(tree, record);
    case 'exit':
      return applyExit(tree, record);
    case 'context':
      return applyContext(tree, record);
    case 'procfs':
      return applyProcfs(tree, record);
    case 'evict':
      return applyEvict(tree, record);
  }
}

/**
 * Applies what one event implies under `source` (see {@link feedFromEnvelope}). Pure.
 * @example
 * ```ts
 * const tree = envelopes.reduce((t, e) => applyEnvelope(t, e, 'events'), emptyTree());
 * ```
 */
export function applyEnvelope(tree: ProcessTree, env: Envelope, source: TreeSource = 'events'): ProcessTree {
  const { records } = feedFromEnvelope(env, source);
  let next = tree;
  for (const r of records) next = applyRecord(next, r);
  return next;
}
