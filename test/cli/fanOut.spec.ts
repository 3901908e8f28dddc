/**
 * Enriched lines cost O(1) in the size of the tree: a fork bomb's parent and a thread storm's
 * process carry at most LINE_MAX_IDS id-map entries per line, with the full counts beside them.
 */
import { from, lastValueFrom, map, toArray } from 'rxjs';
import { createEnrichEncoder } from '../../src/pipeline/enrichEncoder.js';
import { enrich } from '../../src/operators/enrich.js';
import { LINE_MAX_IDS } from '../../src/tree/infoJson.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import type { Envelope } from '../../src/streams/types.js';
import { world } from '../../marbles/world.js';

interface Line {
  proctree: { process: { pid: number; threadsIds: Record<string, number>; threadsCount: number; childProcessesIds: Record<string, number>; childProcessesCount: number } | null };
}

const encodeAll = async (envelopes: Envelope[]): Promise<string[]> => {
  const builder = new TreeBuilder();
  const encode = createEnrichEncoder();
  return lastValueFrom(from(envelopes).pipe(enrich({ builder }), map((e) => encode(e).join('')), toArray()));
};

describe('per-event output is bounded (fan-out)', () => {
  it('a shell forking 2000 live children: each fork line lists ≤ 64 children and the exact count; bytes per line stay flat', async () => {
    const w = world();
    const shell = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
    const envelopes = Array.from({ length: 2000 }, (_, i) => w.fork(shell, { pid: 1000 + i }).event);
    const lines = await encodeAll(envelopes);
    lines.forEach((line, i) => {
      const p = (JSON.parse(line) as Line).proctree.process!;
      expect(p.pid).toBe(100);
      expect(p.childProcessesCount).toBe(i + 1);
      expect(Object.keys(p.childProcessesIds)).toHaveLength(Math.min(i + 1, LINE_MAX_IDS));
    });
    // the last line is no longer than the 100th (the map stopped growing at 64)
    expect(lines[1999]!.length).toBeLessThan(lines[99]!.length + 64);
  });

  it('a thread storm of 500 threads: threadsIds cut to 64, threadsCount exact, and exits counted down', async () => {
    const w = world();
    const app = w.process({ pid: 200, comm: 'java', exe: '/usr/bin/java' });
    const spawned = Array.from({ length: 500 }, (_, i) => w.fork(app, { thread: true, pid: 5000 + i }));
    const exits = spawned.slice(0, 100).map((s) => w.exit(s.child));
    const lines = await encodeAll([...spawned.map((s) => s.event), ...exits, w.syscall(app, 'openat')]);
    const last = (JSON.parse(lines[lines.length - 1]!) as Line).proctree.process!;
    expect(last.threadsCount).toBe(401); // the leader and the 400 threads still alive
    expect(Object.keys(last.threadsIds)).toHaveLength(LINE_MAX_IDS);
    const peak = (JSON.parse(lines[499]!) as Line).proctree.process!;
    expect(peak.threadsCount).toBe(501);
  });
});
