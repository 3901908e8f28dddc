/**
 * Output lines of `proctree-rx enrich`, with the added context cached per task.
 *
 * @module
 */
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { eventContextJson } from '../operators/eventContextJson.js';
import { ancestorsJsonAt, summaryAt, summaryInterval } from '../tree/ancestorsJson.js';
import { boundedProcessInfoOf } from '../tree/queries.js';
import { LINE_MAX_IDS, processLineJson, threadInfoJson } from '../tree/infoJson.js';
import { headOf, type EntityId } from '../streams/types.js';
import { currentValue } from '../tree/changelog.js';
import type { ProcessNode, ProcessTree, ThreadNode } from '../tree/model.js';
import { spliceKeyPieces, splicePoint } from './spliceKey.js';
import { flat } from '../tree/flatString.js';

/**
 * What an ancestor's summary (and the lineage walk through it) reads of its node: when all of
 * these are the same objects / values, the summary text is the same. A node replaced for any
 * other reason (a sibling forked, a thread came or went) keeps its summary.
 */
interface SummaryKey {
  node: ProcessNode;
  /** The node's write stamp when read (a stored node is updated in place). */
  wv: number;
  readonly pid: number;
  readonly nsPid: number;
  readonly startTime: bigint | undefined;
  readonly exitTime: bigint | undefined;
  readonly name: ProcessNode['name'];
  readonly exec: ProcessNode['exec'];
  readonly parent: ProcessNode['parent'];
  readonly spawnParentId: EntityId;
  readonly placeholder: boolean;
}

const summaryKey = (node: ProcessNode): SummaryKey => ({
  node,
  wv: node._wv,
  pid: node.pid,
  nsPid: node.nsPid,
  startTime: node.startTime,
  exitTime: node.exitTime,
  name: node.name,
  exec: node.exec,
  parent: node.parent,
  spawnParentId: node.spawnParentId,
  placeholder: node.placeholder,
});

/** Does `node` read as `key` for a summary? (Updates `key.node` when it does, so the next check is one comparison.) */
const sameSummary = (node: ProcessNode | undefined, key: SummaryKey): boolean => {
  if (node === key.node && node._wv === key.wv) return true;
  if (
    node === undefined ||
    node.pid !== key.pid ||
    node.nsPid !== key.nsPid ||
    node.startTime !== key.startTime ||
    node.exitTime !== key.exitTime ||
    node.name !== key.name ||
    node.exec !== key.exec ||
    node.parent !== key.parent ||
    node.spawnParentId !== key.spawnParentId ||
    node.placeholder !== key.placeholder
  ) {
    return false;
  }
  key.node = node;
  key.wv = node._wv;
  return true;
};

interface Entry {
  tid: EntityId;
  thread: ThreadNode | undefined;
  threadWv: number;
  /** The process node the process / thread text was computed from, and its write stamp then (it moves whenever the answer may change). */
  process: ProcessNode | undefined;
  processWv: number;
  /** `"process":…,"thread":…,` (with its comma: one piece less to write per line) */
  taskJson: string;
  /** The process and its ancestors as read for the ancestors text (the chain holds while each still reads the same). */
  chain: SummaryKey[] | undefined;
  /** `"ancestors":[…]}}`: the ancestors, then the ends of the context and of the event (a line's usual end) */
  ancestorsJson: string;
}

/** The process and thread text of an event, with O(LINE_MAX_IDS) work (the same text as {@link eventContextJson} gives). */
const taskPart = (e: EnrichedEnvelope, node: ProcessNode | undefined): string => {
  const at = e.timestamp;
  const p = node === undefined || (node.startTime !== undefined && at < node.startTime) ? undefined : boundedProcessInfoOf(e.tree, node, at, LINE_MAX_IDS);
  const t = e.context.thread;
  return flat(`"process":${p === undefined ? 'null' : processLineJson(p.info, p.threadsCount, p.childProcessesCount)},"thread":${t === undefined ? 'null' : threadInfoJson(t)},`);
};


/**
 * Encodes enriched events as output lines (as pieces, see `NdjsonLine` of writeNdjson): the raw line, digit
 * for digit, with `,"proctree":{…}` (see {@link eventContextJson}) before its final `}`.
 *
 * The context text is cached per process in two parts, each keyed by what it depends on and
 * owned here: the process and thread text by the identity of the process node (the tree
 * replaces a process node whenever its answer may change: its own fields, or a child's or
 * thread's pid, start or exit) and of the thread node; the ancestors text by what each node of the
 * chain shows in a summary (see {@link SummaryKey}). Events come in time order and every change
 * in a version is at or before its time, so between changes a task's context is the same for
 * each of its events. Late events, and events older than the tree's newest change, are encoded
 * afresh. Only `version` is written per event. A property test holds the cached output equal
 * to the freshly computed one.
 *
 * @param maxBytes - cache bound in characters of cached text (entries are dropped wholesale beyond it; an exited process's entry goes at its exit).
 * @param maxDepth - ancestors written (the `maxDepth` given to `enrich`; spawn parents).
 * @param extra - text added at the end of each line's context (`,"key":value`), e.g. the
 *   artifacts of `enrich --artifacts`; absent: the lines are exactly those without it.
 */
export function createEnrichEncoder(maxBytes = 16 * 1024 * 1024, maxDepth = 5, extra?: (e: EnrichedEnvelope) => string): (e: EnrichedEnvelope) => string[] {
  const cache = new Map<EntityId, Entry>();
  /** Characters of text the cache holds (its bound: `maxBytes`; UTF-16 units, ~bytes for this ASCII-mostly text). */
  let held = 0;
  /**
   * Ancestor summaries by process id, each with the interval of read times it holds for (see
   * summaryInterval), valid while the node reads the same (a busy parent's node is replaced at
   * every fork; its summary is not). Descendants read an ancestor at their own start times, mostly
   * inside one interval, also when the ancestor exec'd or exited since.
   */
  const summaries = new Map<EntityId, { readonly key: SummaryKey; readonly lo: bigint; readonly hi: bigint | undefined; readonly json: string }>();
  const summaryOf = (node: ProcessNode, at: bigint): string => {
    const memo = summaries.get(node.id);
    if (memo !== undefined && at >= memo.lo && (memo.hi === undefined || at < memo.hi) && sameSummary(node, memo.key)) return memo.json;
    const json = flat(summaryAt(node, at));
    const { lo, hi } = summaryInterval(node, at);
    if (summaries.size >= 16_384) summaries.clear();
    summaries.set(node.id, { key: summaryKey(node), lo, hi, json });
    return json;
  };
  const size = (entry: Entry): number => entry.taskJson.length + entry.ancestorsJson.length;
  const forget = (pid: EntityId): void => {
    const entry = cache.get(pid);
    if (entry === undefined) return;
    held -= size(entry);
    cache.delete(pid);
  };
  const chainValid = (tree: ProcessTree, entry: Entry): boolean => {
    if (entry.chain === undefined) return false;
    for (const key of entry.chain) if (!sameSummary(tree.processes.get(key.node.id), key)) return false;
    // a walk that stopped short at an unknown parent is stale once that parent is known
    const last = entry.chain[entry.chain.length - 1];
    if (last === undefined || entry.chain.length > maxDepth || last.nsPid === 1) return true;
    const tail = last.spawnParentId || (currentValue(last.parent)?.id ?? 0);
    return tail === 0 || tree.processes.get(tail) === undefined || entry.chain.some((k) => k.node.id === tail);
  };
  /** The keys of a walked chain; undefined (never valid) when the process itself is unknown. */
  const chainOf = (tree: ProcessTree, ids: readonly EntityId[]): SummaryKey[] | undefined => {
    const out: SummaryKey[] = [];
    for (const id of ids) {
      const node = tree.processes.get(id);
      if (node === undefined) return undefined;
      out.push(summaryKey(node));
    }
    return out;
  };
  return (e) => {
    const tree = e.tree;
    if (e.late === true || e.timestamp < tree.time) {
      const json = eventContextJson(e.context);
      return spliceKeyPieces(e, 'proctree', extra === undefined ? json : `${json.slice(0, -1)}${extra(e)}}`);
    }
    const head = headOf(e);
    const pid = head.processEntityId;
    const tid = head.threadEntityId;
    const thread = tid ? tree.threads.get(tid) : undefined;
    const process = pid ? tree.processes.get(pid) : undefined;
    let entry = pid ? cache.get(pid) : undefined;
    if (entry === undefined) {
      const ancestors = ancestorsJsonAt(tree, pid, e.timestamp, maxDepth, summaryOf);
      entry = {
        tid,
        thread,
        threadWv: thread?._wv ?? 0,
        process,
        processWv: process?._wv ?? 0,
        taskJson: taskPart(e, process),
        chain: chainOf(tree, ancestors.chain),
        ancestorsJson: flat(`"ancestors":${ancestors.json}}}`),
      };
      if (pid) {
        if (held + size(entry) > maxBytes) {
          cache.clear();
          held = 0;
        }
        cache.set(pid, entry);
        held += size(entry);
      }
    } else {
      held -= size(entry);
      if (
        entry.tid !== tid ||
        entry.thread !== thread ||
        entry.threadWv !== (thread?._wv ?? 0) ||
        process === undefined ||
        process !== entry.process ||
        entry.processWv !== process._wv
      ) {
        entry.tid = tid;
        entry.thread = thread;
        entry.threadWv = thread?._wv ?? 0;
        entry.process = process;
        entry.processWv = process?._wv ?? 0;
        entry.taskJson = taskPart(e, process);
      }
      if (!chainValid(tree, entry)) {
        const ancestors = ancestorsJsonAt(tree, pid, e.timestamp, maxDepth, summaryOf);
        entry.chain = chainOf(tree, ancestors.chain);
        entry.ancestorsJson = flat(`"ancestors":${ancestors.json}}}`);
      }
      held += size(entry);
    }
    // an exited process has no more events (but late ones, encoded afresh): its entry goes
    if (process !== undefined && process.exitTime !== undefined && process.exitTime <= e.timestamp) forget(pid);
    // four pieces for a line ending in `}` (the usual case): raw head, prefix, task, ancestors + ends
    const raw = e.raw;
    const at = raw === undefined ? undefined : splicePoint(raw);
    if (extra !== undefined) {
      const more = extra(e);
      const ancestors = entry.ancestorsJson.slice(0, -2);
      if (raw !== undefined && at !== undefined && at.end === raw.length - 1 && !at.empty) {
        return [raw.slice(0, -1), `,"proctree":{"version":${tree.version},`, entry.taskJson, ancestors, more, '}}'];
      }
      return spliceKeyPieces(e, 'proctree', [`{"version":${tree.version},`, entry.taskJson, ancestors, more, '}']);
    }
    if (raw !== undefined && at !== undefined && at.end === raw.length - 1 && !at.empty) {
      return [raw.slice(0, -1), `,"proctree":{"version":${tree.version},`, entry.taskJson, entry.ancestorsJson];
    }
    return spliceKeyPieces(e, 'proctree', [`{"version":${tree.version},`, entry.taskJson, entry.ancestorsJson.slice(0, -1)]);
  };
}
