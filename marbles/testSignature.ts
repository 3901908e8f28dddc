/**
 * The common signature test in one call: events in a diagram, findings expected in a diagram.
 *
 * @module
 */
import { enrich, type EnrichOptions } from '../src/operators/enrich.js';
import type { FromSignatureOptions } from '../src/signatures/fromSignature.js';
import { runSignatures } from '../src/signatures/runSignatures.js';
import type { AnySignature } from '../src/signatures/types.js';
import type { Envelope } from '../src/streams/types.js';
import { TreeBuilder } from '../src/tree/treeBuilder.js';
import { ArtifactStore } from '../src/tree/artifacts/artifactStore.js';
import { needsArtifacts } from '../src/signatures/types.js';
import { marbleTest } from './marbleScheduler.js';

/** A marble diagram and the values its letters stand for. */
export interface Diagram<T> {
  /** E.g. `'-a-b-|'`: one character per frame of virtual time. */
  readonly marbles: string;
  readonly values?: Readonly<Record<string, T>>;
}

/** Options of {@link testSignature}: the tree's (`source`, cache sizes…), and warnings. */
export interface TestSignatureOptions extends Omit<EnrichOptions, 'builder'> {
  /** Told about malformed events the signatures worked around. */
  readonly onWarning?: FromSignatureOptions['onWarning'];
}

/**
 * Feeds the `events` diagram through `enrich` and the signature(s) (one shared tree, its data
 * source given to them) and asserts the findings diagram: `expected` values are matchers such as
 * `finding('PRX-002', { pid: 101 })`, compared as finding summaries; a string is a diagram
 * without values (`'-----|'`: must not fire). A signature error fails the test with the
 * `SignatureError` (id, event `FILE:LINE`, cause and stack) unless the diagram expects an error.
 *
 * @example
 * ```ts
 * import { execFromTempDir } from 'proctree-rx';
 * import { finding, testSignature, world } from 'proctree-rx/marbles';
 * const w = world();
 * const sh = w.process({ pid: 100, comm: 'sh' });
 * const { event: forked, child } = w.fork(sh, { pid: 101 });
 * const ran = w.exec(child, { path: '/tmp/x' });
 * testSignature(execFromTempDir(), { marbles: '-a-b-|', values: { a: forked, b: ran } }, { marbles: '---x-|', values: { x: finding('PRX-002', { pid: 101 }) } });
 * testSignature(execFromTempDir(), { marbles: '-a-|', values: { a: forked } }, '---|');
 * ```
 */
export function testSignature(
  signature: AnySignature | readonly AnySignature[],
  events: Diagram<Envelope>,
  expected: Diagram<unknown> | string,
  options: TestSignatureOptions = {},
): void {
  const signatures: readonly AnySignature[] = Array.isArray(signature) ? signature : [signature as AnySignature];
  const want: Diagram<unknown> = typeof expected === 'string' ? { marbles: expected } : expected;
  const { onWarning, ...enrichOptions } = options;
  marbleTest(({ cold, expectFindings }) => {
    // signatures that read artifacts get them (a fresh store per run)
    const builder = new TreeBuilder(enrichOptions.artifacts === undefined && needsArtifacts(signatures) ? { ...enrichOptions, artifacts: new ArtifactStore() } : enrichOptions);
    const findings$ = cold<Envelope>(events.marbles, events.values).pipe(
      enrich({ ...enrichOptions, builder }),
      runSignatures(signatures, { dataSource: builder.dataSource(), ...(onWarning !== undefined ? { onWarning } : {}) }),
    );
    expectFindings(findings$).toBe(want.marbles, want.values);
  });
}
