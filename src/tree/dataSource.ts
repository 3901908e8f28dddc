/**
 * Tracee's `tracee/process_tree` data source (spec §6), idiomatically: typed keys, typed answers,
 * `Option`/`Either` for misses, plus a Tracee-compatible `get(key)` for code ported from Go
 * signatures.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { EntityId, Nanos } from '../streams/types.js';
import type { ProcessTree } from './model.js';
import { VersionNotRetainedError } from './store.js';
import type { ArtifactsAsOf } from './artifacts/artifactStore.js';
import { lineageAt, processAt, processByPidAt, threadAt, type LineageOptions, type ProcessInfo, type ThreadInfo } from './queries.js';

/** Tracee's ProcKey: a process at a time. */
export interface ProcKey {
  readonly kind: 'process';
  readonly entityId: EntityId;
  readonly time: Nanos;
}
/** Tracee's ThreadKey: a thread at a time. */
export interface ThreadKey {
  readonly kind: 'thread';
  readonly entityId: EntityId;
  readonly time: Nanos;
}
/** Tracee's LineageKey: a process and up to `maxDepth` ancestors at a time. */
export interface LineageKey {
  readonly kind: 'lineage';
  readonly entityId: EntityId;
  readonly time: Nanos;
  readonly maxDepth: number;
}
/** Any key the data source answers. */
export type DataSourceKey = ProcKey | ThreadKey | LineageKey;

/**
 * Builds a {@link ProcKey}: the process `entityId` as of `time`, for `ds.get`.
 * @example
 * ```ts
 * import { procKey } from 'proctree-rx';
 * const answer = builder.dataSource().get(procKey(entityId, t)); // Right({ process_info }) or Left(ErrDataNotFound)
 * ```
 */
export const procKey = (entityId: EntityId, time: Nanos): ProcKey => ({ kind: 'process', entityId, time });
/**
 * Builds a {@link ThreadKey}: the thread `entityId` as of `time`, for `ds.get`.
 * @example
 * ```ts
 * import { threadKey } from 'proctree-rx';
 * const answer = builder.dataSource().get(threadKey(entityId, t)); // Right({ thread_info }) or Left(…)
 * ```
 */
export const threadKey = (entityId: EntityId, time: Nanos): ThreadKey => ({ kind: 'thread', entityId, time });
/**
 * Builds a {@link LineageKey}: the process `entityId` and up to `maxDepth` ancestors as of `time`.
 * @example
 * ```ts
 * import { lineageKey } from 'proctree-rx';
 * const answer = builder.dataSource().get(lineageKey(entityId, t, 5)); // Right({ process_lineage: [...] })
 * ```
 */
export const lineageKey = (entityId: EntityId, time: Nanos, maxDepth: number): LineageKey => ({ kind: 'lineage', entityId, time, maxDepth });

/**
 * Tracee's error text for a lookup that found nothing (the `Left` of `ds.get`).
 * @example
 * ```ts
 * import { ErrDataNotFound, isLeft, procKey } from 'proctree-rx';
 * const answer = builder.dataSource().get(procKey(entityId, t));
 * if (isLeft(answer) && answer.left === ErrDataNotFound) console.log('unknown process');
 * ```
 */
export const ErrDataNotFound = 'requested data was not found';
/**
 * Tracee's error text for a key the data source does not answer (the `Left` of `ds.get`).
 * @example
 * ```ts
 * import { ErrKeyNotSupported, isLeft } from 'proctree-rx';
 * const answer = builder.dataSource().get({ kind: 'container' } as never);
 * if (isLeft(answer)) console.log(answer.left === ErrKeyNotSupported);
 * ```
 */
export const ErrKeyNotSupported = 'queried key is not supported';

/** Answers of `get`, keyed as Tracee keys them. */
export type DataSourceAnswer =
  | { readonly process_info: ProcessInfo }
  | { readonly thread_info: ThreadInfo }
  | { readonly process_lineage: readonly ProcessInfo[] };

/** Anything that can give the tree as of a time (a {@link VersionHistory}, or one fixed tree). */
export interface TreeAsOf {
  at(t: Nanos): ProcessTree | undefined;
}

/**
 * A {@link TreeAsOf} over a single tree value: a data source that answers from that tree only.
 * @example
 * ```ts
 * import { fixedTree, procKey, ProcessTreeDataSource } from 'proctree-rx';
 * const ds = new ProcessTreeDataSource(fixedTree(tree));
 * ds.get(procKey(entityId, t));
 * ```
 */
export const fixedTree = (tree: ProcessTree): TreeAsOf => ({ at: () => tree });

const isKey = (key: unknown): key is DataSourceKey => {
  if (typeof key !== 'object' || key === null) return false;
  const k = key as Record<string, unknown>;
  const common = typeof k['entityId'] === 'number' && typeof k['time'] === 'bigint';
  if (k['kind'] === 'lineage') return common && typeof k['maxDepth'] === 'number';
  return common && (k['kind'] === 'process' || k['kind'] === 'thread');
};

/**
 * The process-tree data source signatures query.
 *
 * @example
 * ```ts
 * const ds = new ProcessTreeDataSource(history);
 * const parent = ds.process(procKey(headOf(envelope).parentEntityId, envelope.timestamp));
 * const legacy = ds.get(lineageKey(id, t, 5)); // Either<string, { process_lineage }>
 * ```
 */
export class ProcessTreeDataSource {
  /**
   * @param trees - the trees as of any time (a builder's `history`, or {@link fixedTree}).
   * @param lineageOptions - the default options of {@link ProcessTreeDataSource.lineage}.
   * @param artifacts - when given (a builder with artifacts gives its store), every ProcessInfo
   *   answered carries `artifacts`, as of the query time.
   */
  constructor(
    private readonly trees: TreeAsOf,
    private readonly lineageOptions: LineageOptions = {},
    private readonly artifacts?: ArtifactsAsOf,
  ) {}

  /** `info` with its artifacts as of `time`, when this source has them. */
  private withArtifacts(info: ProcessInfo, time: Nanos): ProcessInfo {
    const a = this.artifacts?.at(info.entityId, time);
    return a === undefined ? info : { ...info, artifacts: a };
  }

  /** `"tracee"`. */
  namespace(): string {
    return 'tracee';
  }
  /** `"process_tree"`. */
  id(): string {
    return 'process_tree';
  }
  /** `1`, as Tracee's. */
  version(): number {
    return 1;
  }
  /** Key type names, as Tracee lists them. */
  keys(): string[] {
    return ['datasource.ProcKey', 'datasource.ThreadKey', 'datasource.LineageKey'];
  }
  /** Tracee's schema string. */
  schema(): string {
    return '{"process_info":"datasource.ProcessInfo","process_lineage":"datasource.ProcessLineage","thread_info":"datasource.ThreadInfo"}';
  }

  /** The process at the key's time. Throws {@link VersionNotRetainedError} when the tree asked is no longer retained (`get` answers `Left` then). */
  process(key: Omit<ProcKey, 'kind'>): O.Option<ProcessInfo> {
    const tree = this.trees.at(key.time);
    const info = tree === undefined ? O.none : processAt(tree, key.entityId, key.time);
    return this.artifacts === undefined ? info : O.map((p: ProcessInfo) => this.withArtifacts(p, key.time))(info);
  }
  /** The thread at the key's time. */
  thread(key: Omit<ThreadKey, 'kind'>): O.Option<ThreadInfo> {
    const tree = this.trees.at(key.time);
    return tree === undefined ? O.none : threadAt(tree, key.entityId, key.time);
  }
  /** The process and its ancestors at the key's time. */
  lineage(key: Omit<LineageKey, 'kind'>, options: LineageOptions = this.lineageOptions): O.Option<ProcessInfo[]> {
    const tree = this.trees.at(key.time);
    const chain = tree === undefined ? O.none : lineageAt(tree, key.entityId, key.time, key.maxDepth, options);
    return this.artifacts === undefined ? chain : O.map((l: ProcessInfo[]) => l.map((p) => this.withArtifacts(p, key.time)))(chain);
  }
  /** The process that had host pid `pid` at `time`. */
  processByPid(pid: number, time: Nanos): O.Option<ProcessInfo> {
    const tree = this.trees.at(time);
    const info = tree === undefined ? O.none : processByPidAt(tree, pid, time);
    return this.artifacts === undefined ? info : O.map((p: ProcessInfo) => this.withArtifacts(p, time))(info);
  }

  /**
   * Tracee-compatible `Get(key)`: `{process_info}`, `{thread_info}` or `{process_lineage}`;
   * `Left("requested data was not found")` on a miss, `Left("queried key is not supported")`
   * for anything but the three keys.
   */
  get(key: unknown): E.Either<string, DataSourceAnswer> {
    if (!isKey(key)) return E.left(ErrKeyNotSupported);
    try {
      return this.answer(key);
    } catch (err) {
      // a snapshot that is no longer retained answers with an explicit error, never a partial answer
      if (err instanceof VersionNotRetainedError) return E.left(err.message);
      throw err;
    }
  }

  private answer(key: DataSourceKey): E.Either<string, DataSourceAnswer> {
    switch (key.kind) {
      case 'process':
        return E.fromOption(() => ErrDataNotFound)(O.map((info: ProcessInfo) => ({ process_info: info }))(this.process(key)));
      case 'thread':
        return E.fromOption(() => ErrDataNotFound)(O.map((info: ThreadInfo) => ({ thread_info: info }))(this.thread(key)));
      case 'lineage':
        return E.fromOption(() => ErrDataNotFound)(O.map((l: ProcessInfo[]) => ({ process_lineage: l }))(this.lineage(key)));
    }
  }
}
