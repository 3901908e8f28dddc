import { lastValueFrom, merge, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { mergeByTimestamp } from '../../src/operators/mergeByTimestamp.js';
import type { Envelope } from '../../src/streams/types.js';
import { env, late } from '../support/envelopes.js';

describe('mergeByTimestamp', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('completes at once with no sources', () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(mergeByTimestamp([], { scheduler: testScheduler })).toBe('|');
    });
  });

  it('stays silent while its sources never emit', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const events = cold<Envelope>('-');
      const signals = cold<Envelope>('-');
      expectObservable(mergeByTimestamp([events, signals], { scheduler: testScheduler })).toBe('-');
    });
  });

  it('merges two streams by event time, events before signals at the same ns', () => {
    const values = {
      a: env(10n, { rank: 0, seq: 0 }),
      c: env(30n, { rank: 0, seq: 1 }),
      e: env(50n, { rank: 0, seq: 2 }),
      x: env(10n, { rank: 1, seq: 0 }), // the signal twin of a, arriving first
      y: env(30n, { rank: 1, seq: 1 }),
    };
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // window 20: y (30) releases a and x; e (50) releases c and y; completion releases e.
      const events = cold<Envelope>('  --a--------c-----e---|', values);
      const signals = cold<Envelope>(' -x-------y|', values);
      const subsE = '                  ^--------------------!';
      const subsS = '                  ^---------!';
      const expected = '               ---------(ax)----(cy)(e|)';
      const result = mergeByTimestamp([events, signals], { window: 20n, scheduler: testScheduler });
      expectObservable(result).toBe(expected, values);
      expectSubscriptions(events.subscriptions).toBe(subsE);
      expectSubscriptions(signals.subscriptions).toBe(subsS);
    });
  });

  it('releases merged events as the shared watermark passes them', () => {
    const values = { a: env(10n), b: env(15n, { rank: 1 }), c: env(40n), d: env(45n, { rank: 1 }) };
    testScheduler.run(({ cold, expectObservable }) => {
      // window 5: each arrival releases everything at least 5 ns behind the highest timestamp.
      const events = cold<Envelope>('  -a---c---|', values);
      const signals = cold<Envelope>(' ---b---d---|', values);
      const expected = '               ---a-b-c---(d|)';
      const result = mergeByTimestamp([events, signals], { window: 5n, scheduler: testScheduler });
      expectObservable(result).toBe(expected, values);
    });
  });

  it("sorts files read one after the other exactly with window 'unbounded'", async () => {
    const events = of(env(10n, { seq: 0 }), env(20n, { seq: 1 }), env(30n, { seq: 2 }));
    const signals = of(env(10n, { rank: 1, seq: 0 }), env(25n, { rank: 1, seq: 1 }));
    const out = await lastValueFrom(mergeByTimestamp([events, signals], { window: 'unbounded' }).pipe(toArray()));
    expect(out.map((e) => [e.timestamp, e.rank])).toEqual([
      [10n, 0],
      [10n, 1],
      [20n, 0],
      [25n, 1],
      [30n, 0],
    ]);
    expect(out.some((e) => e.late === true)).toBe(false);
  });

  it('with a bounded window, a source read behind the others is flagged late (documented caveat)', async () => {
    const events = of(env(10n, { seq: 0 }), env(5_000_000_000n, { seq: 1 }));
    const signals = of(env(5n, { rank: 1, seq: 0 }));
    const out = await lastValueFrom(mergeByTimestamp([events, signals], { window: 1000n, idleFlush: 0 }).pipe(toArray()));
    expect(out).toEqual([env(10n, { seq: 0 }), late(env(5n, { rank: 1, seq: 0 })), env(5_000_000_000n, { seq: 1 })]);
  });

  it('differs from plain merge(), which interleaves by arrival', async () => {
    const events = of(env(30n, { seq: 0 }));
    const signals = of(env(10n, { rank: 1, seq: 0 }));
    const byArrival = await lastValueFrom(merge(events, signals).pipe(toArray()));
    const byTime = await lastValueFrom(mergeByTimestamp([events, signals], { window: 'unbounded' }).pipe(toArray()));
    expect(byArrival.map((e) => e.timestamp)).toEqual([30n, 10n]);
    expect(byTime.map((e) => e.timestamp)).toEqual([10n, 30n]);
  });
});
