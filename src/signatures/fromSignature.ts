/**
 * The adapter from a Tracee-style {@link Signature} to an RxJS operator.
 *
 * @module
 */
import * as O from 'fp-ts/lib/Option.js';
import { Observable, type OperatorFunction } from 'rxjs';
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { ProcessTreeDataSource, type TreeAsOf } from '../tree/dataSource.js';
import type { ProcessTree } from '../tree/model.js';
import { createFinding } from './createFinding.js';
import type { Finding, FindingInput, Signature } from './types.js';

/** Where a signature failed. */
export type SignatureFailure = 'onEvent' | 'onSignal' | 'close' | 'callback';

/** Options of {@link fromSignature}. */
export interface FromSignatureOptions {
  /**
   * The data source `getDataSource('tracee', 'process_tree')` returns — share the builder's:
   * `builder.dataSource()`. Default: a data source over the tree of the latest event seen.
   */
  readonly dataSource?: ProcessTreeDataSource;
  /** Told about every error a signature throws (the stream goes on). Default: ignore. */
  readonly onError?: (error: unknown, where: SignatureFailure, event: EnrichedEnvelope | undefined) => void;
}

/** The data source a signature sees when none is given: the tree of the newest event. */
class LatestTree implements TreeAsOf {
  tree: ProcessTree | undefined;
  at(): ProcessTree | undefined {
    return this.tree;
  }
}

/**
 * Runs a Tracee-style signature over enriched events: keeps only the events it selects
 * (`name: '*'` keeps all), calls `init` once per subscription, `onEvent` per event, emits a
 * {@link Finding} each time the callback fires, sends `onSignal({kind:'sourceComplete'})` when
 * the input completes, and calls `close` on complete, error or unsubscribe.
 *
 * A throwing `onEvent` never kills the stream: the event is skipped and `onError` is told.
 * A throwing `init` errors the stream (the signature cannot run).
 *
 * @example
 * ```ts
 * import { enrich, fromSignature, TreeBuilder } from 'proctree-rx';
 * const builder = new TreeBuilder();
 * events$.pipe(enrich({ builder }), fromSignature(new ProcTreeDataSourceSignature(), { dataSource: builder.dataSource() }));
 * ```
 */
export function fromSignature(sig: Signature, options: FromSignatureOptions = {}): OperatorFunction<EnrichedEnvelope, Finding> {
  const onError = options.onError ?? (() => undefined);
  return (source) =>
    new Observable<Finding>((subscriber) => {
      const metadata = sig.getMetadata();
      const selected = sig.getSelectedEventsToTrace();
      const all = selected.some((s) => s.name === '*');
      const names = new Set(selected.map((s) => s.name));
      const latest = new LatestTree();
      const dataSource = options.dataSource ?? new ProcessTreeDataSource(latest);
      let closed = false;
      const close = (): void => {
        if (closed) return;
        closed = true;
        try {
          sig.close();
        } catch (err) {
          onError(err, 'close', undefined);
        }
      };
      sig.init({
        callback: (input: FindingInput) => {
          if (subscriber.closed) return;
          try {
            subscriber.next(createFinding(input.metadata ?? metadata, input.event, input.data));
          } catch (err) {
            onError(err, 'callback', input.event);
          }
        },
        getDataSource: (namespace, id) =>
          namespace === dataSource.namespace() && id === dataSource.id() ? O.some(dataSource) : O.none,
      });
      const subscription = source.subscribe({
        next: (event) => {
          latest.tree = event.tree;
          if (!all && !names.has(event.event.eventName)) return;
          try {
            sig.onEvent(event);
          } catch (err) {
            onError(err, 'onEvent', event);
          }
        },
        error: (err) => {
          close();
          subscriber.error(err);
        },
        complete: () => {
          try {
            sig.onSignal?.({ kind: 'sourceComplete', source: 'tracee' });
          } catch (err) {
            onError(err, 'onSignal', undefined);
          }
          close();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        close();
      };
    });
}
