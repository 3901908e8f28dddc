import fc from 'fast-check';
import { from, Subscription } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { compareEnvelopes } from '../../src/operators/compareEnvelopes.js';
import { DEFAULT_MAX_BUFFERED_BYTES, envelopeBytes, sortByTimestamp } from '../../src/operators/sortByTimestamp.js';
import type { Envelope } from '../../src/streams/types.js';
import { env, late } from '../support/envelopes.js';

/** Runs a synchronous source through the operator and returns what came out. */
function sortSync(input: readonly Envelope[], options: Parameters<typeof sortByTimestamp>[0]): Envelope[] {
  const out: Envelope[] = [];
  let completed = false;
  from(input)
    .pipe(sortByTimestamp(options))
    .subscribe({ next: (e) => out.push(e), complete: () => (completed = true) });
  expect(completed).toBe(true);
  return out;
}

/** A scheduler that records the subscriptions of everything scheduled on it. */
function trackingScheduler(inner: SchedulerLike): { scheduler: SchedulerLike; scheduled: Subscription[] } {
  const scheduled: Subscription[] = [];
  const scheduler = {
    now: () => inner.now(),
    schedule: (...args: Parameters<SchedulerLike['schedule']>) => {
      const sub = inner.schedule(...args);
      scheduled.push(sub);
      return sub;
    },
  };
  return { scheduler, scheduled };
}

describe('sortByTimestamp', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  describe('boring cases', () => {
    it('completes an empty source', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<Envelope>('  |');
        const subs = '                   (^!)';
        const expected = '               |';
        expectObservable(source.pipe(sortByTimestamp({ scheduler: testScheduler }))).toBe(expected);
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('stays silent on a source that never emits', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<Envelope>('  -');
        const subs = '                   ^';
        const expected = '               -';
        expectObservable(source.pipe(sortByTimestamp({ scheduler: testScheduler, idleFlush: 5 }))).toBe(expected);
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('releases buffered events in order, then forwards the error', () => {
      const values = { a: env(20n), b: env(10n) };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<Envelope>('  -a-b-#', values, new Error('boom'));
        const subs = '                   ^----!';
        const expected = '               -----(ba#)';
        expectObservable(source.pipe(sortByTimestamp({ window: 100n, scheduler: testScheduler }))).toBe(
          expected,
          values,
          new Error('boom'),
        );
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('on early unsubscribe drops the buffer, cancels the idle timer and unsubscribes upstream', () => {
      const values = { a: env(20n), b: env(10n), c: env(30n) };
      const { scheduler, scheduled } = trackingScheduler(testScheduler);
      testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot<Envelope>('   -a-b-c-|', values);
        const unsub = '                 ^---!';
        const subs = '                   ^---!';
        const expected = '               -----';
        expectObservable(source.pipe(sortByTimestamp({ window: 100n, idleFlush: 10, scheduler })), unsub).toBe(expected);
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
      expect(scheduled.length).toBe(1);
      expect(scheduled.every((s) => s.closed)).toBe(true);
    });

    it('rejects invalid options', () => {
      expect(() => sortByTimestamp({ window: -1n })).toThrow(RangeError);
      expect(() => sortByTimestamp({ idleFlush: -1 })).toThrow(RangeError);
      expect(() => sortByTimestamp({ idleFlush: Infinity })).toThrow(RangeError);
      expect(() => sortByTimestamp({ maxBuffered: Number.NaN })).toThrow(RangeError);
      expect(() => sortByTimestamp({ maxBufferedBytes: -1 })).toThrow(RangeError);
    });
  });

  describe('ordering', () => {
    it('passes in-order events straight through with window 0n', () => {
      const values = { a: env(1n, { seq: 0 }), b: env(2n, { seq: 1 }), c: env(3n, { seq: 2 }) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a-b-c|', values);
        const expected = '               -a-b-c|';
        expectObservable(source.pipe(sortByTimestamp({ window: 0n, scheduler: testScheduler }))).toBe(expected, values);
      });
    });

    it('reorders within the window and releases at the watermark', () => {
      // window 10: releases everything <= maxTs - 10.
      const values = { a: env(100n), b: env(95n), c: env(120n), d: env(111n) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a-b-c-----d-|', values);
        const expected = '               -----(ba)----(dc|)';
        expectObservable(source.pipe(sortByTimestamp({ window: 10n, scheduler: testScheduler }))).toBe(expected, values);
      });
    });

    it('releases an event exactly window ns behind the highest timestamp', () => {
      const values = { a: env(100n), b: env(110n) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a-b-|', values);
        const expected = '               ---a-(b|)';
        expectObservable(source.pipe(sortByTimestamp({ window: 10n, scheduler: testScheduler }))).toBe(expected, values);
      });
    });

    it('flags late events, counts them and still delivers them', () => {
      const values = { a: env(100n, { seq: 0 }), b: env(90n, { seq: 1 }), c: env(110n, { seq: 2 }), d: env(80n, { seq: 3 }) };
      const lates: Array<[Envelope, bigint, number]> = [];
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a-b-c-d|', values);
        const expected = '               -a-B-c-D|';
        const result = source.pipe(
          sortByTimestamp({ window: 0n, scheduler: testScheduler, onLate: (e, by, n) => lates.push([e, by, n]) }),
        );
        expectObservable(result).toBe(expected, { ...values, B: late(values.b), D: late(values.d) });
      });
      expect(lates).toEqual([
        [values.b, 10n, 1],
        [values.d, 30n, 2],
      ]);
    });

    it('calls an event late by 0 ns when only its rank or seq puts it behind', () => {
      const values = { s: env(100n, { rank: 1 }), e: env(100n, { rank: 0, seq: 7 }) };
      const by: bigint[] = [];
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -s-e|', values);
        const expected = '               -s-E|';
        const result = source.pipe(sortByTimestamp({ window: 0n, scheduler: testScheduler, onLate: (_e, b) => by.push(b) }));
        expectObservable(result).toBe(expected, { ...values, E: late(values.e) });
      });
      expect(by).toEqual([0n]);
    });

    it('breaks timestamp ties by rank (events before signals), then by seq', () => {
      const values = {
        s: env(100n, { rank: 1, seq: 0 }),
        e: env(100n, { rank: 0, seq: 5 }),
        f: env(100n, { rank: 0, seq: 2 }),
        t: env(100n, { rank: 1, seq: 1 }),
      };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -s-e-f-t-|', values);
        const expected = '               ---------(fest|)';
        expectObservable(source.pipe(sortByTimestamp({ window: 10n, scheduler: testScheduler }))).toBe(expected, values);
      });
    });

    it('keeps arrival order for envelopes with the very same key', () => {
      const values = { a: env(100n, { source: 'x' }), b: env(100n, { source: 'y' }), c: env(100n, { source: 'z' }) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a-b-c|', values);
        const expected = '               ------(abc|)';
        expectObservable(source.pipe(sortByTimestamp({ window: 10n, scheduler: testScheduler }))).toBe(expected, values);
      });
    });

    it('orders timestamps above 2^53 that differ by 1 ns', () => {
      const base = 1n << 60n;
      const values = { a: env(base + 1n), b: env(base), c: env(base + 2n) };
      expect(Number(values.a.timestamp)).toBe(Number(values.b.timestamp)); // a Number key would tie them
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a-b-c|', values);
        const expected = '               ------(bac|)';
        expectObservable(source.pipe(sortByTimestamp({ window: 5n, scheduler: testScheduler }))).toBe(expected, values);
      });
    });

    it('sorts Tracee-sized epoch ns that JSON.parse would round together', () => {
      const values = { a: env(1795582946601880724n), b: env(1795582946601880723n) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a-b|', values);
        const expected = '               ----(ba|)';
        expectObservable(source.pipe(sortByTimestamp({ scheduler: testScheduler }))).toBe(expected, values);
      });
    });
  });

  describe('idle flush, cap and unbounded', () => {
    it('releases everything after idleFlush ms of virtual time without input', () => {
      const values = { a: env(100n), b: env(90n), c: env(200n) };
      testScheduler.run(({ cold, expectObservable }) => {
        // a at 1, b at 3: idle since 3, so the flush comes at 3 + 100 = 103 (not 1 + 100).
        const source = cold<Envelope>('  -a-b 200ms c|', values);
        const expected = '               103ms (ba) 98ms (c|)';
        const result = source.pipe(sortByTimestamp({ window: 1_000_000n, idleFlush: 100, scheduler: testScheduler }));
        expectObservable(result).toBe(expected, values);
      });
    });

    it('uses a 1000 ms idle flush by default', () => {
      const values = { a: env(100n) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  a 2000ms |', values);
        const expected = '               1000ms a 1000ms |';
        expectObservable(source.pipe(sortByTimestamp({ scheduler: testScheduler }))).toBe(expected, values);
      });
    });

    it('never flushes on idle with idleFlush 0', () => {
      const values = { a: env(100n) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  a 5000ms |', values);
        const expected = '               5001ms (a|)';
        const result = source.pipe(sortByTimestamp({ idleFlush: 0, scheduler: testScheduler }));
        expectObservable(result).toBe(expected, values);
      });
    });

    it('releases the least event early above maxBuffered; later arrivals below it are late', () => {
      const values = { a: env(40n), b: env(30n), c: env(20n), d: env(10n) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a-b-c-d|', values);
        const expected = '               -----c-D(ba|)';
        const result = source.pipe(sortByTimestamp({ window: 1000n, maxBuffered: 2, idleFlush: 0, scheduler: testScheduler }));
        expectObservable(result).toBe(expected, { ...values, D: late(values.d) });
      });
    });

    it('releases the least event early above maxBufferedBytes, as above maxBuffered', () => {
      const values = { a: env(40n), b: env(30n), c: env(20n), d: env(10n) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a-b-c-d|', values);
        const expected = '               -----c-D(ba|)';
        // envelopes without a line count 256 bytes: two fit in 600, a third does not
        const result = source.pipe(sortByTimestamp({ window: 1000n, maxBufferedBytes: 600, idleFlush: 0, scheduler: testScheduler }));
        expectObservable(result).toBe(expected, { ...values, D: late(values.d) });
      });
    });

    it('counts a held line by its length: one long line fills the byte budget that many short ones share', () => {
      const long = { ...env(30n), raw: 'x'.repeat(10_000) } as Envelope;
      const out = sortSync([env(50n), long, env(40n), env(20n)], { window: 1000n, maxBufferedBytes: 20_000, idleFlush: 0 });
      // the long line (20 256 bytes) pushes the total over 20 000 at once: the least held (30) goes early
      expect(envelopeBytes(long)).toBe(20_256);
      expect(out.map((e) => e.timestamp)).toEqual([30n, 20n, 40n, 50n]);
    });

    it('the default byte cap applies to bounded windows only', () => {
      const lines = Array.from({ length: 40 }, (_, i) => ({ ...env(BigInt(1000 - i)), raw: 'y'.repeat(1024 * 1024) }));
      const bounded = sortSync(lines, { window: 1_000_000n, idleFlush: 0 });
      const full = sortSync(lines, { window: 'unbounded' });
      // lines of 1 MiB count 2 MiB each: the 8th goes over the 16 MiB default, and the least held leaves early
      expect(bounded[0]!.timestamp).toBe(993n);
      expect(full[0]!.timestamp).toBe(961n);
      expect(DEFAULT_MAX_BUFFERED_BYTES).toBe(16 * 1024 * 1024);
    });

    it("sorts fully at completion with window 'unbounded'", () => {
      const values = { a: env(4n), b: env(1n), c: env(3_000_000_000_000n), d: env(2n) };
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold<Envelope>('  -a 5000ms b-c-d|', values);
        const expected = '               5007ms (bdac|)';
        const result = source.pipe(sortByTimestamp({ window: 'unbounded', scheduler: testScheduler }));
        expectObservable(result).toBe(expected, values);
      });
    });
  });

  describe('properties', () => {
    const base = (1n << 60n) + 123n;

    it('any arrival order within the window comes out sorted, complete and never late', () => {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 1n, max: 1000n }),
          fc.array(fc.record({ offset: fc.bigInt({ min: 0n, max: 5000n }), delay: fc.double({ min: 0, max: 1, noNaN: true }), rank: fc.integer({ min: 0, max: 1 }) }), {
            maxLength: 200,
          }),
          (window, specs) => {
            // Arrival order = event time + a delay below the window: no event can be passed by the watermark.
            const events = specs.map((s, i) => {
              const delay = BigInt(Math.floor(s.delay * Number(window - 1n)));
              return { e: env(base + s.offset, { rank: s.rank, seq: i }), arrives: base + s.offset + delay };
            });
            const arrival = [...events].sort((x, y) => (x.arrives < y.arrives ? -1 : x.arrives > y.arrives ? 1 : 0)).map((x) => x.e);
            const out = sortSync(arrival, { window, idleFlush: 0 });
            expect(out).toEqual([...arrival].sort(compareEnvelopes));
            expect(out.some((e) => e.late === true)).toBe(false);
          },
        ),
      );
    });

    it("with window 'unbounded' any input comes out fully sorted, nothing lost or duplicated", () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ offset: fc.bigInt({ min: 0n, max: 50n }), rank: fc.integer({ min: 0, max: 1 }), seq: fc.integer({ min: 0, max: 20 }) }), {
            maxLength: 300,
          }),
          (specs) => {
            const input = specs.map((s, i) => env(base + s.offset, { rank: s.rank, seq: s.seq, source: `#${i}` }));
            const out = sortSync(input, { window: 'unbounded' });
            // Array.prototype.sort is stable, like the operator on equal keys: same elements, same order.
            expect(out).toEqual([...input].sort(compareEnvelopes));
            expect(new Set(out).size).toBe(input.length);
          },
        ),
      );
    });

    it('with any window and cap, nothing is lost or duplicated and on-time events are in order', () => {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: 100n }),
          fc.integer({ min: 0, max: 10 }),
          fc.array(fc.bigInt({ min: 0n, max: 200n }), { maxLength: 200 }),
          (window, maxBuffered, offsets) => {
            const input = offsets.map((o, i) => env(base + o, { seq: i }));
            const out = sortSync(input, { window, maxBuffered, idleFlush: 0 });
            const strip = (e: Envelope) => e.seq;
            expect(out.map(strip).sort((x, y) => x - y)).toEqual(input.map(strip));
            const onTime = out.filter((e) => e.late !== true);
            for (let i = 1; i < onTime.length; i++) {
              expect(compareEnvelopes(onTime[i - 1] as Envelope, onTime[i] as Envelope)).toBeLessThan(0);
            }
          },
        ),
      );
    });
  });
});
