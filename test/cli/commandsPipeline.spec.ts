/**
 * The pieces of src/cli/pipeline.ts that `enrich` relies on for exactness and speed, in process:
 * the raw-line splice and the per-version context cache (cached text = freshly computed text).
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { enrich } from '../../src/operators/enrich.js';
import { contextJsonOf, createEnrichEncoder, spliceKey } from '../../src/cli/pipeline.js';
import { envelopeOf } from '../../src/streams/parseEventLine.js';
import type { TraceeEvent } from '../../src/streams/types.js';
import { loadEnvelopes } from '../support/fixtures.js';

describe('spliceKey', () => {
  const env = (raw: string) => ({ ...envelopeOf({ timestamp: 1, eventName: 'x' } as unknown as TraceeEvent), raw });

  it('adds the key before the final brace, keeping every other character', () => {
    expect(spliceKey(env('{"timestamp":1795582946601880724,"a":[1,2]}'), 'proctree', '{"v":1}')).toBe(
      '{"timestamp":1795582946601880724,"a":[1,2],"proctree":{"v":1}}',
    );
  });

  it('handles trailing blanks and an empty object', () => {
    expect(spliceKey(env('{"a":1}  '), 'k', '2')).toBe('{"a":1,"k":2}  ');
    expect(spliceKey(env('{ }'), 'k', '2')).toBe('{ "k":2}');
  });
});

describe('createEnrichEncoder', () => {
  it.each(['pipeline.ndjson', 'threads.ndjson', 'interp.ndjson'])('%s: every cached line equals the line computed afresh', async (name) => {
    const enriched = await lastValueFrom(from(loadEnvelopes(name)).pipe(enrich({ maxDepth: 5 }), toArray()));
    const encode = createEnrichEncoder();
    const cached = enriched.map(encode);
    const fresh = enriched.map((e) => spliceKey(e, 'proctree', contextJsonOf(e)));
    expect(cached).toEqual(fresh);
    expect(new Set(enriched.map((e) => e.tree.version)).size).toBeGreaterThan(1);
  });

  it('does not reuse a context across tree versions', async () => {
    const envs = loadEnvelopes('pipeline.ndjson');
    const enriched = await lastValueFrom(from(envs).pipe(enrich(), toArray()));
    const encode = createEnrichEncoder();
    const versions = enriched.map((e) => JSON.parse(encode(e)) as { proctree: { version: number } }).map((l) => l.proctree.version);
    expect(versions).toEqual(enriched.map((e) => e.tree.version));
  });
});
