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
import { ArtifactStore } from '../src/tree/artifacts/artifactStore.js';
import { needsArtifacts } from '../src/signatures/types.js';

/** Options of {@link collectFindings}. */
export interface CollectOptions extends Omit<EnrichOptions, 'builder'> {
  /** Opt-out of failing on a signature error (see `FromSignatureOptions.onError`). */
  readonly onError?: FromSignatureOptions['onError'];
  /** Told about malformed events the signatures worked around. */
  readonly onWarning?: FromSignatureOptions['onWarning'];
}

/**
 * Enriches `events` (in the order given) and runs `signatures` over them; returns every finding.
 * A signature that fails makes it throw the `SignatureError` (signature id, event `FILE:LINE`,
 * cause, and the signature's stack), unless `onError` is given.
 * @example
 * ```ts
 * import { execFromTempDir } from 'proctree-rx';
 * import { collectFindings, finding, world } from 'proctree-rx/marbles';
 * const w = world();
 * const sh = w.process({ pid: 100, comm: 'sh' });
 * const { event: forkSh, child } = w.fork(sh, { pid: 101 });
 * const execTmp = w.exec(child, { path: '/tmp/x' });
 * expect(collectFindings([forkSh, execTmp], [execFromTempDir()])).toEqual([finding('PRX-002', { pid: 101 })]);
 * ```
 */
export function collectFindings(events: readonly Envelope[], signatures: readonly AnySignature[], options: CollectOptions = {}): Finding[] {
  // signatures that read artifacts get them
  const builder = new TreeBuilder(options.artifacts === undefined && needsArtifacts(signatures) ? { ...options, artifacts: new ArtifactStore() } : options);
  const out: Finding[] = [];
  let failure: unknown;
  from(events)
    .pipe(enrich({ ...options, builder }), runSignatures(signatures, { dataSource: builder.dataSource(), onError: options.onError, onWarning: options.onWarning }))
    .subscribe({ next: (f) => out.push(f), error: (e: unknown) => (failure = e ?? new Error('stream failed')) });
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(typeof failure === 'string' ? failure : 'the stream failed');
  return out;
}
