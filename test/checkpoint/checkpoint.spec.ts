/**
 * Checkpoints: a tree restored from one answers every query exactly as the original at the
 * checkpointed time, and continuing the replay after it gives byte-identical `enrich` lines
 * (versions included) to an uninterrupted run — on random streams with tiny caches (evictions,
 * pid reuse, late events, source=both duplicates) and on the captured fixtures.
 */
import fc from 'fast-check';
import * as O from 'fp-ts/lib/Option.js';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createEnrichEncoder } from '../../src/pipeline/enrichEncoder.js';
import { CheckpointError, type BuilderSettings } from '../../src/checkpoint/checkpointFormat.js';
import { decodeCheckpoint } from '../../src/checkpoint/decodeCheckpoint.js';
import { encodeCheckpoint } from '../../src/checkpoint/encodeCheckpoint.js';
import { resumeBuilder } from '../../src/checkpoint/resumeBuilder.js';
import { enrich } from '../../src/operators/enrich.js';
import { compareEnvelopes } from '../../src/operators/compareEnvelopes.js';
import type { Envelope } from '../../src/streams/types.js';
import type { TreeSource } from '../../src/tree/feedFromEvents.js';
import type { ProcessTree } from '../../src/tree/model.js';
import { entityIdOfPid, lineageAt, processAt, threadAt } from '../../src/tree/queries.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { Subject } from 'rxjs';
import { FIXTURE_STREAMS, loadStream } from '../support/fixtures.js';
import { stepArb, streamOf } from '../support/randomStreams.js';

/** Feeds envelopes one at a time through `enrich` + the CLI's encoder; returns a push function giving each line. */
function enricher(builder: TreeBuilder): (env: Envelope) => string {
  const encode = createEnrichEncoder(undefined, 5);
  const input = new Subject<Envelope>();
  let last = '';
  input.pipe(enrich({ builder, maxDepth: 5 })).subscribe((e) => {
    last = encode(e).join('');
  });
  return (env) => {
    input.next(env);
    return last;
  };
}

/** Every answer a tree gives at `t`: ProcKey and thread of each entity, lineage, pid lookups. */
function answers(tree: ProcessTree, t: bigint): unknown {
  const out: unknown[] = [tree.version, tree.time, tree.counters, tree.processes.size, tree.threads.size];
  for (const id of tree.processes.keys()) out.push(['p', id, O.toUndefined(processAt(tree, id, t)), O.toUndefined(lineageAt(tree, id, t, 64)), O.toUndefined(lineageAt(tree, id, t, 64, { follow: 'current' }))]);
  for (const id of tree.threads.keys()) out.push(['t', id, O.toUndefined(threadAt(tree, id, t))]);
  tree.pids.forEach((ids, pid) => out.push(['i', pid, [...ids], O.toUndefined(entityIdOfPid(tree, pid, t))]));
  return out;
}

/** Runs `envs` straight through, and again with a checkpoint after `cut` events; checks both agree. */
function checkCut(envs: readonly Envelope[], cut: number, settings: BuilderSettings): void {
  const original = new TreeBuilder({ ...settings, history: { maxVersions: 64 } });
  const pushA = enricher(original);
  const linesA = envs.map((e, i) => ({ i, line: pushA(e) })).filter(({ i }) => i >= cut).map(({ line }) => line);

  const before = new TreeBuilder({ ...settings, history: { maxVersions: 64 } });
  const pushB = enricher(before);
  envs.slice(0, cut).forEach((e) => pushB(e));
  const t = before.tree.time;
  const bytes = encodeCheckpoint({ builder: before, settings, retention: { maxVersions: 64 }, position: { events: cut } });
  const resumed = resumeBuilder(decodeCheckpoint(bytes));
  expect(answers(resumed.tree, t)).toEqual(answers(before.tree, t));
  expect(resumed.recency()).toEqual(before.recency());
  expect(resumed.stats).toEqual(before.stats);

  const pushC = enricher(resumed);
  const linesC = envs.slice(cut).map((e) => pushC(e));
  expect(linesC).toEqual(linesA);
  expect(resumed.stats).toEqual(original.stats);
  expect(resumed.recency()).toEqual(original.recency());
}

const steps = stepArb();

describe('checkpoint: restore and continue', () => {
  it('random streams, tiny caches: the restored tree answers as the original, the continued replay is byte-identical (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(steps, { minLength: 1, maxLength: 80 }), fc.constantFrom(1, 2, 3, 1000), fc.boolean(), fc.nat(), (steps, cache, both, cutPick) => {
        const envs = streamOf(steps);
        const source: TreeSource = both ? 'both' : 'events';
        checkCut(envs, cutPick % (envs.length + 1), { source, processCacheSize: cache, threadCacheSize: cache });
      }),
      { numRuns: 200, ...(process.env['FC_SEED'] === undefined ? {} : { seed: Number(process.env['FC_SEED']) }) },
    );
  });

  it.each(FIXTURE_STREAMS)('%s (source=%s): every cut of the captured stream (every 7th event) continues byte-identically', (file, source) => {
    const envs = loadStream(file, source).sort(compareEnvelopes);
    for (let cut = 0; cut <= envs.length; cut += 7) checkCut(envs, cut, { source, processCacheSize: 16384, threadCacheSize: 32768 });
    checkCut(envs, envs.length, { source, processCacheSize: 8, threadCacheSize: 8 });
  });

  it('keeps the stream position and the builder settings', () => {
    const envs = loadStream('pipeline.ndjson', 'events').sort(compareEnvelopes);
    const builder = new TreeBuilder({ source: 'events' });
    envs.forEach((e) => builder.applyEnvelope(e));
    const last = envs[envs.length - 1]!;
    const settings: BuilderSettings = { source: 'events', processCacheSize: 5000, threadCacheSize: 6000 };
    const position = { events: envs.length, last: { timestamp: last.timestamp, rank: last.rank, seq: last.seq }, streamSeq: 4242, findings: 3 };
    const cp = decodeCheckpoint(encodeCheckpoint({ builder, settings, retention: { maxVersions: Number.POSITIVE_INFINITY, maxSpanNs: 10n ** 19n }, position }));
    expect(cp.position).toEqual(position);
    expect(cp.settings).toEqual(settings);
    expect(cp.tree.retention).toEqual({ maxVersions: Number.POSITIVE_INFINITY, maxSpanNs: 10n ** 19n });
    expect(cp.tree.time).toBe(builder.tree.time);
  });
});

describe('checkpoint: what is not a checkpoint', () => {
  const good = (): string => {
    const builder = new TreeBuilder({ source: 'events' });
    loadStream('threads.ndjson', 'events').forEach((e) => builder.applyEnvelope(e));
    return gunzipSync(encodeCheckpoint({ builder, settings: { source: 'events', processCacheSize: 16384, threadCacheSize: 32768 }, position: { events: 1 } })).toString('utf8');
  };
  const errorOf = (text: string | Buffer): CheckpointError => {
    try {
      decodeCheckpoint(typeof text === 'string' ? Buffer.from(text) : text);
    } catch (err) {
      if (err instanceof CheckpointError) return err;
      throw err;
    }
    throw new Error('decoded');
  };

  it('reads the plain NDJSON as well as the gzip one', () => {
    const text = good();
    expect(decodeCheckpoint(Buffer.from(text))).toEqual(decodeCheckpoint(gzipSync(text)));
  });

  it('a cut file names its last line', () => {
    const lines = good().split('\n');
    const cut = lines.slice(0, 5).join('\n');
    expect(errorOf(cut).message).toBe('checkpoint line 5: cut short (no end line)');
  });

  it('another format number is refused on line 1', () => {
    const lines = good().split('\n');
    lines[0] = lines[0]!.replace('"format":1', '"format":2');
    expect(errorOf(lines.join('\n')).message).toBe('checkpoint line 1: format 2 is not supported (this version reads format 1)');
  });

  it('a damaged entity line is named with its number and field', () => {
    const lines = good().split('\n');
    lines[2] = lines[2]!.replace(/^\["p",\d+/, '["p","x"');
    expect(errorOf(lines.join('\n')).message).toBe('checkpoint line 3: id: expected an integer');
    lines[2] = '{not json';
    expect(errorOf(lines.join('\n')).message).toMatch(/^checkpoint line 3: invalid JSON/);
  });

  it('bytes that are neither gzip nor NDJSON, and an empty file, are errors', () => {
    expect(errorOf(Buffer.from([0x1f, 0x8b, 1, 2, 3])).message).toMatch(/^checkpoint: cannot decompress/);
    expect(errorOf('').message).toBe('checkpoint: empty');
  });
});
