import * as O from 'fp-ts/lib/Option.js';
import { ancestorsJsonAt } from '../../src/tree/ancestorsJson.js';
import { ancestorSummaryJson } from '../../src/tree/infoJson.js';
import { lineageAt } from '../../src/tree/queries.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { FIXTURE_STREAMS, loadStream } from '../support/fixtures.js';

/** The text the enrich encoder used to build: lineageAt (spawn parents), then one summary per ancestor. */
const viaQueries = (...[tree, id, t, depth]: Parameters<typeof ancestorsJsonAt>): string => {
  const chain = O.toUndefined(lineageAt(tree, id, t, depth)) ?? [];
  return `[${chain.slice(1).map(ancestorSummaryJson).join(',')}]`;
};

describe.each(FIXTURE_STREAMS)('ancestorsJsonAt on %s (source=%s)', (file, source) => {
  it('gives the same text as lineageAt + ancestorSummaryJson for every process, at every event time, in every version (memo included)', () => {
    const builder = new TreeBuilder({ source });
    let compared = 0;
    let nonEmpty = 0;
    for (const env of loadStream(file, source)) {
      const tree = builder.applyEnvelope(env);
      // earlier times too: the memo must not answer for a time before the node settled
      for (const t of [env.timestamp, env.timestamp - 1_000_000n, tree.time + 1n]) {
        for (const id of tree.processes.keys()) {
          for (const depth of [0, 1, 5]) {
            const got = ancestorsJsonAt(tree, id, t, depth);
            expect(got.json).toBe(viaQueries(tree, id, t, depth));
            expect(got.chain[0]).toBe(id);
            compared++;
            if (got.json !== '[]') nonEmpty++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(nonEmpty).toBeGreaterThan(10);
  });

  it('gives an empty list for an unknown process', () => {
    const builder = new TreeBuilder({ source });
    for (const env of loadStream(file, source)) builder.applyEnvelope(env);
    expect(ancestorsJsonAt(builder.tree, 12345, builder.tree.time, 5)).toEqual({ json: '[]', chain: [12345] });
  });
});
