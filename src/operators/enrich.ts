/**
 * The `enrich` operator: every event out with its process, thread and ancestors attached, as of
 * its own timestamp.
 *
 * @module
 */
import * as O from 'fp-ts/lib/Option.js';
import { Observable, type OperatorFunction } from 'rxjs';
import type { Envelope } from '../streams/types.js';
import type { ProcessTree } from '../tree/model.js';
import { lineageAt, processAt, threadAt, type LineageFollow, type ProcessInfo, type ThreadInfo } from '../tree/queries.js';
import { TreeBuilder, type TreeBuilderOptions } from '../tree/treeBuilder.js';

/** Options of {@link enrich}. */
export interface EnrichOptions extends TreeBuilderOptions {
  /** Use this builder (to share the tree with queries and signatures); else one is created. */
  readonly builder?: TreeBuilder;
  /** Ancestors to attach (default 5, as Tracee's detectors). */
  readonly maxDepth?: number;
  /** Which parents the ancestors follow (default `spawn`). */
  readonly follow?: LineageFollow;
}

/** What proctree-rx knows about an event's task, as of the event's timestamp. */
export interface EventContext {
  /** Version of the tree the answers come from. */
  readonly version: number;
  /** The event's process (`processEntityId`), when known. */
  readonly process: ProcessInfo | undefined;
  /** The event's thread (`threadEntityId`), when known. */
  readonly thread: ThreadInfo | undefined;
  /** Parents of the process, nearest first, up to `maxDepth`. */
  readonly ancestors: readonly ProcessInfo[];
}

/** An envelope with its tree context. */
export interface EnrichedEnvelope extends Envelope {
  /** The context (computed on first access, then kept). */
  readonly context: EventContext;
  /** The tree version right after this event was applied. */
  readonly tree: ProcessTree;
}

/**
 * Context of an envelope in a tree (lazily: nothing is computed until a field is read).
 * Signals carry no task context: their context is empty.
 */
export function contextOf(tree: ProcessTree, env: Envelope, maxDepth = 5, follow: LineageFollow = 'spawn'): EventContext {
  const e = env.event;
  const t = env.timestamp;
  const pid = (e.processEntityId ?? 0) >>> 0;
  const tid = (e.threadEntityId ?? 0) >>> 0;
  let process: ProcessInfo | undefined | null = null;
  let thread: ThreadInfo | undefined | null = null;
  let ancestors: ProcessInfo[] | null = null;
  return {
    version: tree.version,
    get process() {
      if (process === null) process = pid ? O.toUndefined(processAt(tree, pid, t)) : undefined;
      return process;
    },
    get thread() {
      if (thread === null) thread = tid ? O.toUndefined(threadAt(tree, tid, t)) : undefined;
      return thread;
    },
    get ancestors() {
      if (ancestors === null) {
        const chain = pid ? O.toUndefined(lineageAt(tree, pid, t, maxDepth, { follow })) : undefined;
        ancestors = chain === undefined ? [] : chain.slice(1);
      }
      return ancestors;
    },
  };
}

/**
 * Applies each event to the process tree, then emits it with its context as of its own
 * timestamp. Feed it events sorted by time (see `sortByTimestamp`).
 *
 * Boundary rule for the lifecycle event itself: the context is read *after* the event is
 * applied, at the event's own timestamp, so a fork shows the new child among the parent's
 * children, an exec shows the new program, and an exit shows the process exited with its code.
 *
 * @example
 * ```ts
 * import { enrich, fromNdjson, sortByTimestamp } from 'proctree-rx';
 * fromNdjson(process.stdin, { source: '<stdin>' })
 *   .pipe(sortByTimestamp(), enrich({ source: 'events' }))
 *   .subscribe((e) => console.log(e.event.eventName, e.context.process?.executionBinary.path));
 * ```
 */
export function enrich(options: EnrichOptions = {}): OperatorFunction<Envelope, EnrichedEnvelope> {
  return (source) =>
    new Observable<EnrichedEnvelope>((subscriber) => {
      const builder = options.builder ?? new TreeBuilder(options);
      const maxDepth = options.maxDepth ?? 5;
      const follow = options.follow ?? 'spawn';
      return source.subscribe({
        next: (env) => {
          let tree: ProcessTree;
          try {
            tree = builder.applyEnvelope(env);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          const context = contextOf(tree, env, maxDepth, follow);
          subscriber.next({ ...env, context, tree });
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
