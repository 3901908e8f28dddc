import { processInfoOf, summaryInfoOf } from '../../src/tree/queries.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { FIXTURE_STREAMS, loadEnvelopes, loadStream } from '../support/fixtures.js';

describe.each(FIXTURE_STREAMS)('summaryInfoOf on %s (source=%s)', (file, source) => {
  it('equals processInfoOf without maps for every process, at every event time and before it, in every version', () => {
    const builder = new TreeBuilder({ source });
    let compared = 0;
    let shared = 0;
    for (const env of loadStream(file, source)) {
      const tree = builder.applyEnvelope(env);
      for (const t of [env.timestamp, env.timestamp - 1_000_000n, tree.time + 1n]) {
        for (const id of tree.processes.keys()) {
          const node = tree.processes.get(id)!;
          const got = summaryInfoOf(node, t);
          expect(got).toEqual(processInfoOf(tree, node, t, false));
          if (got === summaryInfoOf(node, t)) shared++;
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    // the memo answers most reads (settled nodes), and its answers cannot be changed by a caller
    expect(shared).toBeGreaterThan(compared / 2);
  });
});

it('memoised answers are frozen', () => {
  const builder = new TreeBuilder();
  for (const env of loadEnvelopes('pipeline.ndjson', 0)) builder.applyEnvelope(env);
  const tree = builder.tree;
  const node = tree.processes.get(tree.processes.keys()[0]!)!;
  const info = summaryInfoOf(node, tree.time + 1n);
  expect(Object.isFrozen(info)).toBe(true);
});
