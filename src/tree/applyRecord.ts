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
import type { Draft } from './nodes.js';
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

/**
 * Applies many records as one transient batch: nodes created inside the batch are updated in
 * place (a private edit token that never escapes), then the result is frozen into ONE new version
 * — the immutable-js `withMutations` idea. Same final state as applying them one by one (field
 * changelogs keep each record's own time, so as-of queries inside the batch still answer by
 * time); only the intermediate versions are not materialised. Returns the input tree when no
 * record changed anything.
 *
 * @example
 * ```ts
 * const next = applyRecords(tree, recordsOfOneChunk);
 * ```
 */
export function applyRecords(tree: ProcessTree, records: readonly TreeRecord[]): ProcessTree {
  if (records.length === 0) return tree;
  if (records.length === 1) return applyRecord(tree, records[0]!);
  // literals, not spreads: tree values keep one hidden class (a rest/spread copy would not)
  const draft: Draft = {
    version: tree.version,
    time: tree.time,
    processes: tree.processes,
    threads: tree.threads,
    pids: tree.pids,
    counters: tree.counters,
    config: tree.config,
    edit: {},
    changes: 0,
  };
  let time = tree.time;
  for (const r of records) {
    const before = draft.changes ?? 0;
    applyRecord(draft, r);
    if ((draft.changes ?? 0) > before && r.time > time) time = r.time;
  }
  if (draft.changes === 0) return tree;
  return {
    version: tree.version + 1,
    time,
    processes: draft.processes,
    threads: draft.threads,
    pids: draft.pids,
    counters: draft.counters,
    config: draft.config,
  };
}
