/**
 * `tree --at T` and `query` keep only the versions their times need: a builder with a one-version
 * history that keeps the times it is asked about answers them exactly as a builder that keeps
 * every version — and holds far fewer.
 */
import { renderTreeAs } from '../../src/cli/pipeline.js';
import { processAt } from '../../src/tree/queries.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { FIXTURE_STREAMS, loadStream } from '../support/fixtures.js';
import { at, forkProcess } from '../support/treeRecords.js';

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

  it('a time the input has not reached yet costs nothing while never-exiting processes pass the bound', () => {
    // `query` asking about the end of a capture: no change passes the kept time, so none may leave
    // old values in the store (a pin around every change did, until each key's next write: a
    // removed pid is never written again, so its key stayed — 584 MB for 1 M processes)
    const bounds = { history: { maxVersions: 1 }, processCacheSize: 64, threadCacheSize: 128 };
    const plain = new TreeBuilder(bounds);
    const keeping = new TreeBuilder(bounds);
    const later = at(1_000_000);
    keeping.keepAsOf([later]);
    for (let i = 0; i < 2000; i++) {
      const fork = forkProcess({ time: at(i + 1), id: 10_000 + i, pid: 1000 + i, parentId: 7, parentPid: 700, name: 'sleep' });
      plain.applyRecord(fork);
      keeping.applyRecord(fork);
    }
    expect(plain.footprint().processes).toBeLessThanOrEqual(64);
    expect(keeping.footprint()).toEqual(plain.footprint());
    keeping.settleKept();
    expect(renderTreeAs(keeping.history.at(later), later, 'json')).toBe(renderTreeAs(plain.tree, later, 'json'));
  });
});
