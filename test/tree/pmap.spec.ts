import fc from 'fast-check';
import { emptyPMap, peach, pget, phas, pkeys, premove, pset, pupdate, pvalues, type PMap } from '../../src/tree/pmap.js';

/** Keys that stress the trie: equal low bits (same slots on the first levels), the extremes, the top 2 bits. */
const NASTY_KEYS = [
  0,
  1,
  31,
  32,
  33,
  2 + (1 << 5),
  1 + (1 << 10),
  1 + (1 << 15),
  1 + (1 << 20),
  1 + (1 << 25),
  0x40000001,
  0x80000001,
  0xc0000001,
  0x3fffffff,
  0x7fffffff,
  0x80000000,
  0xfffffffe,
  0xffffffff,
];

const keyArb = fc.oneof(
  fc.constantFrom(...NASTY_KEYS),
  // keys sharing their low 10..25 bits: differ only in the upper levels
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 127 })).map(([low, high]) => ((high << 25) | low) >>> 0),
  fc.integer({ min: 0, max: 64 }),
  fc.integer({ min: 0, max: 0xffffffff }),
);

type Op = { kind: 'set'; key: number; value: number } | { kind: 'remove'; key: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), key: keyArb }) },
);

const entriesOf = <V>(m: PMap<V>): [number, V][] => {
  const out: [number, V][] = [];
  peach(m, (v, k) => out.push([k, v]));
  return out.sort((a, b) => a[0] - b[0]);
};
const modelEntries = <V>(m: ReadonlyMap<number, V>): [number, V][] => [...m.entries()].sort((a, b) => a[0] - b[0]);

describe('pmap (persistent HAMT on uint32 keys)', () => {
  it('the empty map has nothing', () => {
    const m = emptyPMap<string>();
    expect(m.size).toBe(0);
    expect(pget(m, 0)).toBeUndefined();
    expect(pget(m, 0xffffffff)).toBeUndefined();
    expect(pkeys(m)).toEqual([]);
    expect(pvalues(m)).toEqual([]);
  });

  it('sets, gets, overwrites and removes', () => {
    const a = pset(emptyPMap<string>(), 7, 'x');
    const b = pset(a, 7, 'y');
    const c = premove(b, 7);
    expect([a.size, b.size, c.size]).toEqual([1, 1, 0]);
    expect([pget(a, 7), pget(b, 7), pget(c, 7)]).toEqual(['x', 'y', undefined]);
    expect(phas(b, 7)).toBe(true);
    expect(phas(c, 7)).toBe(false);
  });

  it('keeps keys apart that share every low bit (0 vs 2^31, 1 vs 0x40000001 / 0x80000001 / 0xc0000001)', () => {
    let m = emptyPMap<number>();
    NASTY_KEYS.forEach((k, i) => (m = pset(m, k, i)));
    expect(m.size).toBe(NASTY_KEYS.length);
    NASTY_KEYS.forEach((k, i) => expect(pget(m, k)).toBe(i));
    expect(pkeys(m).sort((a, b) => a - b)).toEqual([...NASTY_KEYS].sort((a, b) => a - b));
    // remove them one by one: the others stay reachable (branches collapse correctly)
    NASTY_KEYS.forEach((k, i) => {
      m = premove(m, k);
      expect(pget(m, k)).toBeUndefined();
      NASTY_KEYS.slice(i + 1).forEach((rest, j) => expect(pget(m, rest)).toBe(i + 1 + j));
    });
    expect(m.size).toBe(0);
  });

  it('stores 0 and 0xffffffff as ordinary keys', () => {
    const m = pset(pset(emptyPMap<string>(), 0, 'zero'), 0xffffffff, 'max');
    expect(pget(m, 0)).toBe('zero');
    expect(pget(m, 0xffffffff)).toBe('max');
    expect(pget(premove(m, 0), 0xffffffff)).toBe('max');
  });

  it('treats a negative int32 as its uint32 twin on get, set and remove (regression: pget did not normalise)', () => {
    const m = pset(emptyPMap<string>(), -1, 'max');
    expect(pkeys(m)).toEqual([0xffffffff]);
    expect(pget(m, -1)).toBe('max');
    expect(pget(m, 0xffffffff)).toBe('max');
    expect(premove(m, -1).size).toBe(0);
  });

  it('returns the identical map for a no-op set, remove or update', () => {
    const value = { v: 1 };
    const m = pset(pset(emptyPMap<{ v: number }>(), 1, value), 0x80000001, { v: 2 });
    expect(pset(m, 1, value)).toBe(m);
    expect(premove(m, 2)).toBe(m);
    expect(premove(m, 0x40000001)).toBe(m); // same low bits as a present key, absent itself
    expect(pupdate(m, 1, (v) => v)).toBe(m);
    expect(pupdate(m, 3, () => ({ v: 9 }))).toBe(m);
    // a different object with equal content is a change (identity, not deep equality)
    expect(pset(m, 1, { v: 1 })).not.toBe(m);
  });

  it('pupdate replaces a present value', () => {
    const m = pset(emptyPMap<number>(), 5, 1);
    expect(pget(pupdate(m, 5, (v) => v + 1), 5)).toBe(2);
  });

  it('never changes an old version (explicit)', () => {
    const v1 = pset(pset(emptyPMap<string>(), 1, 'a'), 33, 'b');
    const v2 = pset(v1, 1, 'A');
    const v3 = premove(v2, 33);
    expect(entriesOf(v1)).toEqual([
      [1, 'a'],
      [33, 'b'],
    ]);
    expect(entriesOf(v2)).toEqual([
      [1, 'A'],
      [33, 'b'],
    ]);
    expect(entriesOf(v3)).toEqual([[1, 'A']]);
  });

  it('agrees with a native Map under random set/remove sequences, keeps every old version, and no-ops are identities', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        let m = emptyPMap<number>();
        const model = new Map<number, number>();
        const versions: [PMap<number>, [number, number][]][] = [[m, []]];
        for (const op of ops) {
          const before = m;
          const changes = op.kind === 'set' ? model.get(op.key) !== op.value : model.has(op.key);
          if (op.kind === 'set') {
            m = pset(m, op.key, op.value);
            model.set(op.key, op.value);
          } else {
            m = premove(m, op.key);
            model.delete(op.key);
          }
          if (!changes) expect(m).toBe(before);
          else expect(m).not.toBe(before);
          expect(m.size).toBe(model.size);
          expect(pget(m, op.key)).toBe(model.get(op.key));
          versions.push([m, modelEntries(model)]);
        }
        expect(entriesOf(m)).toEqual(modelEntries(model));
        for (const k of NASTY_KEYS) expect(pget(m, k)).toBe(model.get(k));
        // persistence: every old version still holds exactly what the model held then
        for (const [version, expected] of versions) {
          expect(entriesOf(version)).toEqual(expected);
          expect(version.size).toBe(expected.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('transient updates under an edit token end where persistent ones do, and leave maps made before the token untouched', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.array(opArb, { maxLength: 120 }), (setup, ops) => {
        const run = (start: PMap<number>, list: readonly Op[], owner?: object): PMap<number> =>
          list.reduce((m, op) => (op.kind === 'set' ? pset(m, op.key, op.value, owner) : premove(m, op.key, owner)), start);
        const base = run(emptyPMap<number>(), setup);
        const baseEntries = entriesOf(base);
        const persistent = run(base, ops);
        const edit = {};
        const transient = run(base, ops, edit);
        expect(entriesOf(transient)).toEqual(entriesOf(persistent));
        expect(transient.size).toBe(persistent.size);
        expect(entriesOf(base)).toEqual(baseEntries); // not owned by the token: never mutated
        // after the batch, updates without the token copy again: the batch result stays as it was
        const frozen = entriesOf(transient);
        run(transient, ops.map((op) => (op.kind === 'set' ? { ...op, value: op.value + 10 } : op)));
        expect(entriesOf(transient)).toEqual(frozen);
        // and a second, different token does not mutate the first batch's nodes either
        run(transient, ops.map((op) => (op.kind === 'set' ? { ...op, value: op.value + 20 } : op)), {});
        expect(entriesOf(transient)).toEqual(frozen);
      }),
      { numRuns: 200 },
    );
  });

  it('iterates every entry once, in an order stable for a given map', () => {
    fc.assert(
      fc.property(fc.uniqueArray(keyArb, { maxLength: 100 }), (keys) => {
        let m = emptyPMap<number>();
        keys.forEach((k) => (m = pset(m, k, k)));
        const ks = pkeys(m);
        expect(ks).toEqual(pkeys(m));
        expect(new Set(ks).size).toBe(keys.length);
        expect(pvalues(m)).toEqual(ks);
      }),
    );
  });

  it('is canonical: the same entries give the same iteration order whatever the history of sets, removes and batches', () => {
    fc.assert(
      fc.property(fc.uniqueArray(keyArb, { maxLength: 80 }), fc.array(keyArb, { maxLength: 80 }), fc.boolean(), (keys, extra, batch) => {
        let direct = emptyPMap<number>();
        [...keys].sort((a, b) => a - b).forEach((k) => (direct = pset(direct, k, k)));
        // the same keys in another order, with extra keys set and then removed again
        const edit = batch ? {} : undefined;
        let winding = emptyPMap<number>();
        [...extra, ...[...keys].reverse()].forEach((k) => (winding = pset(winding, k, k, edit)));
        extra.filter((k) => !keys.includes(k)).forEach((k) => (winding = premove(winding, k, edit)));
        expect(winding.size).toBe(keys.length);
        expect(pkeys(winding)).toEqual(pkeys(direct));
      }),
      { numRuns: 300 },
    );
  });
});
