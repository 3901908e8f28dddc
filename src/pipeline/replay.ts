/**
 * `replay`: a capture replayed into a fully versioned tree, for after-the-fact questions.
 *
 * @module
 */
import * as O from 'fp-ts/lib/Option.js';
import type { NdjsonInput } from '../streams/fromNdjson.js';
import type { Nanos } from '../streams/types.js';
import type { ProcessTree } from '../tree/model.js';
import { lineageAt, processByPidAt, type LineageOptions, type ProcessInfo } from '../tree/queries.js';
import type { TreeBuilder } from '../tree/treeBuilder.js';
import { pipeline, type PipelineOptions, type PipelineStats } from './pipeline.js';
import { renderTree, type TreeFormat } from './renderTree.js';

/** Options of {@link replay}: those of `pipeline`, but every version is kept and procfs is never read unless asked. */
export type ReplayOptions = Omit<PipelineOptions, 'inputs' | 'history'>;

/** A replayed capture: its tree at every time, and the questions an investigation asks of it. */
export interface Replay {
  /** The builder, with every version retained (`builder.history.at(t)`, `builder.dataSource()`). */
  readonly builder: TreeBuilder;
  /** The newest tree, after the whole input. */
  readonly tree: ProcessTree;
  /** The run's counters (events, bad lines, late events, …). */
  readonly stats: PipelineStats;
  /** The tree as it was at `t` (the newest version at or before `t`). */
  treeAt(t: Nanos): ProcessTree;
  /** The process that held host pid `pid` at `t` (pids are reused: the holder then). */
  whoHeld(pid: number, t: Nanos): O.Option<ProcessInfo>;
  /** The process that held `pid` at `t` and its ancestors, nearest first (`maxDepth` parents; default 64). */
  lineage(pid: number, t: Nanos, options?: LineageOptions & { readonly maxDepth?: number }): O.Option<ProcessInfo[]>;
  /** The tree at `t` drawn as `proctree-rx tree --at T --format F` draws it (default `text`). */
  render(t: Nanos, format?: TreeFormat): string;
}

/**
 * Replays NDJSON captures (paths or streams, in time order whatever their order in the files)
 * into a tree that keeps every version, and answers as of any time: who held a pid, a lineage,
 * the whole tree drawn. Resolves when the input is read; an unreadable input rejects with an
 * `InputError`, bad lines go to `onIssue`.
 *
 * @example
 * ```ts
 * import { isSome, replay } from 'proctree-rx';
 * const r = await replay(['capture.ndjson']);
 * const who = r.whoHeld(20655, 1795582946621474559n);
 * if (isSome(who)) console.log(who.value.executionBinary.path);
 * console.log(r.render(1795582946621474559n));
 * ```
 */
export async function replay(inputs: NdjsonInput | readonly NdjsonInput[], options: ReplayOptions = {}): Promise<Replay> {
  const run = await pipeline({ ...options, inputs, history: { maxVersions: Number.POSITIVE_INFINITY } });
  const tree = await run.build();
  const { builder } = run;
  const treeAt = (t: Nanos): ProcessTree => builder.history.at(t);
  const whoHeld = (pid: number, t: Nanos): O.Option<ProcessInfo> => processByPidAt(treeAt(t), pid, t);
  return {
    builder,
    tree,
    stats: run.stats(),
    treeAt,
    whoHeld,
    lineage: (pid, t, lineageOptions = {}) => {
      const who = whoHeld(pid, t);
      return O.isNone(who) ? O.none : lineageAt(treeAt(t), who.value.entityId, t, lineageOptions.maxDepth ?? 64, lineageOptions);
    },
    render: (t, format = 'text') => renderTree(treeAt(t), { at: t, format }),
  };
}
