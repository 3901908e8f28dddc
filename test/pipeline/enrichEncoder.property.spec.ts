/**
 * The enrich encoder caches each process's context text across events, keyed by what the text
 * reads (the process and thread nodes, and each node of its ancestor chain). Property: on random
 * streams — forks, threads, execs, exits with reparenting, pid reuse, evictions from tiny caches,
 * late events and `source=both` duplicates — every cached line equals the line computed afresh.
 */
import fc from 'fast-check';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import { createEnrichEncoder } from '../../src/pipeline/enrichEncoder.js';
import { spliceKey } from '../../src/cli/pipeline.js';
import { enrich } from '../../src/operators/enrich.js';
import { eventContextJson } from '../../src/operators/eventContextJson.js';
import type { Envelope } from '../../src/streams/types.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { world, type Task } from '../../marbles/world.js';

type Kind = 'fork' | 'thread' | 'exec' | 'exit' | 'groupExit' | 'syscall' | 'late' | 'reuse';
interface Step {
  readonly kind: Kind;
  readonly pick: number;
  readonly twin: boolean;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<Kind>('fork', 'fork', 'thread', 'exec', 'exit', 'groupExit', 'syscall', 'syscall', 'syscall', 'late', 'reuse'),
  pick: fc.nat({ max: 1000 }),
  twin: fc.boolean(),
});

/** The envelopes of a random run (each lifecycle event followed by its signal twin when `twin`). */
function streamOf(steps: readonly Step[]): Envelope[] {
  const w = world();
  const shell = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const out: Envelope[] = [];
  const live = (): Task[] => w.allTasks.filter((t) => !t.exited && t.pid !== 1);
  const push = (e: Envelope, twin: boolean): void => {
    out.push(e);
    if (twin) out.push(w.twin(e));
  };
  let pid = 200;
  for (const s of steps) {
    const tasks = live();
    const task = tasks.length === 0 ? shell : tasks[s.pick % tasks.length]!;
    switch (s.kind) {
      case 'fork':
        if (!task.exited) push(w.fork(task.leader, { pid: pid += 7 }).event, s.twin);
        break;
      case 'reuse': {
        // the pid of an exited process taken again by a new one (the kernel never gives a live task's pid)
        const freed = w.allTasks.filter((t) => t.exited && !t.isThread && !tasks.some((l) => l.pid === t.pid));
        if (!task.exited && freed.length > 0) push(w.fork(task.leader, { pid: freed[s.pick % freed.length]!.pid }).event, s.twin);
        break;
      }
      case 'thread':
        if (!task.exited) push(w.fork(task, { thread: true, pid: pid += 7 }).event, s.twin);
        break;
      case 'exec':
        if (!task.exited && !task.isThread) push(w.exec(task, { path: ['/usr/bin/ls', '/usr/bin/curl', '/tmp/x'][s.pick % 3]! }), s.twin);
        break;
      case 'exit':
      case 'groupExit':
        if (!task.exited && task !== shell) push(w.exit(task, { groupExit: s.kind === 'groupExit', status: s.pick % 3 }), s.twin);
        break;
      case 'syscall':
        if (!task.exited) out.push(w.syscall(task, 'openat'));
        break;
      case 'late': {
        // an event stamped before the newest change (arrives late): encoded afresh
        const e = w.syscall(task, 'read');
        out.push({ ...e, timestamp: e.timestamp - 3_000_000n });
        break;
      }
    }
  }
  return out;
}

describe('createEnrichEncoder cache (fast-check)', () => {
  it('every cached line equals the line computed afresh, with evictions, pid reuse, late events and source=both duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 80 }), fc.constantFrom(1, 2, 3, 1000), fc.boolean(), async (steps, cache, both) => {
        const envelopes = streamOf(steps);
        const builder = new TreeBuilder({ source: both ? 'both' : 'events', processCacheSize: cache, threadCacheSize: cache });
        const encode = createEnrichEncoder(6000, 5);
        const pairs = await lastValueFrom(
          from(envelopes).pipe(
            enrich({ builder, maxDepth: 5 }),
            map((e) => [encode(e).join(''), spliceKey(e, 'proctree', eventContextJson(e.context))] as const),
            toArray(),
          ),
          { defaultValue: [] },
        );
        expect(pairs).toHaveLength(envelopes.length);
        for (const [cached, fresh] of pairs) expect(cached).toBe(fresh);
      }),
      { numRuns: 150, ...(process.env['FC_SEED'] === undefined ? {} : { seed: Number(process.env['FC_SEED']) }) },
    );
  });
});
