/**
 * Reducer: the LRU bound removes an entity.
 *
 * @module
 */
import type { ProcessTree } from './model.js';
import { entries } from './changelog.js';
import { patch, putProcess, setRemove, stamp, withMaps } from './nodes.js';
import { pget, premove, pset } from './pmap.js';
import type { EvictRecord } from './records.js';

/**
 * Applies an eviction: the entity leaves the tree, and the links that point at it from its
 * parent's children, its leader's threads and the pid index go with it, so memory stays bounded
 * under endless churn. Ids of evicted entities that others still hold (a child's parent id)
 * simply stop resolving: lineage ends there, as in Tracee.
 */
export function applyEvict(tree: ProcessTree, r: EvictRecord): ProcessTree {
  let next = tree;
  if (r.entity === 'process') {
    const node = pget(tree.processes, r.id);
    if (node === undefined) return tree;
    next = withMaps(next, { processes: premove(next.processes, r.id, next.edit), counters: { ...next.counters, evictedProcesses: next.counters.evictedProcesses + 1 } });
    // every parent it had (spawn parent, and each parent its changelog holds: reparenting links it to each)
    const parentIds = new Set<number>([node.spawnParentId, ...entries(node.parent).map((e) => e.value.id)]);
    for (const pid of parentIds) {
      const parent = pid ? pget(next.processes, pid) : undefined;
      if (parent !== undefined) {
        next = putProcess(next, patch(parent, { children: setRemove(next, parent.children, r.id), liveChildren: setRemove(next, parent.liveChildren, r.id) }));
      }
    }
    const ids = pget(next.pids, node.pid);
    if (ids !== undefined) {
      const rest = ids.filter((x) => x !== r.id);
      next = withMaps(next, { pids: rest.length === 0 ? premove(next.pids, node.pid, next.edit) : pset(next.pids, node.pid, rest, next.edit) });
    }
  } else {
    const node = pget(tree.threads, r.id);
    if (node === undefined) return tree;
    next = withMaps(next, { threads: premove(next.threads, r.id, next.edit), counters: { ...next.counters, evictedThreads: next.counters.evictedThreads + 1 } });
    const leader = pget(next.processes, node.leaderId);
    if (leader !== undefined) {
      next = putProcess(next, patch(leader, { threads: setRemove(next, leader.threads, r.id), liveThreads: setRemove(next, leader.liveThreads, r.id) }));
    }
  }
  return stamp(tree, next, r.time);
}
