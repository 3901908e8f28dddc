/**
 * Runs signatures over a list of events synchronously and returns the findings (for tests that
 * need no diagram).
 *
 * @module
 */
import { from } from 'rxjs';
import { enrich, type EnrichOptions } from '../src/operators/enrich.js';
import type { FromSignatureOptions } from '../src/signatures/fromSignature.js';
import { runSignatures } from '../src/signatures/runSignatures.js';
import type { AnySignature, Finding } from '../src/signatures/types.js';
import type { Envelope } from '../src/streams/types.js';
import { TreeBuilder } from '../src/tree/treeBuilder.js';

/** Options of {@link collectFindings}. */
export interface CollectOptions extends Omit<EnrichOptions, 'builder'> {
  /** Passed to the Tracee-style adapter. */
  readonly onError?: FromSignatureOptions['onError'];
}

/**
 * Enriches `events` (in the order given) and runs `signatures` over them; returns every finding.
 * @example
 * ```ts
 * import { collectFindings, finding } from 'proctree-rx/marbles';
 * expect(collectFindings([forkSh, execSh], [shellUnderServer()])).toEqual([finding('PRX-002', { pid: 101 })]);
 * ```
 */
export function collectFindings(events: readonly Envelope[], signatures: readonly AnySignature[], options: CollectOptions = {}): Finding[] {
  const builder = new TreeBuilder(options);
  const out: Finding[] = [];
  let failure: unknown;
  from(events)
    .pipe(enrich({ ...options, builder }), runSignatures(signatures, { dataSource: builder.dataSource(), onError: options.onError }))
    .subscribe({ next: (f) => out.push(f), error: (e: unknown) => (failure = e ?? new Error('stream failed')) });
  if (failure !== undefined) throw failure;
  return out;
}
