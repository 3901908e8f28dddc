/**
 * The ancestors part of an enriched line, straight from the tree: what
 * `lineageAt(tree, id, t, maxDepth)` (spawn parents, each read at its child's start) followed by
 * {@link ancestorSummaryJson} of each ancestor gives — the same walk (`walkLineage`) and the same
 * builder (`ancestorSummaryJson`), with each ancestor's text memoised by the caller while the
 * node's view is the same (see {@link summaryInterval}). The encoder's property test
 * (test/pipeline/enrichEncoder.property.spec.ts) holds its text equal to the plain path's.
 *
 * @module
 */
import type { EntityId, Nanos } from '../streams/types.js';
import { ancestorSummaryJson } from './infoJson.js';
import type { ProcessNode, ProcessTree } from './model.js';
import { summaryInfoOf, walkLineage } from './queries.js';

/**
 * {@link ancestorSummaryJson} of `node` read at `at`: the one ancestor builder, over the node's
 * map-less answer (`summaryInfoOf`, memoised per node once it has settled).
 */
export const summaryAt = (node: ProcessNode, at: Nanos): string => ancestorSummaryJson(summaryInfoOf(node, at));

/** The times a summary of `node` can change at, as an interval around `at`: [lo, hi) (`hi` undefined: none later). */
export interface SummaryInterval {
  readonly lo: Nanos;
  readonly hi: Nanos | undefined;
}

/**
 * The instants around `at` between which {@link summaryAt} of `node` reads the same: the newest
 * change at or before `at` and the oldest after it, among the node's start, exit and the entries
 * of the changelogs a summary reads (name, exec, parent). A summary read at any time in
 * `[lo, hi)` is the text read at `at`.
 */
export function summaryInterval(node: ProcessNode, at: Nanos): SummaryInterval {
  let lo = -1n;
  let hi: Nanos | undefined;
  const see = (t: Nanos | undefined): void => {
    if (t === undefined) return;
    if (t <= at) {
      if (t > lo) lo = t;
    } else if (hi === undefined || t < hi) hi = t;
  };
  see(node.startTime);
  see(node.exitTime);
  for (const log of [node.name, node.exec, node.parent] as const) {
    if (log === undefined) continue;
    for (let i = 0; i < log.length; i += 2) see(log[i] as Nanos);
  }
  return { lo, hi };
}

/** The ancestors text of an enriched line and the ids it depends on (the process first). */
export interface AncestorsText {
  /** `[{…},…]`: the ancestors nearest first. */
  readonly json: string;
  /** The process and its ancestors, in walk order. */
  readonly chain: EntityId[];
}

/**
 * The spawn-parent lineage of process `id` as of `t`, as JSON summaries (nearest first, at most
 * `maxDepth`); the same text as `lineageAt(tree, id, t, maxDepth)` then `ancestorSummaryJson`.
 * `summary` may be a memoised {@link summaryAt} (it must give the same text).
 */
export function ancestorsJsonAt(
  tree: ProcessTree,
  id: EntityId,
  t: Nanos,
  maxDepth: number,
  summary: (node: ProcessNode, at: Nanos) => string = summaryAt,
): AncestorsText {
  const node = tree.processes.get(id >>> 0);
  const chain = [id];
  if (node === undefined || (node.startTime !== undefined && t < node.startTime)) return { json: '[]', chain };
  let json = '[';
  walkLineage(tree, node, t, maxDepth, 'spawn', (parent, at) => {
    json += (chain.length === 1 ? '' : ',') + summary(parent, at);
    chain.push(parent.id);
  });
  return { json: json + ']', chain };
}
