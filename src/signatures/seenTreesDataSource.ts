/**
 * The data source signatures get when none is given: the trees of the events seen so far.
 *
 * @module
 */
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { ProcessTreeDataSource } from '../tree/dataSource.js';
import { VersionHistory, type HistoryBounds } from '../tree/versionHistory.js';

/** A data source fed with each event's tree; see {@link seenTreesDataSource}. */
export interface SeenTreesDataSource {
  readonly dataSource: ProcessTreeDataSource;
  /** Records the tree right after `event` (call for every event, in order, before signatures see it). */
  push(event: EnrichedEnvelope): void;
}

/**
 * A {@link ProcessTreeDataSource} over a {@link VersionHistory} of the trees the enriched events
 * carry: a query at time `t` is answered from the newest tree seen with time ≤ t, as the
 * builder's own data source answers it (same default bound: 4096 versions), not from the latest
 * tree whatever the time asked.
 *
 * @example
 * ```ts
 * import { seenTreesDataSource } from 'proctree-rx';
 * import { tap } from 'rxjs';
 * const seen = seenTreesDataSource();
 * enriched$.pipe(tap((e) => seen.push(e))).subscribe((e) => seen.dataSource.process({ entityId: e.event.parentEntityId, time: e.timestamp }));
 * ```
 */
export function seenTreesDataSource(bounds?: HistoryBounds): SeenTreesDataSource {
  const history = new VersionHistory(bounds);
  return { dataSource: new ProcessTreeDataSource(history), push: (event) => history.push(event.tree) };
}
