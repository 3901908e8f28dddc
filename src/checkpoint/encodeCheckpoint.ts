/**
 * A builder's state → checkpoint bytes (format 1: see `checkpointFormat.ts`).
 *
 * @module
 */
import { gzipSync } from 'node:zlib';
import type { Changelog } from '../tree/changelog.js';
import { idsToArray } from '../tree/idSet.js';
import type { ExecState, ParentRef, ProcessNode, ThreadNode } from '../tree/model.js';
import type { FileRecord } from '../tree/records.js';
import type { Retention } from '../tree/store.js';
import type { TreeBuilder } from '../tree/treeBuilder.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_KIND, type BuilderSettings, type StreamPosition } from './checkpointFormat.js';

/** What {@link encodeCheckpoint} writes besides the builder. */
export interface CheckpointInput {
  /** The builder whose current tree, counters and eviction order are saved. */
  readonly builder: TreeBuilder;
  /** The options the builder was made with (a resumed builder is made with the same). */
  readonly settings: BuilderSettings;
  /** The builder's version retention (`history`); default: the builder's default. */
  readonly retention?: Retention;
  /** Where its input stood. */
  readonly position: StreamPosition;
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const nanos = (t: bigint | undefined): string | null => (t === undefined ? null : t.toString());
const opt = <T extends Json>(v: T | undefined): T | null => (v === undefined ? null : v);

const fileJson = (f: FileRecord | undefined): Json => (f === undefined ? null : [f.path, f.dev, f.inode.toString(), f.ctime.toString(), f.mode]);

const parentJson = (p: ParentRef): Json => [p.id, p.pid, opt(p.nsPid)];

const execJson = (e: ExecState): Json => [e.time.toString(), e.cmdpath, e.argv === undefined ? null : [...e.argv], fileJson(e.executable), fileJson(e.interpreter), fileJson(e.interp), e.inherited ? 1 : 0];

/** A changelog as its flat `[time, value, …]` list, each value through `value`. */
function logJson<V>(log: Changelog<V>, value: (v: V) => Json): Json {
  if (log === undefined) return null;
  const out: Json[] = [];
  for (let i = 0; i < log.length; i += 2) out.push((log[i] as bigint).toString(), value(log[i + 1] as V));
  return out;
}

const same = <V extends Json>(v: V): Json => v;

/** The fields every task has, in the format's order. */
const taskFields = (n: ProcessNode | ThreadNode): Json[] => [
  n.id,
  n.tid,
  n.pid,
  n.nsTid,
  n.nsPid,
  nanos(n.startTime),
  nanos(n.exitTime),
  opt(n.exitCode),
  logJson(n.name, same),
  logJson(n.uid, same),
  logJson(n.gid, same),
  n.placeholder ? 1 : 0,
];

/** One `p` line's array. */
export const processLine = (n: ProcessNode): Json => [
  'p',
  ...taskFields(n),
  n.spawnParentId,
  logJson(n.parent, parentJson),
  logJson(n.exec, execJson),
  n.containerId,
  idsToArray(n.children),
  idsToArray(n.threads),
  idsToArray(n.liveChildren),
  idsToArray(n.liveThreads),
  n.liveSince.toString(),
];

/** One `t` line's array. */
export const threadLine = (n: ThreadNode): Json => ['t', ...taskFields(n), n.leaderId];

/** The checkpoint's NDJSON text (uncompressed), one string per line (without newlines). */
export function checkpointLines(input: CheckpointInput): string[] {
  const { builder, settings, position } = input;
  const tree = builder.tree;
  const lines: string[] = [];
  const header = {
    format: CHECKPOINT_FORMAT,
    kind: CHECKPOINT_KIND,
    tree: {
      version: tree.version,
      time: tree.time.toString(),
      config: { maxFieldHistory: tree.config.maxFieldHistory, maxIdsPerPid: tree.config.maxIdsPerPid },
      retention: {
        maxVersions: input.retention?.maxVersions === undefined ? null : Number.isFinite(input.retention.maxVersions) ? input.retention.maxVersions : 'Infinity',
        maxSpanNs: nanos(input.retention?.maxSpanNs),
      },
      counters: { evictedProcesses: tree.counters.evictedProcesses, evictedThreads: tree.counters.evictedThreads },
    },
    builder: { ...settings, stats: { ...builder.stats } },
    position: {
      events: position.events,
      last: position.last === undefined ? null : { timestamp: position.last.timestamp.toString(), rank: position.last.rank, seq: position.last.seq },
      streamSeq: opt(position.streamSeq),
      findings: opt(position.findings),
    },
    counts: { processes: tree.processes.size, threads: tree.threads.size, pids: tree.pids.size },
  };
  lines.push(JSON.stringify(header));
  tree.processes.forEach((n) => lines.push(JSON.stringify(processLine(n))));
  tree.threads.forEach((n) => lines.push(JSON.stringify(threadLine(n))));
  tree.pids.forEach((ids, pid) => lines.push(JSON.stringify(['i', pid, [...ids]])));
  const r = builder.recency();
  const order = (o: typeof r.processes): Json => ({ live: [...o.live], exited: [...o.exited], held: [...o.held] });
  lines.push(JSON.stringify(['r', { processes: order(r.processes), threads: order(r.threads) }]));
  lines.push(JSON.stringify(['end', header.counts.processes, header.counts.threads, header.counts.pids]));
  return lines;
}

/**
 * The checkpoint of `input.builder` (its current tree, counters and eviction order) with the
 * stream position: gzip-compressed NDJSON, format 1. {@link decodeCheckpoint} reads it back and
 * `resumeBuilder` makes a builder that continues exactly where this one stands.
 *
 * @example
 * ```ts
 * import { encodeCheckpoint } from './encodeCheckpoint.js';
 * const bytes = encodeCheckpoint({ builder, settings: { source: 'events', processCacheSize: 16384, threadCacheSize: 32768 }, position: { events: 1000 } });
 * ```
 */
export function encodeCheckpoint(input: CheckpointInput): Buffer {
  return gzipSync(checkpointLines(input).join('\n') + '\n', { level: 6 });
}
