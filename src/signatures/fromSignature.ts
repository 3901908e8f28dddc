/**
 * The adapter from a Tracee-style {@link Signature} to an RxJS operator.
 *
 * @module
 */
import * as O from 'fp-ts/lib/Option.js';
import { Observable, type OperatorFunction } from 'rxjs';
import type { EnrichedEnvelope } from '../operators/enrich.js';
import type { ProcessTreeDataSource } from '../tree/dataSource.js';
import { createFinding } from './createFinding.js';
import { seenTreesDataSource } from './seenTreesDataSource.js';
import { toSignatureError, type SignatureError, type SignatureFailure } from './SignatureError.js';
import type { Finding, FindingInput, Signature, SignatureMetadata, SignatureWarning } from './types.js';
import { headOf } from '../streams/types.js';

export type { SignatureFailure } from './SignatureError.js';

/** Options of {@link fromSignature} (and of `runSignature` / `runSignatures`). */
export interface FromSignatureOptions {
  /**
   * The data source `getDataSource('tracee', 'process_tree')` returns — share the builder's:
   * `builder.dataSource()`. Default: one over the trees of the events seen so far (each event
   * carries the tree right after it), answering every query as of the time it asks.
   */
  readonly dataSource?: ProcessTreeDataSource;
  /**
   * Opt-out of failing: told about every error a signature throws, and the stream goes on
   * (Tracee-style: the event is skipped; a failed `init` runs nothing; operator-style: the
   * operator is subscribed again, with fresh state). Default: none — the error reaches the
   * subscriber as a {@link SignatureError} naming the signature, where, the event and the cause.
   */
  readonly onError?: (error: SignatureError, where: SignatureFailure, event: EnrichedEnvelope | undefined) => void;
  /** Told about malformed events the signatures worked around (default: ignored). */
  readonly onWarning?: (warning: SignatureWarning) => void;
}

const idOf = (sig: Signature): string => {
  try {
    return sig.getMetadata().id;
  } catch {
    return '<unknown signature>';
  }
};

/**
 * Runs a Tracee-style signature over enriched events: keeps only the events it selects
 * (`name: '*'` keeps all), calls `init` once per subscription, `onEvent` per event, emits a
 * {@link Finding} each time the callback fires, sends `onSignal({kind:'sourceComplete'})` when
 * the input completes, and calls `close` on complete, error or unsubscribe.
 *
 * Errors are never silent: a throw in `init`, `onEvent`, `onSignal`, `close` or while building
 * a finding errors the stream with a {@link SignatureError} (id, place, event, cause and both
 * stacks) and closes the signature. Pass `onError` to keep going instead (the event is skipped).
 *
 * @example
 * ```ts
 * import { enrich, fromSignature, proctreeDataSource, TreeBuilder } from 'proctree-rx';
 * const builder = new TreeBuilder();
 * events$.pipe(enrich({ builder }), fromSignature(proctreeDataSource(), { dataSource: builder.dataSource() }));
 * ```
 */
export function fromSignature(sig: Signature, options: FromSignatureOptions = {}): OperatorFunction<EnrichedEnvelope, Finding> {
  const { onError, onWarning } = options;
  return (source) =>
    new Observable<Finding>((subscriber) => {
      const id = idOf(sig);
      /** Reports `err`; `true` when the stream was errored (stop). */
      const fail = (where: SignatureFailure, event: EnrichedEnvelope | undefined, err: unknown): boolean => {
        const error = toSignatureError(id, where, event, err);
        if (onError !== undefined) {
          onError(error, where, event);
          return false;
        }
        subscriber.error(error);
        return true;
      };
      let closed = false;
      /** Closes the signature once; `true` when that failed and errored the stream. */
      const close = (): boolean => {
        if (closed) return false;
        closed = true;
        try {
          sig.close();
          return false;
        } catch (err) {
          return fail('close', undefined, err);
        }
      };
      const seen = options.dataSource === undefined ? seenTreesDataSource() : undefined;
      const dataSource = options.dataSource ?? seen!.dataSource;
      let metadata: SignatureMetadata | undefined;
      let all: boolean;
      let names: ReadonlySet<string>;
      try {
        metadata = sig.getMetadata();
        const selected = sig.getSelectedEventsToTrace();
        all = selected.some((s) => s.name === '*');
        names = new Set(selected.map((s) => s.name));
        sig.init({
          callback: (input: FindingInput) => {
            if (subscriber.closed) return;
            let found: Finding;
            try {
              found = createFinding(input.metadata ?? metadata!, input.event, input.data);
            } catch (err) {
              if (fail('callback', input.event, err)) close();
              return;
            }
            subscriber.next(found);
          },
          getDataSource: (namespace, dsId) => (namespace === dataSource.namespace() && dsId === dataSource.id() ? O.some(dataSource) : O.none),
          warn: (event, reason) => onWarning?.({ signatureId: id, event, reason }),
        });
      } catch (err) {
        closed = true; // a signature that did not start is not closed
        if (!fail('init', undefined, err)) subscriber.complete();
        return undefined;
      }
      const subscription = source.subscribe({
        next: (event) => {
          if (subscriber.closed) return; // failed earlier in a synchronous source
          seen?.push(event);
          if (!all && !names.has(headOf(event).eventName)) return;
          try {
            sig.onEvent(event);
          } catch (err) {
            if (fail('onEvent', event, err)) close();
          }
        },
        error: (err: unknown) => {
          if (!close()) subscriber.error(err);
        },
        complete: () => {
          try {
            sig.onSignal?.({ kind: 'sourceComplete', source: 'tracee' });
          } catch (err) {
            if (fail('onSignal', undefined, err)) return void close();
          }
          if (!close()) subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        close();
      };
    });
}
