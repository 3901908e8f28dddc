/**
 * The store's view of the two node kinds: the fields a change may write (the undo log records
 * them by index) and how a node is copied. Internal to src/tree/.
 *
 * @module
 */
import type { ProcessNode, TaskNode, ThreadNode } from './model.js';
import type { NodeKind } from './nodeMap.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Changed = (field: number, old: unknown) => void;
import { cloneProcess, cloneThread } from './nodes.js';

/** The fields both kinds have (indices 0–10 of both field lists): see NodeKind.update. */
function updateTask(dst: Mutable<TaskNode>, src: TaskNode, changed: Changed): boolean {
  let any = false;
  if (dst.tid !== src.tid) {
    changed(0, dst.tid);
    dst.tid = src.tid;
    any = true;
  }
  if (dst.pid !== src.pid) {
    changed(1, dst.pid);
    dst.pid = src.pid;
    any = true;
  }
  if (dst.nsTid !== src.nsTid) {
    changed(2, dst.nsTid);
    dst.nsTid = src.nsTid;
    any = true;
  }
  if (dst.nsPid !== src.nsPid) {
    changed(3, dst.nsPid);
    dst.nsPid = src.nsPid;
    any = true;
  }
  if (dst.startTime !== src.startTime) {
    changed(4, dst.startTime);
    dst.startTime = src.startTime;
    any = true;
  }
  if (dst.exitTime !== src.exitTime) {
    changed(5, dst.exitTime);
    dst.exitTime = src.exitTime;
    any = true;
  }
  if (dst.exitCode !== src.exitCode) {
    changed(6, dst.exitCode);
    dst.exitCode = src.exitCode;
    any = true;
  }
  if (dst.name !== src.name) {
    changed(7, dst.name);
    dst.name = src.name;
    any = true;
  }
  if (dst.uid !== src.uid) {
    changed(8, dst.uid);
    dst.uid = src.uid;
    any = true;
  }
  if (dst.gid !== src.gid) {
    changed(9, dst.gid);
    dst.gid = src.gid;
    any = true;
  }
  if (dst.placeholder !== src.placeholder) {
    changed(10, dst.placeholder);
    dst.placeholder = src.placeholder;
    any = true;
  }
  return any;
}

/** Field name → index, for NodeKind.index. */
const indexOf = (fields: readonly string[]): Readonly<Record<string, number>> => Object.freeze(Object.fromEntries(fields.map((f, i) => [f, i])));

const PROCESS_FIELDS = [
  'tid', 'pid', 'nsTid', 'nsPid', 'startTime', 'exitTime', 'exitCode', 'name', 'uid', 'gid', 'placeholder',
  'spawnParentId', 'parent', 'exec', 'containerId', 'children', 'threads', 'liveChildren', 'liveThreads', 'liveSince',
] as const;
const THREAD_FIELDS = ['tid', 'pid', 'nsTid', 'nsPid', 'startTime', 'exitTime', 'exitCode', 'name', 'uid', 'gid', 'placeholder', 'leaderId'] as const;

/** Process nodes: every field but `kind`, `id` and the stamps. */
export const PROCESS_KIND: NodeKind<ProcessNode> = {
  fields: PROCESS_FIELDS,
  index: indexOf(PROCESS_FIELDS),
  clone: cloneProcess,
  update(dst: Mutable<ProcessNode>, src: ProcessNode, changed: Changed): boolean {
    let any = updateTask(dst, src, changed);
    if (dst.spawnParentId !== src.spawnParentId) {
      changed(11, dst.spawnParentId);
      dst.spawnParentId = src.spawnParentId;
      any = true;
    }
    if (dst.parent !== src.parent) {
      changed(12, dst.parent);
      dst.parent = src.parent;
      any = true;
    }
    if (dst.exec !== src.exec) {
      changed(13, dst.exec);
      dst.exec = src.exec;
      any = true;
    }
    if (dst.containerId !== src.containerId) {
      changed(14, dst.containerId);
      dst.containerId = src.containerId;
      any = true;
    }
    if (dst.children !== src.children) {
      changed(15, dst.children);
      dst.children = src.children;
      any = true;
    }
    if (dst.threads !== src.threads) {
      changed(16, dst.threads);
      dst.threads = src.threads;
      any = true;
    }
    if (dst.liveChildren !== src.liveChildren) {
      changed(17, dst.liveChildren);
      dst.liveChildren = src.liveChildren;
      any = true;
    }
    if (dst.liveThreads !== src.liveThreads) {
      changed(18, dst.liveThreads);
      dst.liveThreads = src.liveThreads;
      any = true;
    }
    if (dst.liveSince !== src.liveSince) {
      changed(19, dst.liveSince);
      dst.liveSince = src.liveSince;
      any = true;
    }
    return any;
  },
};

/** Thread nodes: every field but `kind`, `id` and the stamps. */
export const THREAD_KIND: NodeKind<ThreadNode> = {
  fields: THREAD_FIELDS,
  index: indexOf(THREAD_FIELDS),
  clone: cloneThread,
  update(dst: Mutable<ThreadNode>, src: ThreadNode, changed: Changed): boolean {
    let any = updateTask(dst, src, changed);
    if (dst.leaderId !== src.leaderId) {
      changed(11, dst.leaderId);
      dst.leaderId = src.leaderId;
      any = true;
    }
    return any;
  },
};

/** Both kinds, as a store takes them. */
export const NODE_KINDS = { process: PROCESS_KIND, thread: THREAD_KIND } as const;
