/**
 * Runs many signatures of either kind over one stream of enriched events.
 *
 * @module
 */
import { connect, defer, merge, tap, type OperatorFunction } from 'rxjs';
import type { EnrichedEnvelope } from '../operators/enrich.js';
import type { FromSignatureOptions } from './fromSignature.js';
import { runSignature } from './runSignature.js';
import { seenTreesDataSource } from './seenTreesDataSource.js';
import type { AnySignature, Finding } from './types.js';

/**
 * Feeds every enriched event to each signature (one shared subscription upstream) and merges
 * their findings in the order they are found. Each signature runs as `runSignature` runs it:
 * Tracee-style through `fromSignature`, operator-style with `{ dataSource, warn }`; a failing
 * signature errors the stream with a `SignatureError` unless `onError` is given (then it is
 * reported and the others, and it, go on). Without `dataSource`, all share one over the trees
 * of the events seen (as of the time asked).
 *
 * @example
 * ```ts
 * import { builtinSignatures, DEFAULT_SIGNATURE_IDS, enrich, runSignatures, TreeBuilder } from 'proctree-rx';
 * const builder = new TreeBuilder();
 * const sigs = DEFAULT_SIGNATURE_IDS.map((id) => builtinSignatures[id]!());
 * events$.pipe(enrich({ builder }), runSignatures(sigs, { dataSource: builder.dataSource() }));
 * ```
 */
export function runSignatures(signatures: readonly AnySignature[], options: FromSignatureOptions = {}): OperatorFunction<EnrichedEnvelope, Finding> {
  return (source) =>
    defer(() => {
      const seen = options.dataSource === undefined ? seenTreesDataSource() : undefined;
      const shared = { ...options, dataSource: options.dataSource ?? seen!.dataSource };
      const input$ = seen === undefined ? source : source.pipe(tap((e) => seen.push(e)));
      return input$.pipe(connect((events$) => merge(...signatures.map((sig) => events$.pipe(runSignature(sig, shared))))));
    });
}
