/**
 * Checkpoint bytes → plain content (format 1: see `checkpointFormat.ts`), every line checked:
 * anything else is a {@link CheckpointError} naming the line, never a half-read tree.
 *
 * @module
 */
import { gunzipSync } from 'node:zlib';
import type { EntityId, Nanos } from '../streams/types.js';
import type { TreeSource } from '../tree/feedFromEvents.js';
import { EMPTY_IDS, idsAdd, type IdSet } from '../tree/idSet.js';
import type { ExecState, ParentRef, ProcessNode, ThreadNode } from '../tree/model.js';
import type { FileRecord } from '../tree/records.js';
import type { TreeContent } from '../tree/restoreTree.js';
import type { Retention } from '../tree/store.js';
import type { BuilderRecency, EvictionOrder, TreeBuilderStats } from '../tree/treeBuilder.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_KIND, CheckpointError, type BuilderSettings, type StreamPosition } from './checkpointFormat.js';

/** A decoded checkpoint: what `resumeBuilder` needs. */
export interface Checkpoint {
  readonly tree: TreeContent;
  readonly settings: BuilderSettings;
  readonly stats: TreeBuilderStats;
  readonly recency: BuilderRecency;
  readonly position: StreamPosition;
}

/** Reads one line's values, throwing a {@link CheckpointError} with its number on anything unexpected. */
class LineReader {
  constructor(readonly line: number) {}

  fail(reason: string): never {
    throw new CheckpointError(this.line, reason);
  }

  int(v: unknown, what: string): number {
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(`${what}: expected an integer`);
    return v;
  }

  id(v: unknown, what: string): EntityId {
    const n = this.int(v, what);
    if (n < 0 || n > 0xffffffff) this.fail(`${what}: not a uint32`);
    return n;
  }

  nanos(v: unknown, what: string): Nanos {
    if (typeof v !== 'string' || !/^-?\d{1,20}$/.test(v)) this.fail(`${what}: expected a decimal integer string`);
    return BigInt(v);
  }

  optNanos(v: unknown, what: string): Nanos | undefined {
    return v === null ? undefined : this.nanos(v, what);
  }

  optInt(v: unknown, what: string): number | undefined {
    return v === null ? undefined : this.int(v, what);
  }

  str(v: unknown, what: string): string {
    if (typeof v !== 'string') this.fail(`${what}: expected a string`);
    return v;
  }

  array(v: unknown, what: string): readonly unknown[] {
    if (!Array.isArray(v)) this.fail(`${what}: expected an array`);
    return v;
  }

  ids(v: unknown, what: string): EntityId[] {
    return this.array(v, what).map((x) => this.id(x, what));
  }

  idSet(v: unknown, what: string): IdSet {
    let s = EMPTY_IDS;
    for (const id of this.ids(v, what)) s = idsAdd(s, id);
    return s;
  }

  /** A changelog: `null` or `[time, value, …]`, each value read by `value`. */
  log<V>(v: unknown, what: string, value: (x: unknown) => V): readonly (Nanos | V)[] | undefined {
    if (v === null) return undefined;
    const a = this.array(v, what);
    if (a.length % 2 !== 0 || a.length === 0) this.fail(`${what}: a changelog has time/value pairs`);
    const out: (Nanos | V)[] = [];
    for (let i = 0; i < a.length; i += 2) out.push(this.nanos(a[i], what), value(a[i + 1]));
    return out;
  }

  file(v: unknown, what: string): FileRecord | undefined {
    if (v === null) return undefined;
    const a = this.array(v, what);
    if (a.length !== 5) this.fail(`${what}: a file has 5 fields`);
    return { path: this.str(a[0], what), dev: this.int(a[1], what), inode: this.nanos(a[2], what), ctime: this.nanos(a[3], what), mode: this.int(a[4], what) };
  }

  parent(v: unknown): ParentRef {
    const a = this.array(v, 'parent');
    if (a.length !== 3) this.fail('parent: expected [id, pid, nsPid]');
    return { id: this.id(a[0], 'parent id'), pid: this.int(a[1], 'parent pid'), nsPid: this.optInt(a[2], 'parent nsPid') };
  }

  exec(v: unknown): ExecState {
    const a = this.array(v, 'exec');
    if (a.length !== 7) this.fail('exec: expected 7 fields');
    return {
      time: this.nanos(a[0], 'exec time'),
      cmdpath: this.str(a[1], 'exec cmdpath'),
      argv: a[2] === null ? undefined : this.array(a[2], 'exec argv').map((x) => this.str(x, 'exec argv')),
      executable: this.file(a[3], 'exec executable'),
      interpreter: this.file(a[4], 'exec interpreter'),
      interp: this.file(a[5], 'exec interp'),
      inherited: a[6] === 1,
    };
  }

  order(v: unknown, what: string): EvictionOrder {
    const o = this.object(v, what);
    return { live: this.ids(o['live'], `${what} live`), exited: this.ids(o['exited'], `${what} exited`), held: this.ids(o['held'], `${what} held`) };
  }

  object(v: unknown, what: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`${what}: expected an object`);
    return v as Record<string, unknown>;
  }
}

/** A task's common fields from a `p`/`t` line (indices 1–12). */
function taskOf(r: LineReader, a: readonly unknown[]) {
  return {
    id: r.id(a[1], 'id'),
    tid: r.int(a[2], 'tid'),
    pid: r.int(a[3], 'pid'),
    nsTid: r.int(a[4], 'nsTid'),
    nsPid: r.int(a[5], 'nsPid'),
    startTime: r.optNanos(a[6], 'startTime'),
    exitTime: r.optNanos(a[7], 'exitTime'),
    exitCode: r.optInt(a[8], 'exitCode'),
    name: r.log(a[9], 'name', (x) => r.str(x, 'name')),
    uid: r.log(a[10], 'uid', (x) => r.int(x, 'uid')),
    gid: r.log(a[11], 'gid', (x) => r.int(x, 'gid')),
    placeholder: a[12] === 1,
  };
}

/** A `p` line → a process node (fields in the order every process node has them). */
function processOf(r: LineReader, a: readonly unknown[]): ProcessNode {
  if (a.length !== 22) r.fail(`a process line has 22 fields, got ${a.length}`);
  const t = taskOf(r, a);
  return {
    kind: 'process',
    ...t,
    spawnParentId: r.id(a[13], 'spawnParentId'),
    parent: r.log(a[14], 'parent', (x) => r.parent(x)),
    exec: r.log(a[15], 'exec', (x) => r.exec(x)),
    containerId: r.str(a[16], 'containerId'),
    children: r.idSet(a[17], 'children'),
    threads: r.idSet(a[18], 'threads'),
    liveChildren: r.idSet(a[19], 'liveChildren'),
    liveThreads: r.idSet(a[20], 'liveThreads'),
    liveSince: r.nanos(a[21], 'liveSince'),
    _cv: 0,
    _wv: 0,
    _uh: -1,
    _mc: undefined,
    _pm: undefined,
  };
}

/** A `t` line → a thread node. */
function threadOf(r: LineReader, a: readonly unknown[]): ThreadNode {
  if (a.length !== 14) r.fail(`a thread line has 14 fields, got ${a.length}`);
  return { kind: 'thread', ...taskOf(r, a), leaderId: r.id(a[13], 'leaderId'), _cv: 0, _wv: 0, _uh: -1, _mc: undefined };
}

const SOURCES: readonly TreeSource[] = ['none', 'events', 'signals', 'both'];
const STAT_KEYS = ['events', 'lifecycleEvents', 'records', 'unchanged', 'unusable', 'evictedProcesses', 'evictedThreads'] as const;

/** The header line → everything but the entities. */
function headerOf(r: LineReader, v: unknown) {
  const h = r.object(v, 'header');
  if (h['kind'] !== CHECKPOINT_KIND) r.fail('not a proctree-rx checkpoint');
  if (h['format'] !== CHECKPOINT_FORMAT) r.fail(`format ${String(h['format'])} is not supported (this version reads format ${CHECKPOINT_FORMAT})`);
  const tree = r.object(h['tree'], 'tree');
  const config = r.object(tree['config'], 'config');
  const retention = r.object(tree['retention'], 'retention');
  const counters = r.object(tree['counters'], 'counters');
  const builder = r.object(h['builder'], 'builder');
  const stats = r.object(builder['stats'], 'stats');
  const position = r.object(h['position'], 'position');
  const counts = r.object(h['counts'], 'counts');
  const source = builder['source'];
  if (!SOURCES.includes(source as TreeSource)) r.fail('builder source: unknown');
  const maxVersions = retention['maxVersions'];
  const maxSpanNs = r.optNanos(retention['maxSpanNs'], 'maxSpanNs');
  const ret: Retention = {
    ...(maxVersions === null ? {} : { maxVersions: maxVersions === 'Infinity' ? Number.POSITIVE_INFINITY : r.int(maxVersions, 'maxVersions') }),
    ...(maxSpanNs === undefined ? {} : { maxSpanNs }),
  };
  const last = position['last'] === null || position['last'] === undefined ? undefined : r.object(position['last'], 'position last');
  const statValues = Object.fromEntries(STAT_KEYS.map((k) => [k, r.int(stats[k], `stats ${k}`)])) as Record<(typeof STAT_KEYS)[number], number>;
  return {
    version: r.int(tree['version'], 'version'),
    time: r.nanos(tree['time'], 'time'),
    config: { maxFieldHistory: r.int(config['maxFieldHistory'], 'maxFieldHistory'), maxIdsPerPid: r.int(config['maxIdsPerPid'], 'maxIdsPerPid') },
    retention: ret,
    counters: { evictedProcesses: r.int(counters['evictedProcesses'], 'evictedProcesses'), evictedThreads: r.int(counters['evictedThreads'], 'evictedThreads') },
    settings: { source: source as TreeSource, processCacheSize: r.int(builder['processCacheSize'], 'processCacheSize'), threadCacheSize: r.int(builder['threadCacheSize'], 'threadCacheSize') },
    stats: statValues,
    position: {
      events: r.int(position['events'], 'position events'),
      last: last === undefined ? undefined : { timestamp: r.nanos(last['timestamp'], 'last timestamp'), rank: r.int(last['rank'], 'last rank'), seq: r.int(last['seq'], 'last seq') },
      streamSeq: r.optInt(position['streamSeq'] ?? null, 'streamSeq'),
      findings: r.optInt(position['findings'] ?? null, 'findings'),
    },
    counts: { processes: r.int(counts['processes'], 'processes'), threads: r.int(counts['threads'], 'threads'), pids: r.int(counts['pids'], 'pids') },
  };
}

const parseLine = (text: string, line: number): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CheckpointError(line, `invalid JSON: ${(err as Error).message}`);
  }
};

/**
 * Reads checkpoint bytes (gzip-compressed, or the plain NDJSON) into the content a builder is
 * resumed from.
 *
 * @throws CheckpointError naming the line when the bytes are not a complete format-1 checkpoint.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { decodeCheckpoint } from './decodeCheckpoint.js';
 * const cp = decodeCheckpoint(readFileSync('tree.ckpt'));
 * console.log(cp.tree.version, cp.position.events);
 * ```
 */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  let text: string;
  try {
    text = (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : Buffer.from(bytes)).toString('utf8');
  } catch (err) {
    throw new CheckpointError(0, `cannot decompress: ${(err as Error).message}`);
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new CheckpointError(0, 'empty');
  const header = headerOf(new LineReader(1), parseLine(lines[0]!, 1));
  const processes: ProcessNode[] = [];
  const threads: ThreadNode[] = [];
  const pids: [number, EntityId[]][] = [];
  let recency: BuilderRecency | undefined;
  let ended = false;
  for (let i = 1; i < lines.length; i++) {
    const r = new LineReader(i + 1);
    if (ended) r.fail('data after the end line');
    const a = r.array(parseLine(lines[i]!, i + 1), 'line');
    switch (a[0]) {
      case 'p':
        processes.push(processOf(r, a));
        break;
      case 't':
        threads.push(threadOf(r, a));
        break;
      case 'i':
        pids.push([r.int(a[1], 'pid'), r.ids(a[2], 'pid holders')]);
        break;
      case 'r': {
        const o = r.object(a[1], 'recency');
        recency = { processes: r.order(o['processes'], 'processes'), threads: r.order(o['threads'], 'threads') };
        break;
      }
      case 'end':
        if (a[1] !== processes.length || a[2] !== threads.length || a[3] !== pids.length) r.fail('counts do not match the lines read');
        ended = true;
        break;
      default:
        r.fail(`unknown line kind ${JSON.stringify(a[0])}`);
    }
  }
  if (!ended) throw new CheckpointError(lines.length, 'cut short (no end line)');
  if (recency === undefined) throw new CheckpointError(lines.length, 'no eviction order (r) line');
  const { counts } = header;
  if (counts.processes !== processes.length || counts.threads !== threads.length || counts.pids !== pids.length) throw new CheckpointError(1, 'header counts do not match the lines');
  return {
    tree: { version: header.version, time: header.time, config: header.config, retention: header.retention, counters: header.counters, processes, threads, pids },
    settings: header.settings,
    stats: header.stats,
    recency,
    position: header.position,
  };
}
