import * as O from 'fp-ts/lib/Option.js';
import { ancestorsJsonAt, summaryAt, summaryInterval } from '../../src/tree/ancestorsJson.js';
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

describe.each(FIXTURE_STREAMS)('summaryInterval on %s (source=%s)', (file, source) => {
  it('bounds the read times a summary holds for: same text anywhere in [lo, hi), a different one just outside when it changes', () => {
    const builder = new TreeBuilder({ source });
    for (const env of loadStream(file, source)) builder.applyEnvelope(env);
    const tree = builder.tree;
    let inside = 0;
    let edges = 0;
    tree.processes.forEach((node) => {
      for (const at of [node.startTime ?? 0n, (node.startTime ?? 0n) + 1n, tree.time, node.exitTime ?? tree.time]) {
        const text = summaryAt(node, at);
        const { lo, hi } = summaryInterval(node, at);
        expect(lo).toBeLessThanOrEqual(at);
        if (hi !== undefined) expect(hi).toBeGreaterThan(at);
        for (const t of [lo, at, hi === undefined ? at + 1_000_000_000n : hi - 1n]) {
          if (t < 0n) continue;
          expect(summaryAt(node, t)).toBe(text);
          inside++;
        }
        // the interval is the widest one: the text differs just past it whenever a field changed there
        if (hi !== undefined && summaryAt(node, hi) !== text) edges++;
      }
    });
    expect(inside).toBeGreaterThan(20);
    expect(edges).toBeGreaterThan(0);
  });
});
