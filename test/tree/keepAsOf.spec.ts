/**
 * `tree --at T` and `query` keep only the versions their times need: a builder with a one-version
 * history that keeps the times it is asked about answers them exactly as a builder that keeps
 * every version — and holds far fewer.
 */
import { renderTreeAs } from '../../src/cli/pipeline.js';
import { processAt } from '../../src/tree/queries.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { FIXTURE_STREAMS, loadStream } from '../support/fixtures.js';

describe('TreeBuilder.keepAsOf', () => {
  it.each(FIXTURE_STREAMS)('%s (%s): kept times answer as with every version retained', (file, source) => {
    const envelopes = loadStream(file, source);
    const times = envelopes.filter((_, i) => i % 7 === 3).map((e) => e.timestamp);
    times.push(envelopes[0]!.timestamp - 1n, envelopes[envelopes.length - 1]!.timestamp + 5n);
    const full = new TreeBuilder({ source, history: { maxVersions: Number.POSITIVE_INFINITY } });
    const lean = new TreeBuilder({ source, history: { maxVersions: 1 } });
    lean.keepAsOf(times);
    for (const env of envelopes) {
      full.applyEnvelope(env);
      lean.applyEnvelope(env);
    }
    lean.settleKept();
    const ids = full.tree.processes.keys();
    for (const t of times) {
      expect(renderTreeAs(lean.history.at(t), t, 'json')).toBe(renderTreeAs(full.history.at(t), t, 'json'));
      for (const id of ids) expect(processAt(lean.history.at(t), id, t)).toEqual(processAt(full.history.at(t), id, t));
    }
    expect(lean.footprint().versions).toBeLessThanOrEqual(new Set(times).size + 1);
    expect(lean.footprint().storeEntries).toBeLessThan(full.footprint().storeEntries);
  });
});
