/**
 * One signature of either kind as an operator, with the same error behaviour for both.
 *
 * @module
 */
import { catchError, connect, defer, EMPTY, tap, throwError, type Observable, type OperatorFunction } from 'rxjs';
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { fromSignature, type FromSignatureOptions } from './fromSignature.js';
import { seenTreesDataSource } from './seenTreesDataSource.js';
import { toSignatureError } from './SignatureError.js';
import { isSignatureOperator, type AnySignature, type Finding, type SignatureEnv, type SignatureOperator } from './types.js';

/**
 * Runs an operator-style signature over `shared` (a hot stream: each attempt sees the events
 * that follow it). An error becomes a `SignatureError` naming the last event the operator
 * received; with `onError` it is reported and the operator subscribed again, fresh, unless it
 * failed before receiving any event (then it stops: resubscribing would fail the same way).
 */
function guardOperator(sig: SignatureOperator, env: SignatureEnv, options: FromSignatureOptions, shared: Observable<EnrichedEnvelope>): Observable<Finding> {
  const id = sig.metadata.id;
  const attempt = (): Observable<Finding> => {
    let last: EnrichedEnvelope | undefined;
    return defer(() =>
      shared.pipe(
        tap((e) => {
          last = e;
        }),
        sig.operator(env),
      ),
    ).pipe(
      catchError((err: unknown) => {
        const error = toSignatureError(id, 'operator', last, err);
        if (options.onError === undefined) return throwError(() => error);
        options.onError(error, 'operator', last);
        return last === undefined ? EMPTY : attempt();
      }),
    );
  };
  return attempt();
}

/**
 * Runs one signature of either kind: a Tracee-style {@link Signature} through `fromSignature`,
 * a {@link SignatureOperator} with `{ dataSource, warn }`. Both fail the same way: the stream
 * errors with a `SignatureError` (signature id, event, cause, stacks) unless `onError` is given,
 * in which case the error is reported and the run goes on (see `FromSignatureOptions.onError`).
 * Without `dataSource`, both get one over the trees of the events seen (as of the time asked).
 *
 * @example
 * ```ts
 * import { enrich, runSignature, shellUnderServer, TreeBuilder } from 'proctree-rx';
 * const builder = new TreeBuilder();
 * const findings$ = events$.pipe(enrich({ builder }), runSignature(shellUnderServer(), { dataSource: builder.dataSource() }));
 * ```
 */
export function runSignature(sig: AnySignature, options: FromSignatureOptions = {}): OperatorFunction<EnrichedEnvelope, Finding> {
  if (!isSignatureOperator(sig)) return fromSignature(sig, options);
  return (source) =>
    defer(() => {
      const seen = options.dataSource === undefined ? seenTreesDataSource() : undefined;
      const env: SignatureEnv = {
        dataSource: options.dataSource ?? seen!.dataSource,
        warn: (event, reason) => options.onWarning?.({ signatureId: sig.metadata.id, event, reason }),
      };
      const input$ = seen === undefined ? source : source.pipe(tap((e) => seen.push(e)));
      return input$.pipe(connect((shared) => guardOperator(sig, env, options, shared)));
    });
}
