/**
 * The reducer: `(tree, record) => tree`, dispatching on the record kind.
 *
 * @module
 */
import type { Envelope, Nanos } from '../streams/types.js';
import { applyContext } from './applyContext.js';
import { applyEvict } from './applyEvict.js';
import { applyExec } from './applyExec.js';
import { applyExit } from './applyExit.js';
import { applyFork } from './applyFork.js';
import { applyProcfs } from './applyProcfs.js';
import { feedFromEnvelope, type TreeSource } from './feedFromEvents.js';
import type { ProcessTree, Store } from './model.js';
import { Draft, isDraft, Snapshot } from './snapshot.js';
import { replaceTouched } from './nodes.js';
import type { TreeRecord } from './records.js';

/** @internal The reducers, on an open draft (also inside {@link applyRecordsThen}'s `finish`). */
export function applyToDraft(draft: Draft, record: TreeRecord): void {
  switch (record.kind) {
    case 'fork':
      applyFork(draft, record);
      return;
    case 'exec':
      applyExec(draft, record);
      return;
    case 'exit':
      applyExit(draft, record);
      return;
    case 'context':
      applyContext(draft, record);
      return;
    case 'procfs':
      applyProcfs(draft, record);
      return;
    case 'evict':
      applyEvict(draft, record);
      return;
  }
}

/**
 * The store a new version of `tree` is written to: its own store when `tree` is the newest
 * version there (the usual case: append in place), else a copy of the store as of `tree`'s
 * version (a branch: O(entities held), and the newer versions stay as they were).
 */
function storeToWrite(tree: ProcessTree): Store {
  const store = tree.store;
  if (tree.version === store.head && store.pending === 0) return store;
  return store.branchAt(tree.version);
}

/**
 * Applies records as one new version (`records` in order); the input tree when none of them
 * changed anything. A reducer that throws leaves nothing behind (the draft is rolled back).
 * `finish`, when given, runs on the draft after the records and before the commit (what it
 * writes is part of the same version): the builder's evictions.
 */
function applyAll(tree: ProcessTree, records: readonly TreeRecord[], finish?: (draft: Draft) => Nanos | undefined): ProcessTree {
  if (isDraft(tree)) {
    for (const r of records) applyToDraft(tree, r);
    finish?.(tree);
    return tree;
  }
  const store = storeToWrite(tree);
  const draft = Draft.open(store, tree);
  let time = tree.time;
  try {
    for (const r of records) {
      const before = draft.changes;
      applyToDraft(draft, r);
      if (draft.changes > before && r.time > time) time = r.time;
    }
    if (finish !== undefined) {
      const before = draft.changes;
      const at = finish(draft);
      if (draft.changes > before && at !== undefined && at > time) time = at;
    }
    replaceTouched(draft);
  } catch (err) {
    store.rollback();
    throw err;
  }
  if (draft.changes === 0) {
    store.rollback();
    return tree;
  }
  return new Snapshot(store, store.commit(time), time, tree.config);
}

/**
 * Applies one record: `(tree, record) => tree`. The input tree never changes what it answers; a
 * record that changes nothing returns the identical tree (same reference, same version).
 * Applied to the newest version of its store, the new version is appended in place (O(what the
 * record changes)); applied to an older retained version, the store is first copied as of that
 * version (a branch: slower, and the newer versions are left as they were).
 *
 * @example
 * ```ts
 * import { applyRecord, emptyTree } from 'proctree-rx';
 * const tree = records.reduce(applyRecord, emptyTree());
 * ```
 */
export function applyRecord(tree: ProcessTree, record: TreeRecord): ProcessTree {
  return applyAll(tree, [record]);
}

/**
 * Applies what one event implies under `source` (see {@link feedFromEnvelope}), one version per
 * record that changes something.
 * @example
 * ```ts
 * const tree = envelopes.reduce((t, e) => applyEnvelope(t, e, 'events'), emptyTree());
 * ```
 */
export function applyEnvelope(tree: ProcessTree, env: Envelope, source: TreeSource = 'events'): ProcessTree {
  let next = tree;
  for (const r of feedFromEnvelope(env, source).records) next = applyAll(next, [r]);
  return next;
}

/**
 * Applies many records as ONE new version. Same final state as applying them one by one (field
 * changelogs keep each record's own time, so as-of queries inside the batch still answer by
 * time); only the intermediate versions are not retained. Returns the input tree when no record
 * changed anything.
 *
 * @example
 * ```ts
 * const next = applyRecords(tree, recordsOfOneChunk);
 * ```
 */
export function applyRecords(tree: ProcessTree, records: readonly TreeRecord[]): ProcessTree {
  if (records.length === 0) return tree;
  return applyAll(tree, records);
}

/**
 * @internal {@link applyRecords}, then `finish` on the same draft before it is committed: what
 * `finish` writes (the builder's evictions) is part of the same version; it returns the time of
 * what it writes.
 */
export function applyRecordsThen(tree: ProcessTree, records: readonly TreeRecord[], finish: (draft: Draft) => Nanos | undefined): ProcessTree {
  return applyAll(tree, records, finish);
}
