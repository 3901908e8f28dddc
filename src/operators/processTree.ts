/**
 * The `processTree` operator: events in, tree versions out.
 *
 * @module
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Envelope } from '../streams/types.js';
import type { ProcessTree } from '../tree/model.js';
import { TreeBuilder, type TreeBuilderOptions } from '../tree/treeBuilder.js';

/** Options of {@link processTree}. */
export interface ProcessTreeOptions extends TreeBuilderOptions {
  /** Use this builder (to share its history and data source); else one is created per subscription. */
  readonly builder?: TreeBuilder;
}

/**
 * A scan of the events over the pure reducers: emits each new tree version, once — an event
 * that changes nothing (a duplicate, an event with no lifecycle meaning) emits nothing, so the
 * output is distinct by reference.
 *
 * @example
 * ```ts
 * import { processTree } from 'proctree-rx';
 * events$.pipe(processTree({ source: 'both' })).subscribe((tree) => console.log(tree.version, tree.processes.size));
 * ```
 */
export function processTree(options: ProcessTreeOptions = {}): OperatorFunction<Envelope, ProcessTree> {
  return (source) =>
    new Observable<ProcessTree>((subscriber) => {
      const builder = options.builder ?? new TreeBuilder(options);
      let last = builder.tree;
      return source.subscribe({
        next: (env) => {
          let tree: ProcessTree;
          try {
            tree = builder.applyEnvelope(env);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          if (tree !== last) {
            last = tree;
            subscriber.next(tree);
          }
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
