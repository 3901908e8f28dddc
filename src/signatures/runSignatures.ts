/**
 * Runs many signatures of either kind over one stream of enriched events.
 *
 * @module
 */
import { connect, merge, type OperatorFunction } from 'rxjs';
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { fromSignature, type FromSignatureOptions } from './fromSignature.js';
import { isSignatureOperator, type AnySignature, type Finding } from './types.js';

/**
 * Feeds every enriched event to each signature (one shared subscription upstream) and merges
 * their findings in the order they are found. Tracee-style signatures go through
 * {@link fromSignature}; operator-style ones get `{ dataSource }`.
 *
 * @example
 * ```ts
 * import { builtinSignatures, enrich, runSignatures, TreeBuilder } from 'proctree-rx';
 * const builder = new TreeBuilder();
 * const sigs = Object.values(builtinSignatures).map((make) => make());
 * events$.pipe(enrich({ builder }), runSignatures(sigs, { dataSource: builder.dataSource() }));
 * ```
 */
export function runSignatures(signatures: readonly AnySignature[], options: FromSignatureOptions = {}): OperatorFunction<EnrichedEnvelope, Finding> {
  return (source) =>
    source.pipe(
      connect((shared) =>
        merge(
          ...signatures.map((sig) =>
            shared.pipe(isSignatureOperator(sig) ? sig.operator({ dataSource: options.dataSource }) : fromSignature(sig, options)),
          ),
        ),
      ),
    );
}
