/**
 * A tree rebuilt from its content (what a checkpoint holds: see `src/checkpoint/`): every
 * entity, the pid index and the counters, written as ONE version numbered as the original, so
 * queries answer as the original did and the next change gets the original's next number.
 *
 * The only place outside the reducers that writes a store; it goes through the same draft API
 * (`Draft.open` … `commit`) as `applyRecord`, never through the store's layout.
 *
 * @module
 */
import { NODE_KINDS } from './nodeKinds.js';
import type { EntityId, Nanos } from '../streams/types.js';
import type { ProcessNode, ProcessTree, ThreadNode, TreeConfig, TreeCounters } from './model.js';
import { emptyTree } from './model.js';
import { Draft, Snapshot } from './snapshot.js';
import { TreeStore, type Retention } from './store.js';
import type { ExecState } from './model.js';

/** Everything a tree answers from, as plain values (the input of {@link restoreTree}). */
export interface TreeContent {
  /** The version the restored tree carries (the original's). */
  readonly version: number;
  /** The original's time (newest change applied). */
  readonly time: Nanos;
  readonly config: TreeConfig;
  readonly retention: Retention;
  readonly counters: TreeCounters;
  /** Every process, in the original's iteration order. */
  readonly processes: readonly ProcessNode[];
  /** Every thread, in the original's iteration order. */
  readonly threads: readonly ThreadNode[];
  /** The pid index: host pid → holders, oldest first. */
  readonly pids: readonly (readonly [number, readonly EntityId[]])[];
}

/** `exec` with its file records interned in `tree`'s store (one shared record per file, as the reducers keep them). */
function internExec(tree: ProcessTree, node: ProcessNode): ProcessNode {
  const log = node.exec;
  if (log === undefined) return node;
  const files = tree.store.files;
  const out: (Nanos | ExecState)[] = log.slice();
  for (let i = 1; i < out.length; i += 2) {
    const s = out[i] as ExecState;
    out[i] = { ...s, executable: files.intern(s.executable), interpreter: files.intern(s.interpreter), interp: files.intern(s.interp) };
  }
  return { ...node, exec: out };
}

/**
 * The tree `content` describes: version `content.version` at `content.time`, answering every
 * query as the tree the content was read from (at that version). Versions before it are not
 * restored: the version before it is an empty tree at the same time.
 *
 * @example
 * ```ts
 * import { restoreTree } from './restoreTree.js';
 * const tree = restoreTree({ version: 0, time: 0n, config: { maxFieldHistory: 16, maxIdsPerPid: 4 }, retention: {}, counters: { evictedProcesses: 0, evictedThreads: 0 }, processes: [], threads: [], pids: [] });
 * ```
 */
export function restoreTree(content: TreeContent): ProcessTree {
  if (content.version <= 0) return emptyTree({ ...content.config, retention: content.retention });
  const store: TreeStore<ProcessNode, ThreadNode> = new TreeStore<ProcessNode, ThreadNode>(NODE_KINDS, content.retention, content.version - 1, content.time);
  const base = new Snapshot(store, content.version - 1, content.time, content.config);
  const draft = Draft.open(store, base);
  for (const p of content.processes) draft.putProcess(internExec(draft, p));
  for (const t of content.threads) draft.putThread(t);
  for (const [pid, ids] of content.pids) draft.putPid(pid, ids);
  store.evictedProcesses = content.counters.evictedProcesses;
  store.evictedThreads = content.counters.evictedThreads;
  const version = store.commit(content.time);
  return new Snapshot(store, version, content.time, content.config);
}
