import fc from 'fast-check';
import { currentTime, currentValue, entries, logSize, setAt, valueAt, type Changelog } from '../../src/tree/changelog.js';

const S = 1_000_000_000n; // one second
const MSEC = 1_000_000n;
const BIG = 1_000_000; // "unbounded" for tests

/** Writes `(value, time)` pairs in order into a log bounded to `max`. */
const write = <V>(max: number, ...pairs: [V, bigint][]): Changelog<V> => pairs.reduce<Changelog<V>>((log, [v, t]) => setAt(log, t, v, max), undefined);

describe('changelog', () => {
  describe("seed's TestChangelog (pkg/changelog), adapted", () => {
    it('an empty log has no current value and answers nothing', () => {
      expect(currentValue(undefined)).toBeUndefined();
      expect(currentTime(undefined)).toBeUndefined();
      expect(valueAt(undefined, 123n)).toBeUndefined();
      expect(logSize(undefined)).toBe(0);
      expect(entries(undefined)).toEqual([]);
    });

    it('one write is the current value', () => {
      const log = write(BIG, [42, 10n * S]);
      expect(currentValue(log)).toBe(42);
      expect(currentTime(log)).toBe(10n * S);
    });

    it.each([
      ['2 s', 2n * S],
      ['100 ms', 100n * MSEC],
    ])('three writes %s apart answer by time, and list oldest first', (_name, gap) => {
      const now = 100n * S;
      const log = write(BIG, [1, now - 2n * gap], [2, now - gap], [3, now]);
      expect(valueAt(log, now - 2n * gap)).toBe(1);
      expect(valueAt(log, now - gap)).toBe(2);
      expect(valueAt(log, now)).toBe(3);
      expect(entries(log).map((e) => e.value)).toEqual([1, 2, 3]);
    });
  });

  describe('boundary rule: INCLUSIVE (our decision; seed §3.2 / quirk Q3 is strictly-before)', () => {
    it('a value written at T is visible to a query at exactly T (the seed would answer the zero value)', () => {
      const log = write(BIG, [10, 10n * S]);
      expect(valueAt(log, 10n * S)).toBe(10);
      expect(valueAt(log, 10n * S + 1n)).toBe(10);
      expect(valueAt(log, 10n * S - 1n)).toBeUndefined();
    });

    it('the previous value holds until one ns before the next write', () => {
      const log = write(BIG, ['a', 10n], ['b', 20n]);
      expect(valueAt(log, 19n)).toBe('a');
      expect(valueAt(log, 20n)).toBe('b');
    });
  });

  describe('sorted inserts (seed §3.2 fact we keep; head quirk Q4 we do not)', () => {
    it('an out-of-order write lands in its sorted place', () => {
      const log = write(BIG, ['a', 10n], ['c', 30n], ['b', 20n]);
      expect(entries(log)).toEqual([
        { time: 10n, value: 'a' },
        { time: 20n, value: 'b' },
        { time: 30n, value: 'c' },
      ]);
      expect(currentValue(log)).toBe('c');
      expect(valueAt(log, 25n)).toBe('b');
    });

    it('a write older than every entry becomes the first entry, not the current one (head would make it current)', () => {
      const log = write(BIG, [10, 10n], [5, 5n]);
      expect(currentValue(log)).toBe(10);
      expect(valueAt(log, 11n)).toBe(10);
      expect(valueAt(log, 7n)).toBe(5);
      expect(valueAt(log, 4n)).toBeUndefined();
    });
  });

  describe('same instant', () => {
    it('a second write at the same instant overwrites that entry', () => {
      const log = write(BIG, ['a', 10n], ['b', 10n]);
      expect(logSize(log)).toBe(1);
      expect(valueAt(log, 10n)).toBe('b');
    });

    it('overwrites an inner entry in place', () => {
      const log = write(BIG, ['a', 10n], ['b', 20n], ['c', 30n], ['B', 20n]);
      expect(entries(log).map((e) => e.value)).toEqual(['a', 'B', 'c']);
    });
  });

  describe("bounded (head's common/changelog tests, our sorted rules)", () => {
    it('GetZeroValue: max 1, nothing before the write, the write at 0 is visible at 0', () => {
      expect(valueAt(undefined, 0n)).toBeUndefined();
      const log = write(1, [3001, 0n]);
      expect(valueAt(log, 0n)).toBe(3001);
      expect(logSize(log)).toBe(1);
    });

    it('ShiftAndReplace: max 2, the oldest entry is dropped', () => {
      const log = write(2, ['initial', 0n], ['updated', 1n], ['final', 2n]);
      expect(valueAt(log, 1n)).toBe('updated');
      expect(valueAt(log, 2n)).toBe('final');
      expect(currentValue(log)).toBe('final');
      expect(logSize(log)).toBe(2);
      expect(valueAt(log, 0n)).toBeUndefined(); // 'initial' is gone: unknown before the oldest kept entry
    });

    it('ReplaceMostRecentWithSameValue: max 2, re-writing the current value adds nothing', () => {
      let log = write(2, ['initial', 0n], ['initial', 1n]);
      expect(valueAt(log, 1n)).toBe('initial');
      expect(logSize(log)).toBe(1); // head moves the timestamp; we keep the earliest (no information lost)
      log = setAt(log, 2n, 'second', 2);
      expect(valueAt(log, 1n)).toBe('initial');
      expect(valueAt(log, 2n)).toBe('second');
      expect(logSize(log)).toBe(2);
    });

    it('InsertWithOlderTimestamp: max 3, an older write lands in place and the oldest is dropped', () => {
      let log = write(3, ['first', 0n], ['second', 1n * S], ['third', 2n * S], ['older', 1n * MSEC]);
      expect(logSize(log)).toBe(3);
      expect(valueAt(log, 1n * MSEC)).toBe('older');
      expect(valueAt(log, 1n * S)).toBe('second');
      expect(valueAt(log, 2n * S)).toBe('third');
      log = setAt(log, 1n * S + 1n * MSEC, 'second-third', 3);
      expect(valueAt(log, 1n * S + 1n * MSEC)).toBe('second-third');
      expect(valueAt(log, 2n * S)).toBe('third');
      expect(logSize(log)).toBe(3);
    });

    it('InsertSameValueWithNewTimestamp: max 3', () => {
      const log = write(3, ['same', 0n], ['same', 1n], ['new', 2n], ['other', 3n], ['other', 4n]);
      expect(valueAt(log, 1n)).toBe('same');
      expect(valueAt(log, 2n)).toBe('new');
      expect(valueAt(log, 4n)).toBe('other');
      expect(logSize(log)).toBe(3);
    });

    it('StructType: max 3 with object values, 4 writes keep the newest 3', () => {
      const v = [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }];
      const log = write(3, [v[0]!, 0n], [v[1]!, 1n * S], [v[2]!, 2n * S], [v[3]!, 3n * S]);
      expect(logSize(log)).toBe(3);
      expect(valueAt(log, 1n * S)).toBe(v[1]);
      expect(valueAt(log, 2n * S)).toBe(v[2]);
      expect(valueAt(log, 3n * S)).toBe(v[3]);
      expect(currentValue(log)).toBe(v[3]);
    });

    it('a write older than every entry of a full log is dropped at once and changes nothing (identical log)', () => {
      const log = write(2, ['a', 10n], ['b', 20n]);
      expect(setAt(log, 5n, 'c', 2)).toBe(log);
    });
  });

  describe('identity on no-op writes (so a no-op record keeps the tree identical)', () => {
    const log = write(BIG, ['a', 10n], ['b', 20n]);

    it('writing the current value later returns the same log', () => {
      expect(setAt(log, 30n, 'b', BIG)).toBe(log);
    });
    it('writing the same value at an existing instant returns the same log', () => {
      expect(setAt(log, 10n, 'a', BIG)).toBe(log);
      expect(setAt(log, 20n, 'b', BIG)).toBe(log);
    });
    it('an out-of-order write of the value already in effect returns the same log', () => {
      expect(setAt(log, 15n, 'a', BIG)).toBe(log);
    });
    it('uses the given equality', () => {
      const objs = write<{ id: number }>(BIG, [{ id: 1 }, 10n]);
      expect(setAt(objs, 20n, { id: 1 }, BIG, (x, y) => x.id === y.id)).toBe(objs);
      expect(setAt(objs, 20n, { id: 1 }, BIG)).not.toBe(objs);
    });
    it('never mutates the log it is given', () => {
      const frozen = Object.freeze(write(BIG, ['a', 10n], ['b', 20n], ['c', 30n])!.slice());
      expect(() => {
        setAt(frozen, 25n, 'x', BIG);
        setAt(frozen, 40n, 'y', 2);
        setAt(frozen, 20n, 'z', BIG);
        setAt(frozen, 5n, 'w', 3);
      }).not.toThrow();
      expect(entries(frozen).map((e) => e.value)).toEqual(['a', 'b', 'c']);
    });
  });

  describe('properties', () => {
    /** Reference: a sorted, unbounded list with the same write rules, trimmed to `max` (oldest first). */
    class Model {
      items: { t: bigint; v: number }[] = [];
      write(t: bigint, v: number, max: number): boolean {
        let i = -1;
        for (let k = 0; k < this.items.length; k++) if (this.items[k]!.t <= t) i = k;
        if (i >= 0 && this.items[i]!.t === t) {
          if (this.items[i]!.v === v) return false;
          this.items[i] = { t, v };
          return true;
        }
        if (i >= 0 && this.items[i]!.v === v) return false;
        if (i < 0 && this.items.length >= max) return false; // would be dropped at once
        this.items.splice(i + 1, 0, { t, v });
        if (this.items.length > max) this.items.shift();
        return true;
      }
      at(t: bigint): number | undefined {
        let out: number | undefined;
        for (const e of this.items) if (e.t <= t) out = e.v;
        return out;
      }
    }

    const writes = fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 40n }), fc.integer({ min: 0, max: 3 })), { maxLength: 60 });

    it('agrees with a sorted reference model (values at every instant, entries, size ≤ max, identity iff no change)', () => {
      fc.assert(
        fc.property(writes, fc.integer({ min: 1, max: 6 }), (ws, max) => {
          let log: Changelog<number> = undefined;
          const model = new Model();
          for (const [t, v] of ws) {
            const before = log;
            log = setAt(log, t, v, max);
            const changed = model.write(t, v, max);
            if (!changed) expect(log).toBe(before);
            expect(logSize(log)).toBeLessThanOrEqual(max);
            expect(entries(log)).toEqual(model.items.map((e) => ({ time: e.t, value: e.v })));
          }
          for (let q = -1n; q <= 41n; q++) expect(valueAt(log, q)).toBe(model.at(q));
        }),
        { numRuns: 150 },
      );
    });

    it('a bounded log answers like the unbounded one at every time from its oldest kept entry on', () => {
      fc.assert(
        fc.property(writes, fc.integer({ min: 1, max: 5 }), (ws, max) => {
          let bounded: Changelog<number> = undefined;
          let unbounded: Changelog<number> = undefined;
          for (const [t, v] of ws) {
            bounded = setAt(bounded, t, v, max);
            unbounded = setAt(unbounded, t, v, BIG);
          }
          const oldest = entries(bounded)[0]?.time;
          if (oldest === undefined) return;
          for (let q = oldest; q <= 41n; q++) expect(valueAt(bounded, q)).toBe(valueAt(unbounded, q));
          expect(currentValue(bounded)).toBe(currentValue(unbounded));
        }),
        { numRuns: 150 },
      );
    });

    it('entries stay strictly sorted by time', () => {
      fc.assert(
        fc.property(writes, (ws) => {
          const log = ws.reduce<Changelog<number>>((l, [t, v]) => setAt(l, t, v, 4), undefined);
          const times = entries(log).map((e) => e.time);
          for (let i = 1; i < times.length; i++) expect(times[i]! > times[i - 1]!).toBe(true);
        }),
      );
    });
  });
});
