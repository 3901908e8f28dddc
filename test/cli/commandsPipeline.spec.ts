/**
 * The pieces of src/cli/pipeline.ts that `enrich` relies on for exactness and speed, in process:
 * the raw-line splice and the per-version context cache (cached text = freshly computed text).
 */
import { from, lastValueFrom, map, toArray } from 'rxjs';
import { enrich } from '../../src/operators/enrich.js';
import { spliceKey } from '../../src/cli/pipeline.js';
import { createEnrichEncoder } from '../../src/pipeline/enrichEncoder.js';
import { eventContextJson } from '../../src/operators/eventContextJson.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { envelopeOf } from '../../src/streams/parseEventLine.js';
import { loadEnvelopes } from '../support/fixtures.js';

describe('spliceKey', () => {
  const env = (raw: string) => ({ ...envelopeOf({ timestamp: 1, eventName: 'x' }), raw });

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
  it.each(['pipeline.ndjson', 'threads.ndjson', 'interp.ndjson', 'pipeline.both.ndjson'])(
    '%s: every cached line equals the line computed afresh at the same moment',
    async (name) => {
      const builder = new TreeBuilder({ source: name.includes('both') ? 'both' : 'events' });
      const encode = createEnrichEncoder();
      const pairs = await lastValueFrom(
        from(loadEnvelopes(name)).pipe(
          enrich({ builder, maxDepth: 5 }),
          map((e) => [encode(e).join(''), spliceKey(e, 'proctree', eventContextJson(e.context))] as const),
          toArray(),
        ),
      );
      for (const [cached, fresh] of pairs) expect(cached).toBe(fresh);
      expect(new Set(pairs.map(([c]) => (JSON.parse(c) as { proctree: { version: number } }).proctree.version)).size).toBeGreaterThan(1);
    },
  );

  it('stamps each line with the tree version it was read from', async () => {
    const builder = new TreeBuilder();
    const encode = createEnrichEncoder();
    const rows = await lastValueFrom(
      from(loadEnvelopes('pipeline.ndjson')).pipe(
        enrich({ builder }),
        map((e) => [(JSON.parse(encode(e).join('')) as { proctree: { version: number } }).proctree.version, e.tree.version]),
        toArray(),
      ),
    );
    for (const [written, actual] of rows) expect(written).toBe(actual);
  });
});
