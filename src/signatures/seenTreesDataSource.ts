/**
 * The data source signatures get when none is given: the tree of the events seen so far, asked
 * as of any time its store retains.
 *
 * @module
 */
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { ProcessTreeDataSource, type TreeAsOf } from '../tree/dataSource.js';
import type { ProcessTree } from '../tree/model.js';
import { StoreHistory } from '../tree/versionHistory.js';

/** A data source following the events' trees; see {@link seenTreesDataSource}. */
export interface SeenTreesDataSource {
  readonly dataSource: ProcessTreeDataSource;
  /** Follows the tree right after `event` (call for every event, in order, before signatures see it). */
  push(event: EnrichedEnvelope): void;
}

/**
 * A {@link ProcessTreeDataSource} over the newest tree the enriched events carried: a query at
 * time `t` is answered from the version of that tree's store as of `t` (the newest retained
 * version with time ≤ t), as the builder's own data source answers it — not from the newest tree
 * whatever the time asked. Before any event it answers nothing.
 *
 * @example
 * ```ts
 * import { seenTreesDataSource } from 'proctree-rx';
 * import { tap } from 'rxjs';
 * const seen = seenTreesDataSource();
 * enriched$.pipe(tap((e) => seen.push(e))).subscribe((e) => seen.dataSource.process({ entityId: headOf(e).parentEntityId, time: e.timestamp }));
 * ```
 */
export function seenTreesDataSource(): SeenTreesDataSource {
  let latest: ProcessTree | undefined;
  const history = new StoreHistory(() => latest!);
  const trees: TreeAsOf = { at: (t) => (latest === undefined ? undefined : history.at(t)) };
  return {
    dataSource: new ProcessTreeDataSource(trees),
    push: (event) => {
      latest = event.tree;
    },
  };
}
