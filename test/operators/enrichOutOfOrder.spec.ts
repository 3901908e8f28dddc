/** `enrich` fed unsorted input: out-of-order events are counted, reported and marked, not answered silently. */
import { from, lastValueFrom, toArray } from 'rxjs';
import { enrich, type EnrichStats } from '../../src/operators/enrich.js';
import type { InputIssue } from '../../src/streams/types.js';
import { loadEnvelopes } from '../support/fixtures.js';

describe('enrich on unsorted input', () => {
  const sorted = loadEnvelopes('pipeline.ndjson');

  it('sorted input: nothing counted, nothing reported', async () => {
    const stats: EnrichStats = { outOfOrder: 0 };
    const issues: InputIssue[] = [];
    const out = await lastValueFrom(from(sorted).pipe(enrich({ stats, onIssue: (i) => issues.push(i) }), toArray()));
    expect(out).toHaveLength(sorted.length);
    expect(stats.outOfOrder).toBe(0);
    expect(issues).toEqual([]);
  });

  it('an event moved after later ones is counted, reported with its origin and lag, and emitted marked late', async () => {
    const moved = sorted[3]!;
    const newer = sorted[6]!;
    expect(newer.timestamp > moved.timestamp).toBe(true);
    const unsorted = [...sorted.slice(0, 3), ...sorted.slice(4, 7), moved, ...sorted.slice(7)];
    const stats: EnrichStats = { outOfOrder: 0 };
    const issues: InputIssue[] = [];
    const out = await lastValueFrom(from(unsorted).pipe(enrich({ stats, onIssue: (i) => issues.push(i) }), toArray()));
    expect(stats.outOfOrder).toBe(1);
    expect(issues).toEqual([{ origin: moved.origin, reason: `out of order: ${newer.timestamp - moved.timestamp} ns older than an event already applied (sort the input: sortByTimestamp)`, severity: 'warning' }]);
    const emitted = out.find((e) => e.origin === moved.origin)!;
    expect(emitted.late).toBe(true);
    expect(out.filter((e) => e.late === true)).toHaveLength(1);
  });

  it('events a sort already marked late are not counted twice', async () => {
    const stats: EnrichStats = { outOfOrder: 0 };
    const late = { ...sorted[0]!, late: true };
    await lastValueFrom(from([...sorted.slice(1, 5), late]).pipe(enrich({ stats }), toArray()));
    expect(stats.outOfOrder).toBe(0);
  });
});
