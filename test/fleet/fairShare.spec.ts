import { shareMove } from '../../src/fleet/fairShare.js';

const others = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

describe('shareMove', () => {
  it('alone: takes every partition', () => {
    expect(shareMove(8, 'a', 0, others({}))).toEqual({ share: 8, release: false, take: true });
    expect(shareMove(8, 'a', 8, others({}))).toEqual({ share: 8, release: false, take: false });
  });

  it('a new worker: the old one gives up down to its share, the new one takes up to it', () => {
    expect(shareMove(8, 'a', 8, others({ b: 0 }))).toEqual({ share: 4, release: true, take: false });
    expect(shareMove(8, 'b', 0, others({ a: 8 }))).toEqual({ share: 4, release: false, take: true });
    expect(shareMove(8, 'a', 4, others({ b: 4 }))).toEqual({ share: 4, release: false, take: false });
  });

  it('under its share, a worker leaves a free partition to a live worker that holds fewer', () => {
    // two busy workers whose leases lapsed: the one holding more does not grab them back
    expect(shareMove(8, 'a', 3, others({ b: 1 })).take).toBe(false);
    expect(shareMove(8, 'b', 1, others({ a: 3 })).take).toBe(true);
    // equal holdings: either may take it (the lease's compare-and-set picks one)
    expect(shareMove(8, 'a', 3, others({ b: 3 })).take).toBe(true);
  });

  it('shares round up: 8 partitions over 3 workers are 3, 3 and 2', () => {
    expect(shareMove(8, 'a', 3, others({ b: 3, c: 2 }))).toEqual({ share: 3, release: false, take: false });
    expect(shareMove(8, 'c', 2, others({ a: 3, b: 3 }))).toEqual({ share: 3, release: false, take: true });
    expect(shareMove(8, 'a', 4, others({ b: 2, c: 2 }))).toEqual({ share: 3, release: true, take: false });
  });

  it('ignores itself among the others', () => {
    expect(shareMove(8, 'a', 4, others({ a: 4, b: 4 }))).toEqual({ share: 4, release: false, take: false });
  });
});
