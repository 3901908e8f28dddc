import fc from 'fast-check';
import { emptyTree, type ProcessTree } from '../../src/tree/model.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { VersionHistory } from '../../src/tree/versionHistory.js';
import { at, forkProcess, procfs } from '../support/treeRecords.js';

/** A stand-in tree value: only `version` and `time` matter to the history. */
const version = (v: number, time: bigint): ProcessTree => ({ ...emptyTree(), version: v, time });

const filled = (times: readonly bigint[], bounds?: ConstructorParameters<typeof VersionHistory>[0]): [VersionHistory, ProcessTree[]] => {
  const h = new VersionHistory(bounds);
  const trees = times.map((t, i) => version(i + 1, t));
  trees.forEach((t) => h.push(t));
  return [h, trees];
};

describe('VersionHistory', () => {
  it('empty: nothing retained, every lookup misses', () => {
    const h = new VersionHistory();
    expect(h.size).toBe(0);
    expect(h.newest).toBeUndefined();
    expect(h.oldest).toBeUndefined();
    expect(h.at(123n)).toBeUndefined();
    expect(h.byVersion(1)).toBeUndefined();
  });

  describe('as-of lookup (inclusive: a version made at T answers a query at T)', () => {
    const [h, [v1, v2, v3]] = filled([10n, 20n, 30n]);

    it.each([
      [10n, 1],
      [19n, 1],
      [20n, 2],
      [29n, 2],
      [30n, 3],
      [1_000n, 3],
    ])('at(%p) → version %i', (t, v) => {
      expect(h.at(t)?.version).toBe(v);
    });

    it('before the oldest retained version → the oldest (its changelogs still answer earlier times)', () => {
      expect(h.at(5n)).toBe(v1);
      expect(h.at(-1n)).toBe(v1);
    });

    it('returns the very tree objects pushed', () => {
      expect([h.at(10n), h.at(20n), h.at(30n)]).toEqual([v1, v2, v3]);
      expect(h.at(25n)).toBe(v2);
      expect(h.newest).toBe(v3);
      expect(h.oldest).toBe(v1);
    });

    it('agrees with a linear scan (property, times with repeats)', () => {
      fc.assert(
        fc.property(fc.array(fc.bigInt({ min: 0n, max: 50n }), { minLength: 1, maxLength: 40 }), fc.array(fc.bigInt({ min: -5n, max: 60n })), (deltas, queries) => {
          const times: bigint[] = [];
          let t = 0n;
          for (const d of deltas) times.push((t += d));
          const [hist, trees] = filled(times);
          // one version per instant: the last tree of each instant is the one kept
          const kept = trees.filter((tree, i) => trees[i + 1]?.time !== tree.time);
          expect(hist.size).toBe(kept.length);
          for (const q of queries) {
            const scan = kept.filter((x) => x.time <= q).pop() ?? kept[0];
            expect(hist.at(q)).toBe(scan);
          }
          for (const k of kept) expect(hist.byVersion(k.version)).toBe(k);
        }),
      );
    });
  });

  describe('one version per instant', () => {
    it('a tree at the same time as the newest replaces it', () => {
      const [h, [, second]] = filled([10n, 10n]);
      expect(h.size).toBe(1);
      expect(h.at(10n)).toBe(second);
      expect(h.byVersion(1)).toBeUndefined();
      expect(h.byVersion(2)).toBe(second);
    });

    it('pushing the identical tree again is ignored', () => {
      const h = new VersionHistory();
      const t = version(1, 10n);
      h.push(t);
      h.push(t);
      expect(h.size).toBe(1);
    });
  });

  describe('bounds', () => {
    it('by count: the oldest versions are dropped', () => {
      const [h, trees] = filled([10n, 20n, 30n, 40n, 50n], { maxVersions: 3 });
      expect(h.size).toBe(3);
      expect(h.oldest).toBe(trees[2]);
      expect(h.byVersion(2)).toBeUndefined();
      expect(h.byVersion(3)).toBe(trees[2]);
      expect(h.at(15n)).toBe(trees[2]); // older than anything retained → the oldest
      expect(h.maxVersions).toBe(3);
    });

    it('a count below 1 keeps one version', () => {
      const [h, trees] = filled([10n, 20n], { maxVersions: 0 });
      expect(h.size).toBe(1);
      expect(h.newest).toBe(trees[1]);
    });

    it('by span: versions older than newest − span are dropped, the newest always kept', () => {
      const [h, trees] = filled([0n, 10n, 20n, 30n, 40n, 50n, 60n, 70n, 80n, 90n, 100n], { maxSpanNs: 25n });
      expect(h.size).toBe(3);
      expect(h.oldest).toBe(trees[8]); // time 80 ≥ 100 − 25
      const [one] = filled([0n, 10n, 20n], { maxSpanNs: 0n });
      expect(one.size).toBe(1);
      expect(one.newest?.time).toBe(20n);
    });

    it('count and span together: the tighter one wins', () => {
      const [h] = filled([0n, 10n, 20n, 30n, 40n], { maxVersions: 2, maxSpanNs: 1_000n });
      expect(h.size).toBe(2);
      const [s] = filled([0n, 10n, 20n, 30n, 40n], { maxVersions: 100, maxSpanNs: 15n });
      expect(s.size).toBe(2);
    });

    it('stays correct across internal compaction (many pushes, small bound)', () => {
      const times = Array.from({ length: 5000 }, (_, i) => BigInt(i * 10));
      const [h, trees] = filled(times, { maxVersions: 10 });
      expect(h.size).toBe(10);
      expect(h.oldest).toBe(trees[4990]);
      expect(h.newest).toBe(trees[4999]);
      for (let i = 4990; i < 5000; i++) {
        expect(h.at(BigInt(i * 10 + 5))).toBe(trees[i]);
        expect(h.byVersion(i + 1)).toBe(trees[i]);
      }
      expect(h.byVersion(4990)).toBeUndefined();
    });
  });

  describe('fed by a TreeBuilder (StoreHistory: the store retains every version)', () => {
    it('holds each effective version; as-of answers come from the version of that time', () => {
      const b = new TreeBuilder();
      b.applyRecord(procfs({ time: at(1), id: 1000, pid: 100, startTime: at(0), name: 'bash' }));
      const v1 = b.tree;
      b.applyRecord(forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }));
      const v2 = b.tree;
      b.applyRecord(forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 })); // duplicate: no version
      expect(b.history.size).toBe(2);
      expect(b.history.byVersion(v1.version)?.version).toBe(v1.version);
      expect(b.history.byVersion(v2.version)).toBe(v2);
      expect(b.history.at(at(1.5)).version).toBe(v1.version);
      expect(b.history.at(at(1.5)).processes.get(2000)).toBeUndefined();
      expect(b.history.at(at(2))).toBe(v2);
      // before the first change: the first version answers (version 0 is the empty start)
      expect(b.history.at(at(0)).version).toBe(v1.version);
    });

    it('records of one instant each get a version; the newest of the instant answers at it', () => {
      const b = new TreeBuilder();
      b.applyRecord(procfs({ time: at(1), id: 1000, pid: 100, startTime: at(0), name: 'bash' }));
      b.applyRecord(forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }));
      b.applyRecord(forkProcess({ time: at(2), id: 3000, pid: 300, parentId: 1000, parentPid: 100 }));
      expect(b.tree.version).toBe(3);
      expect(b.history.size).toBe(3);
      expect(b.history.at(at(2))).toBe(b.tree);
      const v2 = b.history.byVersion(2)!;
      expect(v2.processes.get(2000)).toBeDefined();
      expect(v2.processes.get(3000)).toBeUndefined();
      expect(v2.processes.size).toBe(2);
    });

    it('is bounded by the builder’s history bound: older versions are vacuumed and answer with an error', () => {
      const b = new TreeBuilder({ history: { maxVersions: 3 } });
      const trees: ProcessTree[] = [];
      for (let i = 0; i < 10; i++) {
        b.applyRecord(forkProcess({ time: at(2 + i), id: 2000 + i, pid: 200 + i, parentId: 1000, parentPid: 100 }));
        trees.push(b.tree);
      }
      expect(b.history.size).toBe(3);
      expect(b.history.oldest.version).toBe(8);
      expect(trees[0]!.retained).toBe(false);
      expect(() => trees[0]!.processes.get(2000)).toThrow('version 1 is no longer retained');
      expect(trees[9]!.processes.get(2000)).toBeDefined();
    });
  });
});
