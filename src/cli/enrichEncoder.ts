/**
 * Output lines of `proctree-rx enrich`, with the added context cached per task.
 *
 * @module
 */
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { eventContextJson } from '../operators/eventContextJson.js';
import { ancestorsJsonAt } from '../tree/ancestorsJson.js';
import { processInfoJson, threadInfoJson } from '../tree/infoJson.js';
import { headOf, type EntityId } from '../streams/types.js';
import type { ThreadNode } from '../tree/model.js';
import { pget } from '../tree/pmap.js';
import type { TreeBuilder } from '../tree/treeBuilder.js';
import { spliceKeyPieces, splicePoint } from './pipeline.js';

interface Entry {
  tid: EntityId;
  thread: ThreadNode | undefined;
  /** Version the process / thread text was computed at. */
  taskVersion: number;
  /** `"process":…,"thread":…,` (with its comma: one piece less to write per line) */
  taskJson: string;
  /** Version the ancestors text was computed at. */
  ancestorsVersion: number;
  /** The process and its ancestors: the chain holds while none of their summaries changed. */
  chain: EntityId[];
  /** `"ancestors":[…]}}`: the ancestors, then the ends of the context and of the event (a line's usual end) */
  ancestorsJson: string;
}

const taskPart = (e: EnrichedEnvelope): string => {
  const p = e.context.process;
  const t = e.context.thread;
  return `"process":${p === undefined ? 'null' : processInfoJson(p)},"thread":${t === undefined ? 'null' : threadInfoJson(t)},`;
};


/**
 * Encodes enriched events as output lines (as pieces, see `NdjsonLine` of writeNdjson): the raw line, digit
 * for digit, with `,"proctree":{…}` (see {@link eventContextJson}) before its final `}`.
 *
 * The context text is cached per process in two parts, each reused while the tree says nothing
 * it depends on changed: the process and thread (until {@link TreeBuilder.changedAt} of the
 * process moves, or its thread node is replaced) and the ancestors (until
 * {@link TreeBuilder.summaryChangedAt} of the process or an ancestor moves). Events come in time
 * order and every change in a version is at or before its time, so between changes a task's
 * context is the same for each of its events — the common case of many syscalls per process, and
 * of busy parents whose forks do not change their descendants' ancestry. Late events, and events
 * older than the tree's newest change, are encoded afresh. Only `version` is written per event.
 *
 * @param builder - the builder the `enrich` operator applies events to.
 * @param maxEntries - cache bound (entries are dropped wholesale beyond it).
 * @param maxDepth - ancestors written (the `maxDepth` given to `enrich`; spawn parents).
 */
export function createEnrichEncoder(builder: TreeBuilder, maxEntries = 65_536, maxDepth = 5): (e: EnrichedEnvelope) => string[] {
  const cache = new Map<EntityId, Entry>();
  const chainValid = (entry: Entry): boolean => {
    for (const id of entry.chain) if (builder.summaryChangedAt(id) > entry.ancestorsVersion) return false;
    return true;
  };
  return (e) => {
    const tree = e.tree;
    if (e.late === true || e.timestamp < tree.time) return spliceKeyPieces(e, 'proctree', eventContextJson(e.context));
    const head = headOf(e);
    const pid = (head.processEntityId ?? 0) >>> 0;
    const tid = (head.threadEntityId ?? 0) >>> 0;
    const thread = tid ? pget(tree.threads, tid) : undefined;
    let entry = pid ? cache.get(pid) : undefined;
    if (entry === undefined) {
      const ancestors = ancestorsJsonAt(tree, pid, e.timestamp, maxDepth);
      entry = {
        tid,
        thread,
        taskVersion: tree.version,
        taskJson: taskPart(e),
        ancestorsVersion: tree.version,
        chain: ancestors.chain,
        ancestorsJson: `"ancestors":${ancestors.json}}}`,
      };
      if (pid) {
        if (cache.size >= maxEntries) cache.clear();
        cache.set(pid, entry);
      }
    } else {
      if (entry.tid !== tid || entry.thread !== thread || builder.changedAt(pid) > entry.taskVersion) {
        entry.tid = tid;
        entry.thread = thread;
        entry.taskVersion = tree.version;
        entry.taskJson = taskPart(e);
      }
      if (!chainValid(entry)) {
        const ancestors = ancestorsJsonAt(tree, pid, e.timestamp, maxDepth);
        entry.ancestorsVersion = tree.version;
        entry.chain = ancestors.chain;
        entry.ancestorsJson = `"ancestors":${ancestors.json}}}`;
      }
    }
    // four pieces for a line ending in `}` (the usual case): raw head, prefix, task, ancestors + ends
    const raw = e.raw;
    const at = raw === undefined ? undefined : splicePoint(raw);
    if (raw !== undefined && at !== undefined && at.end === raw.length - 1 && !at.empty) {
      return [raw.slice(0, -1), `,"proctree":{"version":${tree.version},`, entry.taskJson, entry.ancestorsJson];
    }
    return spliceKeyPieces(e, 'proctree', [`{"version":${tree.version},`, entry.taskJson, entry.ancestorsJson.slice(0, -1)]);
  };
}
