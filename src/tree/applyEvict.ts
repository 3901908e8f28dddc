/**
 * Reducer: the LRU bound removes an entity.
 *
 * @module
 */
import type { ProcessTree } from './model.js';
import { entries } from './changelog.js';
import { draftOf, patch, putProcess, removeFromBoth } from './nodes.js';
import type { EvictRecord } from './records.js';

/**
 * Applies an eviction: the entity leaves the tree, and the links that point at it from its
 * parent's children, its leader's threads and the pid index go with it, so memory stays bounded
 * under endless churn. Ids of evicted entities that others still hold (a child's parent id)
 * simply stop resolving: lineage ends there, as in Tracee.
 */
export function applyEvict(draft: ProcessTree, r: EvictRecord): ProcessTree {
  const tree = draftOf(draft);
  if (r.entity === 'process') {
    const node = tree.processes.get(r.id);
    if (node === undefined) return tree;
    tree.removeProcess(r.id);
    tree.store.evictedProcesses++;
    // every parent it had (spawn parent, and each parent its changelog holds: reparenting links it to each)
    const parentIds = new Set<number>([node.spawnParentId, ...entries(node.parent).map((e) => e.value.id)]);
    for (const pid of parentIds) {
      const parent = pid ? tree.processes.get(pid) : undefined;
      if (parent !== undefined) {
        const { all, live } = removeFromBoth(tree, parent.children, parent.liveChildren, r.id);
        putProcess(tree, patch(tree, parent, { children: all, liveChildren: live }));
      }
    }
    const ids = tree.pids.get(node.pid);
    if (ids !== undefined && ids.includes(r.id)) {
      const rest = ids.filter((x) => x !== r.id);
      tree.putPid(node.pid, rest.length === 0 ? undefined : rest);
    }
  } else {
    const node = tree.threads.get(r.id);
    if (node === undefined) return tree;
    tree.removeThread(r.id);
    tree.store.evictedThreads++;
    const leader = tree.processes.get(node.leaderId);
    if (leader !== undefined) {
      const { all, live } = removeFromBoth(tree, leader.threads, leader.liveThreads, r.id);
      putProcess(tree, patch(tree, leader, { threads: all, liveThreads: live }));
    }
  }
  return tree;
}
