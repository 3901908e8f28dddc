/**
 * Restore-and-replay of one host, without NATS: a {@link HostEnricher} checkpointed after k lines,
 * restored from the checkpoint's bytes and fed the rest prints, byte for byte, what an
 * uninterrupted one prints — for every k, on random streams with pid reuse, tiny caches
 * (evictions), late events, execs, threads and source=both duplicates, and on the synthetic
 * fleet stream; also through a chain of restores (a host handed over again and again).
 *
 * This is the fleet's recovery in miniature: a worker taking a host over restores its checkpoint
 * and applies the messages after the checkpoint's position. Whatever the checkpoint does not carry
 * and the output depends on shows up here as a differing line.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import type { BuilderSettings } from '../../src/checkpoint/checkpointFormat.js';
import { decodeCheckpoint } from '../../src/checkpoint/decodeCheckpoint.js';
import { HostEnricher, type HostEnricherOptions } from '../../src/fleet/hostEnricher.js';
import type { TreeSource } from '../../src/tree/feedFromEvents.js';
import { stepArb as stepArbOf, streamOf, type Step } from '../support/randomStreams.js';
import { ROOT } from '../support/builtCli.js';

type Sizing = Pick<HostEnricherOptions, 'history' | 'encoderCacheBytes'>;

const enricherOf = (settings: BuilderSettings, sizing: Sizing, checkpoint?: Uint8Array): HostEnricher =>
  new HostEnricher({ host: 'h', source: 'test', settings, signatures: [], ...sizing, checkpoint: checkpoint === undefined ? undefined : decodeCheckpoint(checkpoint) });

/** What one line gives: the enriched line, or the problem. */
const outputOf = (h: HostEnricher, line: string, seq: number): string => {
  const out = h.applyLine(line, seq);
  return out.enriched ?? `problem: ${out.problem ?? '?'}`;
};

/** Lines that differ between the uninterrupted run and one restored after `cut` lines: `[]` when none. */
function differences(lines: readonly string[], settings: BuilderSettings, sizing: Sizing, cuts: readonly number[]): string[] {
  const straight = enricherOf(settings, sizing);
  const want = lines.map((l, i) => outputOf(straight, l, i + 1));
  const out: string[] = [];
  for (const cut of cuts) {
    const before = enricherOf(settings, sizing);
    lines.slice(0, cut).forEach((l, i) => outputOf(before, l, i + 1));
    const restored = enricherOf(settings, sizing, before.checkpoint());
    expect(restored.streamSeq).toBe(cut);
    expect(restored.events).toBe(before.events);
    for (let i = cut; i < lines.length; i++) {
      const got = outputOf(restored, lines[i]!, i + 1);
      if (got !== want[i]) out.push(`cut ${cut}, line ${i + 1}:\n  want ${want[i]!.slice(0, 2000)}\n  got  ${got.slice(0, 2000)}`);
    }
  }
  return out;
}

/** Lines that differ when the host is restored from a fresh checkpoint every `every` lines. */
function chainDifferences(lines: readonly string[], settings: BuilderSettings, sizing: Sizing, every: number): string[] {
  const straight = enricherOf(settings, sizing);
  let host = enricherOf(settings, sizing);
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (i > 0 && i % every === 0) host = enricherOf(settings, sizing, host.checkpoint());
    const want = outputOf(straight, line, i + 1);
    const got = outputOf(host, line, i + 1);
    if (got !== want) out.push(`line ${i + 1}:\n  want ${want}\n  got  ${got}`);
  });
  return out;
}

/** Step kinds of these runs: the shared ones with syscalls weighted twice. */
const stepArb = stepArbOf(['fork', 'fork', 'thread', 'exec', 'exit', 'groupExit', 'syscall', 'syscall', 'late', 'reuse']);

/** The raw lines of a random run of one host. */
const linesOf = (steps: readonly Step[]): string[] => streamOf(steps, { hostName: 'h' }).map((e) => e.raw!);

const cutsOf = (n: number, step: number): number[] => Array.from({ length: Math.floor(n / step) + 1 }, (_, i) => i * step);
const runs = { numRuns: 150, ...(process.env['FC_SEED'] === undefined ? {} : { seed: Number(process.env['FC_SEED']) }) };

describe('a host restored from its checkpoint continues byte-identically', () => {
  it('random streams (pid reuse, threads, execs, late lines, tiny caches, source=both twins, small history and encoder cache): every cut (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 70 }),
        fc.constantFrom(1, 2, 3, 8, 16384),
        fc.constantFrom<TreeSource>('events', 'both'),
        fc.constantFrom<Sizing>({}, { history: 2, encoderCacheBytes: 600 }, { history: 1, encoderCacheBytes: 0 }),
        (steps, cache, source, sizing) => {
          const lines = linesOf(steps);
          expect(differences(lines, { source, processCacheSize: cache, threadCacheSize: cache }, sizing, cutsOf(lines.length, 1))).toEqual([]);
        },
      ),
      runs,
    );
  });

  it('random streams through a chain of restores (a host handed over every few lines) (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 90 }), fc.constantFrom(1, 3, 16384), fc.constantFrom<TreeSource>('events', 'both'), fc.integer({ min: 1, max: 9 }), (steps, cache, source, every) => {
        expect(chainDifferences(linesOf(steps), { source, processCacheSize: cache, threadCacheSize: cache }, { history: 4 }, every)).toEqual([]);
      }),
      runs,
    );
  });

  describe('the synthetic fleet stream (bench/lib/synth.mjs: pid wrap-around, threads, group exits)', () => {
    let lines: string[];
    beforeAll(() => {
      const script = `import { synthLines } from ${JSON.stringify(join(ROOT, 'bench', 'lib', 'synth.mjs'))}; process.stdout.write([...synthLines({ lines: 3000, seed: 3 })].join('\\n'));`;
      const gen = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 28 });
      if (gen.status !== 0) throw new Error(gen.stderr);
      lines = gen.stdout.split('\n');
    });

    it.each([
      ['the fleet defaults', 16384, {}],
      ['tiny caches (evictions of live tasks)', 8, {}],
      ['small caches, 2 versions, a 4 KiB encoder cache', 64, { history: 2, encoderCacheBytes: 4096 }],
    ] as const)('%s: every 61st cut, and a chain of restores every 250 lines', (_, cache, sizing) => {
      const settings: BuilderSettings = { source: 'events', processCacheSize: cache, threadCacheSize: cache * 2 };
      expect(differences(lines, settings, sizing, cutsOf(lines.length, 61))).toEqual([]);
      expect(chainDifferences(lines, settings, sizing, 250)).toEqual([]);
    });
  });
});
