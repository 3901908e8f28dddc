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
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { stepArb, streamOf } from '../support/randomStreams.js';

/** Syscalls weighted up: most lines are cache hits. */
const steps = stepArb(['fork', 'fork', 'thread', 'exec', 'exit', 'groupExit', 'syscall', 'syscall', 'syscall', 'late', 'reuse']);

describe('createEnrichEncoder cache (fast-check)', () => {
  it('every cached line equals the line computed afresh, with evictions, pid reuse, late events and source=both duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(steps, { minLength: 1, maxLength: 80 }), fc.constantFrom(1, 2, 3, 1000), fc.boolean(), async (steps, cache, both) => {
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
