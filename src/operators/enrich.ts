/**
 * The `enrich` operator: every event out with its process, thread and ancestors attached, as of
 * its own timestamp.
 *
 * @module
 */
import * as O from 'fp-ts/lib/Option.js';
import { Observable, type OperatorFunction } from 'rxjs';
import { headOf, type Envelope, type EventHead, type Origin, type TraceeEvent } from '../streams/types.js';
import type { ProcessTree } from '../tree/model.js';
import { lineageAt, processAt, threadAt, type LineageFollow, type ProcessInfo, type ThreadInfo } from '../tree/queries.js';
import { TreeBuilder, type TreeBuilderOptions } from '../tree/treeBuilder.js';
import type { ArtifactsAsOf } from '../tree/artifacts/artifactStore.js';

/** Options of {@link enrich}. */
export interface EnrichOptions extends TreeBuilderOptions {
  /** Use this builder (to share the tree with queries and signatures); else one is created. */
  readonly builder?: TreeBuilder;
  /** Ancestors to attach (default 5, as Tracee's detectors). */
  readonly maxDepth?: number;
  /** Which parents the ancestors follow (default `spawn`). */
  readonly follow?: LineageFollow;
  /**
   * Counts kept for this operator, updated as events pass (pass an object to read them):
   * `outOfOrder` — events older than one already applied (see {@link enrich}).
   */
  readonly stats?: EnrichStats;
}

/** Counters of one {@link enrich}, filled in when passed as its `stats` option. */
export interface EnrichStats {
  /** Events that came older than an event already applied, and not marked `late` by a sort. */
  outOfOrder: number;
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
  /**
   * The builder's artifacts (what each process did), when it keeps them (`artifacts` option):
   * ask `artifacts.at(entityId, e.timestamp)` for a process as of the event. `undefined` when off.
   */
  readonly artifacts?: ArtifactsAsOf | undefined;
}

/** An envelope with its tree context. */
export interface EnrichedEnvelope extends Envelope {
  /**
   * The context (computed on first access, then kept). It reads `tree`, so read it while that
   * version is retained (the builder's `history` bound, 4096 versions by default) — or pin the
   * tree (`e.tree.pin()`) to read it later; past the bound it throws `VersionNotRetainedError`.
   */
  readonly context: EventContext;
  /** The tree version right after this event was applied. */
  readonly tree: ProcessTree;
}

/** An {@link EventContext} computed field by field on first read (no closures per event). */
class LazyContext implements EventContext {
  private p: ProcessInfo | undefined | null = null;
  private th: ThreadInfo | undefined | null = null;
  private a: ProcessInfo[] | null = null;
  readonly version: number;

  constructor(
    private readonly t: ProcessTree,
    private readonly at: bigint,
    private readonly pid: number,
    private readonly tid: number,
    private readonly maxDepth: number,
    private readonly follow: LineageFollow,
    readonly artifacts: ArtifactsAsOf | undefined,
  ) {
    this.version = t.version;
  }

  get process(): ProcessInfo | undefined {
    if (this.p === null) this.p = this.pid ? O.toUndefined(processAt(this.t, this.pid, this.at)) : undefined;
    return this.p;
  }

  get thread(): ThreadInfo | undefined {
    if (this.th === null) this.th = this.tid ? O.toUndefined(threadAt(this.t, this.tid, this.at)) : undefined;
    return this.th;
  }

  get ancestors(): readonly ProcessInfo[] {
    if (this.a === null) {
      const chain = this.pid ? O.toUndefined(lineageAt(this.t, this.pid, this.at, this.maxDepth, { follow: this.follow })) : undefined;
      this.a = chain === undefined ? [] : chain.slice(1);
    }
    return this.a;
  }

  /** Plain fields for logging and `JSON.stringify`-style inspection. */
  toJSON(): { version: number; process: ProcessInfo | undefined; thread: ThreadInfo | undefined; ancestors: readonly ProcessInfo[] } {
    return { version: this.version, process: this.process, thread: this.thread, ancestors: this.ancestors };
  }
}

/** An envelope with its context; its `event` is the source envelope's (parsed only when read). */
class Enriched implements EnrichedEnvelope {
  readonly raw: string | undefined;
  readonly head: EventHead | undefined;
  readonly timestamp: bigint;
  readonly threadStartTime: bigint;
  readonly origin: Origin;
  readonly seq: number;
  readonly rank: number;
  readonly late: boolean | undefined;

  constructor(
    private readonly source: Envelope,
    readonly context: EventContext,
    readonly tree: ProcessTree,
    outOfOrder: boolean,
  ) {
    this.raw = source.raw;
    this.head = source.head;
    this.timestamp = source.timestamp;
    this.threadStartTime = source.threadStartTime;
    this.origin = source.origin;
    this.seq = source.seq;
    this.rank = source.rank;
    this.late = outOfOrder ? true : source.late;
  }

  get event(): TraceeEvent {
    return this.source.event;
  }
}

/**
 * Context of an envelope in a tree (lazily: nothing is computed until a field is read).
 * Signals carry no task context: their context is empty.
 */
export function contextOf(tree: ProcessTree, env: Envelope, maxDepth = 5, follow: LineageFollow = 'spawn', artifacts?: ArtifactsAsOf): EventContext {
  const e = headOf(env);
  return new LazyContext(tree, env.timestamp, e.processEntityId, e.threadEntityId, maxDepth, follow, artifacts);
}

/**
 * Applies each event to the process tree, then emits it with its context as of its own
 * timestamp. Feed it events sorted by time (see `sortByTimestamp`, or use `pipeline`, which
 * orders them).
 *
 * Unsorted input is not answered silently from the wrong state: an event older than one already
 * applied (and not marked `late` by a sort, which reported it already) is counted
 * (`stats.outOfOrder`), reported through `onIssue` as a warning with its origin and how far out of
 * order it is, and emitted marked `late`, so that its context is read as of its own time.
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
      const { onIssue, stats } = options;
      const artifacts = builder.artifacts;
      let newest: bigint | undefined;
      return source.subscribe({
        next: (env) => {
          const outOfOrder = newest !== undefined && env.timestamp < newest && env.late !== true;
          if (outOfOrder) {
            if (stats !== undefined) stats.outOfOrder++;
            onIssue?.({ origin: env.origin, reason: `out of order: ${newest! - env.timestamp} ns older than an event already applied (sort the input: sortByTimestamp)`, severity: 'warning' });
          }
          if (newest === undefined || env.timestamp > newest) newest = env.timestamp;
          let tree: ProcessTree;
          try {
            tree = builder.applyEnvelope(env);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          subscriber.next(new Enriched(env, contextOf(tree, env, maxDepth, follow, artifacts), tree, outOfOrder));
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
