/**
 * `processInfoOf` (ProcKey) memoises a process's whole answer — id maps included — per node
 * while its write stamp holds, for reads at or after the time its answer settled. Property: on
 * random streams (forks, threads, execs, exits with reparenting, pid reuse, late events,
 * evictions from tiny caches, `source=both` duplicates), every answer, read again and again at
 * times before, at and after each event, in the newest and in older retained versions, equals
 * the answer computed afresh (the bounded walk with no bound, which memoises nothing).
 */
import fc from 'fast-check';
import { boundedProcessInfoOf, processInfoOf } from '../../src/tree/queries.js';
import type { ProcessTree } from '../../src/tree/model.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { stepArb, streamOf } from '../support/randomStreams.js';

const fresh = (tree: ProcessTree, id: number, t: bigint): unknown => {
  const node = tree.processes.get(id);
  return node === undefined ? undefined : boundedProcessInfoOf(tree, node, t, Number.POSITIVE_INFINITY).info;
};

const memoised = (tree: ProcessTree, id: number, t: bigint): unknown => {
  const node = tree.processes.get(id);
  return node === undefined ? undefined : processInfoOf(tree, node, t);
};

describe('processInfoOf memo (fast-check)', () => {
  it('equals the answer computed afresh, at every time, in every retained version', () => {
    let memoHits = 0;
    fc.assert(
      fc.property(fc.array(stepArb(), { minLength: 1, maxLength: 60 }), fc.constantFrom(1, 2, 1000), fc.boolean(), (steps, cache, both) => {
        const builder = new TreeBuilder({ source: both ? 'both' : 'events', processCacheSize: cache, threadCacheSize: cache, history: { maxVersions: 1_000_000 } });
        const trees: ProcessTree[] = [];
        for (const env of streamOf(steps)) {
          const tree = builder.applyEnvelope(env);
          trees.push(tree);
          for (const t of [env.timestamp - 5_000_000n, env.timestamp, tree.time + 1n]) {
            for (const id of tree.processes.keys()) {
              const first = memoised(tree, id, t);
              expect(first).toEqual(fresh(tree, id, t));
              // read again: from the memo when the answer has settled
              const again = memoised(tree, id, t);
              if (again === first) memoHits++;
              expect(again).toEqual(first);
            }
          }
        }
        // older versions read the same nodes (or copies of them): their answers too
        for (const tree of trees) {
          for (const id of tree.processes.keys()) {
            for (const t of [tree.time, tree.time + 1_000_000_000n]) expect(memoised(tree, id, t)).toEqual(fresh(tree, id, t));
          }
        }
      }),
      { numRuns: 120, ...(process.env['FC_SEED'] === undefined ? {} : { seed: Number(process.env['FC_SEED']) }) },
    );
    // the memo is used (answers that settled come back as the same object)
    expect(memoHits).toBeGreaterThan(100);
  });
});
