/**
 * The built-ins over every capture in the repository (test/fixtures/tracee and examples/data):
 * ordinary activity, so the default set must find exactly what is listed in INTENDED (nothing,
 * today), with no signature error and no warning; and the opt-in self-check finds every exec
 * consistent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { collectFindings, summarizeFinding, type FindingSummary } from '../../../marbles/index.js';
import { builtinSignatures, DEFAULT_SIGNATURE_IDS } from '../../../src/signatures/builtin/builtinSignatures.js';
import { proctreeDataSource } from '../../../src/signatures/builtin/proctreeDataSource.js';
import { parseEventLine } from '../../../src/streams/parseEventLine.js';
import type { Envelope } from '../../../src/streams/types.js';
import type { TreeSource } from '../../../src/tree/feedFromEvents.js';
import { FIXTURES } from '../../support/fixtures.js';

const EXAMPLE_DATA = join(__dirname, '..', '..', '..', 'examples', 'data');

/** Findings the default set is meant to report per capture (file name → summaries). None of the captures holds an attack. */
const INTENDED: Readonly<Record<string, readonly Partial<FindingSummary>[]>> = {};

/** The tree source that reads a capture: signal lines alone, both interleaved, or events. */
const sourceOf = (file: string): TreeSource => (file.endsWith('.signals.ndjson') ? 'signals' : file.endsWith('.both.ndjson') ? 'both' : 'events');

/** Every capture: each `.ndjson` in the captures folders (the demo's queries live outside them, in examples/queries.ndjson). */
const CAPTURES: readonly string[] = [FIXTURES, EXAMPLE_DATA].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .map((f) => join(dir, f)),
);

function load(path: string): Envelope[] {
  const rank = sourceOf(path) === 'signals' ? 1 : 0;
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      if (line.trim() === '') return [];
      const r = parseEventLine(line, { source: path, line: i + 1 }, { rank });
      if (E.isLeft(r)) throw new Error(`${path}:${i + 1}: ${r.left}`);
      return [r.right];
    });
}

const label = (path: string): string => path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1) + 1);

describe('built-in signatures over every capture', () => {
  it('covers the fixtures and the examples data (9 captures)', () => {
    expect(CAPTURES.map(label).sort()).toEqual([
      'data/interp.ndjson',
      'data/pipeline.ndjson',
      'data/pipeline.signals.ndjson',
      'data/threads.ndjson',
      'tracee/interp.ndjson',
      'tracee/pipeline.both.ndjson',
      'tracee/pipeline.ndjson',
      'tracee/pipeline.signals.ndjson',
      'tracee/threads.ndjson',
    ]);
  });

  it.each(CAPTURES.map((p) => [label(p), p] as const))('%s: the default set finds only the intended findings, quietly', (_name, path) => {
    const errors: unknown[] = [];
    const warnings: unknown[] = [];
    const sigs = DEFAULT_SIGNATURE_IDS.map((id) => builtinSignatures[id]!());
    const findings = collectFindings(load(path), sigs, { source: sourceOf(path), onError: (e) => errors.push(e), onWarning: (w) => warnings.push(w.reason) });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    const intended = INTENDED[label(path)] ?? [];
    expect(findings.map(summarizeFinding)).toEqual(intended.map((f) => expect.objectContaining(f)));
  });

  it.each(CAPTURES.map((p) => [label(p), p] as const))('%s: the opt-in self-check reports no inconsistency and agrees with every exec', (_name, path) => {
    const envelopes = load(path);
    const source = sourceOf(path);
    expect(collectFindings(envelopes, [proctreeDataSource()], { source })).toEqual([]);
    const all = collectFindings(envelopes, [proctreeDataSource({ reportConsistent: true })], { source });
    expect(all.every((f) => f.Data['consistent'] === true)).toBe(true);
    // it checks exec events (signal lines carry no task context to check)
    expect(all).toHaveLength(envelopes.filter((e) => e.event.eventName === 'sched_process_exec').length);
  });
});
