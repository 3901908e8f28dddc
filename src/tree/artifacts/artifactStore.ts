/**
 * Per-process artifacts (files, network peers, DNS names, executions, kernel modules, credential
 * changes, ptrace, per-syscall counts), accumulated from the events each process produces,
 * bounded per process and in total, and answered as of any time within their retained history.
 *
 * The store is its own module beside the tree: the {@link TreeBuilder} hands it each event with
 * its process entity id after the tree was updated, and tells it which processes the tree's
 * bounds evicted (their artifacts go with them). It keeps its own time stamps: every change is
 * logged (bounded, `maxChanges`), so an answer as of T undoes the changes after T — exact while
 * those changes are retained, and flagged (`complete: false`) when not.
 *
 * @module
 */
import { argsOf } from '../../streams/argsOf.js';
import { headOf, type EntityId, type Envelope, type Nanos } from '../../streams/types.js';
import { ARTIFACT_TABLE, type ArtifactRule, type EventGroup, type FileOp, type NetOp } from './artifactTable.js';

/** Bounds of an {@link ArtifactStore}. Entries beyond a bound fold into counters, never silently. */
export interface ArtifactLimits {
  /** Distinct (operation, path) entries per process (default 64). */
  readonly filesPerProcess?: number;
  /** Distinct (operation, family, address, port) entries per process (default 32). */
  readonly peersPerProcess?: number;
  /** Distinct DNS names per process (default 32). */
  readonly dnsPerProcess?: number;
  /** Executions kept per process, newest last (default 16). */
  readonly execsPerProcess?: number;
  /** Module, credential and ptrace events kept per process and group, newest last (default 16). */
  readonly eventsPerProcess?: number;
  /** Distinct event names counted per process (default 64; the rest count together). */
  readonly syscallsPerProcess?: number;
  /** File, peer and DNS entries over all processes (default 262 144). */
  readonly totalEntries?: number;
  /** Logged changes over all processes: how far back as-of answers are exact (default 65 536). */
  readonly maxChanges?: number;
  /** Paths remembered as written, for "written then executed" (default 4096). */
  readonly writtenPaths?: number;
}

/** One file artifact: what a process did to a path, how often, first and last time. */
export interface FileArtifact {
  readonly op: FileOp;
  readonly path: string;
  /** The open flags the first time (Tracee's text, or the number as text); `''` when none. */
  readonly flags: string;
  readonly count: number;
  readonly firstTime: Nanos;
  readonly lastTime: Nanos;
}

/** One network artifact: an operation on a socket address. */
export interface NetArtifact {
  readonly op: NetOp;
  /** `AF_INET`, `AF_INET6`, `AF_UNIX`, … (`''` when not given). */
  readonly family: string;
  /** IP address, or the unix socket path. */
  readonly address: string;
  /** 0 when none (unix sockets, listen without an address). */
  readonly port: number;
  readonly count: number;
  readonly firstTime: Nanos;
  readonly lastTime: Nanos;
}

/** A DNS name the process asked for. */
export interface DnsArtifact {
  readonly name: string;
  readonly count: number;
  readonly firstTime: Nanos;
  readonly lastTime: Nanos;
}

/** Who wrote a binary before it was executed. */
export interface WrittenBy {
  readonly entityId: EntityId;
  readonly time: Nanos;
}

/** One execution by the process. */
export interface ExecArtifact {
  readonly time: Nanos;
  readonly path: string;
  /** The last process seen writing (or renaming into place) this path before the exec. */
  readonly writtenBy: WrittenBy | undefined;
}

/** One module, credential or ptrace event. */
export interface EventArtifact {
  readonly time: Nanos;
  /** The event name, e.g. `setuid`, `finit_module`, `ptrace`. */
  readonly event: string;
  /** Its kept arguments (strings cut to 256 characters; objects as JSON text). */
  readonly detail: Readonly<Record<string, string | number | boolean>>;
}

/** What was folded into counters by the bounds: entries dropped and the events they counted. */
export interface FoldedCount {
  readonly entries: number;
  readonly events: number;
}

/** The artifacts of one process as of a time. */
export interface ProcessArtifacts {
  readonly entityId: EntityId;
  /** The time the answer is of. */
  readonly time: Nanos;
  /**
   * `true` when every change after `time` is still logged (the answer is exact); `false` when
   * `time` is before the oldest retained change of this process (the answer is then the oldest
   * state the store can tell, later than `time`).
   */
  readonly complete: boolean;
  /** By first time. */
  readonly files: readonly FileArtifact[];
  readonly network: readonly NetArtifact[];
  readonly dns: readonly DnsArtifact[];
  readonly executions: readonly ExecArtifact[];
  readonly modules: readonly EventArtifact[];
  readonly credentials: readonly EventArtifact[];
  readonly ptrace: readonly EventArtifact[];
  /** Events of the process by name (every event, artifact or not). */
  readonly syscalls: Readonly<Record<string, number>>;
  /** What the bounds folded away, per kind (`syscalls`: events of names beyond the bound). */
  readonly folded: {
    readonly files: FoldedCount;
    readonly network: FoldedCount;
    readonly dns: FoldedCount;
    readonly executions: FoldedCount;
    readonly events: FoldedCount;
    readonly syscalls: FoldedCount;
  };
}

/** Counts of a process's artifacts (folded ones included). */
export interface ArtifactSummary {
  /** Distinct (operation, path) pairs. */
  readonly files: number;
  /** Distinct (operation, address) pairs. */
  readonly peers: number;
  readonly dns: number;
  readonly executions: number;
  /** Module, credential and ptrace events. */
  readonly events: number;
}

/** Sizes of an {@link ArtifactStore} (every one bounded by its limits). */
export interface ArtifactFootprint {
  readonly processes: number;
  /** File, peer and DNS entries. */
  readonly entries: number;
  /** Executions and module/credential/ptrace events kept. */
  readonly listed: number;
  /** Logged changes (as-of history). */
  readonly changes: number;
  readonly writtenPaths: number;
}

/** What readers of artifacts need of an {@link ArtifactStore}: as-of answers (read-only). */
export interface ArtifactsAsOf {
  /** The artifacts of process `id` as of `time`, or `undefined` when none are held for it. */
  at(id: EntityId, time: Nanos): ProcessArtifacts | undefined;
  /** The last process seen writing `path` at or before `time`, if remembered. */
  writerOf(path: string, time: Nanos): WrittenBy | undefined;
}

// ── internals ──

type Kind = 'files' | 'network' | 'dns';

interface Entry {
  readonly kind: Kind;
  readonly key: string;
  readonly file: { readonly op: FileOp; readonly path: string; readonly flags: string } | undefined;
  readonly net: { readonly op: NetOp; readonly family: string; readonly address: string; readonly port: number } | undefined;
  count: number;
  readonly firstTime: Nanos;
  lastTime: Nanos;
}

/** Flags of a logged change. */
const CREATED = 1;
const FOLDED = 2;

interface Counter {
  entries: number;
  events: number;
}

interface Proc {
  readonly id: EntityId;
  alive: boolean;
  readonly maps: Record<Kind, Map<string, Entry>>;
  readonly executions: ExecArtifact[];
  readonly groups: Record<EventGroup, EventArtifact[]>;
  readonly syscalls: Map<string, number>;
  readonly folded: Record<Kind | 'executions' | 'events' | 'syscalls', Counter>;
  /** Latest time of anything this process lost from its history (0n: nothing). */
  horizon: Nanos;
  newest: Nanos;
  /** `countsJson`'s text, until a count changes (`undefined`: to compute). */
  countsText: string | undefined;
}

const OTHER = '';

/** The argument names each rule reads (only those are parsed). */
const WANTED = new Map<ArtifactRule, ReadonlySet<string>>(
  [...ARTIFACT_TABLE.values()].map((r) => {
    const names = r.kind === 'file' ? [...r.path, ...(r.flags ?? []), ...(r.to ?? [])] : r.kind === 'net' ? r.addr : r.kind === 'dns' ? r.message : r.kind === 'exec' ? r.path : r.detail;
    return [r, new Set(names)];
  }),
);
const DETAIL_CHARS = 256;
const WRITE_FLAGS = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/;
/** O_WRONLY | O_RDWR | O_CREAT | O_TRUNC */
const WRITE_BITS = 1 | 2 | 0o100 | 0o1000;

const first = (args: ReadonlyMap<string, unknown>, names: readonly string[]): unknown => {
  for (const n of names) {
    const v = args.get(n);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
};

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : '');

/**
 * A copy of `s` that holds no reference to the text it was cut from: argument values are slices
 * of their event's line, and a kept slice would keep the whole line alive.
 */
const own = (s: string): string => (' ' + s).slice(1);

/** `s` cut to {@link DETAIL_CHARS} (marked), as an own copy. */
const cut = (s: string): string => own(s.length <= DETAIL_CHARS ? s : `${s.slice(0, DETAIL_CHARS)}…[+${s.length - DETAIL_CHARS} chars]`);

/** Open flags as text, and whether they open for writing. */
function flagsOf(v: unknown): { text: string; write: boolean } {
  if (typeof v === 'number') return { text: String(v), write: (v & WRITE_BITS) !== 0 };
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return flagsOf(Number(v));
    return { text: v, write: WRITE_FLAGS.test(v) };
  }
  if (typeof v === 'object' && v !== null) return flagsOf((v as Record<string, unknown>)['flags']);
  return { text: '', write: false };
}

/** A sockaddr argument (Tracee's map of strings) → family, address, port. */
function sockaddrOf(v: unknown): { family: string; address: string; port: number } | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const a = v as Record<string, unknown>;
  const family = text(a['sa_family']);
  const address = text(a['sin_addr'] ?? a['sin6_addr'] ?? a['sun_path']);
  const port = Number(text(a['sin_port'] ?? a['sin6_port']) || 0);
  if (family === '' && address === '') return undefined;
  return { family, address, port: Number.isFinite(port) ? port : 0 };
}

/** DNS names of a `proto_dns` message or a question list. */
function dnsNamesOf(v: unknown): string[] {
  const questions = Array.isArray(v) ? v : typeof v === 'object' && v !== null ? (v as Record<string, unknown>)['questions'] : undefined;
  if (!Array.isArray(questions)) return [];
  const names: string[] = [];
  for (const q of questions) {
    if (typeof q !== 'object' || q === null) continue;
    const name = text((q as Record<string, unknown>)['name'] ?? (q as Record<string, unknown>)['query']);
    if (name !== '') names.push(cut(name));
  }
  return names;
}

const detailOf = (args: ReadonlyMap<string, unknown>, names: readonly string[]): Record<string, string | number | boolean> => {
  const out: Record<string, string | number | boolean> = {};
  for (const n of names) {
    const v = args.get(n);
    if (v === undefined || v === null) continue;
    if (typeof v === 'number' || typeof v === 'boolean') out[n] = v;
    else if (typeof v === 'string') out[n] = cut(v);
    else {
      let json: string;
      try {
        json = JSON.stringify(v) ?? '';
      } catch {
        json = '';
      }
      out[n] = cut(json);
    }
  }
  return out;
};

const newProc = (id: EntityId): Proc => ({
  id,
  alive: true,
  maps: { files: new Map(), network: new Map(), dns: new Map() },
  executions: [],
  groups: { modules: [], credentials: [], ptrace: [] },
  syscalls: new Map(),
  folded: {
    files: { entries: 0, events: 0 },
    network: { entries: 0, events: 0 },
    dns: { entries: 0, events: 0 },
    executions: { entries: 0, events: 0 },
    events: { entries: 0, events: 0 },
    syscalls: { entries: 0, events: 0 },
  },
  horizon: 0n,
  newest: 0n,
  countsText: undefined,
});

const byFirstTime = <T extends { readonly firstTime: Nanos }>(a: T, b: T): number => (a.firstTime < b.firstTime ? -1 : a.firstTime > b.firstTime ? 1 : 0);

/**
 * What each process did — files, network peers, DNS names, executions (with who wrote the
 * binary), kernel modules, credential changes, ptrace and per-syscall counts — as of any time.
 * Give one to a {@link TreeBuilder} (`artifacts` option; the `pipeline` and `enrich` options
 * `artifacts: true` make one): it is fed every event after the tree, and drops a process's
 * artifacts when the tree evicts the process. Bounded per process and in total (see
 * {@link ArtifactLimits}); what a bound drops is counted in `folded`. Which events feed which
 * artifact is one table (`ARTIFACT_TABLE`); other events only count per name.
 *
 * Cost: one map lookup per event, plus, for an artifact event, its `args` text parsed and one
 * logged change. An answer as of T walks the process's changes after T.
 *
 * @example
 * ```ts
 * import { ArtifactStore, TreeBuilder } from 'proctree-rx';
 * const artifacts = new ArtifactStore({ filesPerProcess: 128 });
 * const builder = new TreeBuilder({ artifacts });
 * for (const env of envelopes) builder.applyEnvelope(env);
 * const then = artifacts.at(entityId, 1795582946700000000n); // ProcessArtifacts | undefined
 * console.log(then?.files.map((f) => `${f.op} ${f.path} ×${f.count}`), then?.network);
 * ```
 */
export class ArtifactStore implements ArtifactsAsOf {
  private readonly procs = new Map<EntityId, Proc>();
  /**
   * The change log, a ring of `maxChanges` slots in parallel arrays (no object per change): each
   * change's process, time, entry touched or folded, flags, the entry's previous last time and the
   * event name counted (`''`: among the folded names; `undefined`: none). `next` is the slot the
   * next change takes; `size` the slots in use.
   */
  private readonly ringProc: (Proc | undefined)[];
  private readonly ringTime: BigUint64Array;
  private readonly ringEntry: (Entry | undefined)[];
  private readonly ringFlags: Uint8Array;
  private readonly ringPrev: BigUint64Array;
  private readonly ringName: (string | undefined)[];
  private next = 0;
  private size = 0;
  /** What the last `touch` left: the entry (undefined: none), whether it created it, its last time before. */
  private tEntry: Entry | undefined = undefined;
  private tCreated = false;
  private tPrev: Nanos = 0n;
  private readonly flagTexts = new Map<string, string>();
  private entries = 0;
  private listed = 0;
  private readonly written = new Map<string, WrittenBy>();
  private readonly limits: Required<ArtifactLimits>;

  constructor(limits: ArtifactLimits = {}) {
    this.limits = {
      filesPerProcess: Math.max(1, limits.filesPerProcess ?? 64),
      peersPerProcess: Math.max(1, limits.peersPerProcess ?? 32),
      dnsPerProcess: Math.max(1, limits.dnsPerProcess ?? 32),
      execsPerProcess: Math.max(1, limits.execsPerProcess ?? 16),
      eventsPerProcess: Math.max(1, limits.eventsPerProcess ?? 16),
      syscallsPerProcess: Math.max(1, limits.syscallsPerProcess ?? 64),
      totalEntries: Math.max(1, limits.totalEntries ?? 262_144),
      maxChanges: Math.max(1, limits.maxChanges ?? 65_536),
      writtenPaths: Math.max(1, limits.writtenPaths ?? 4096),
    };
    const n = this.limits.maxChanges;
    this.ringProc = new Array<Proc | undefined>(n).fill(undefined);
    this.ringTime = new BigUint64Array(n);
    this.ringEntry = new Array<Entry | undefined>(n).fill(undefined);
    this.ringFlags = new Uint8Array(n);
    this.ringPrev = new BigUint64Array(n);
    this.ringName = new Array<string | undefined>(n).fill(undefined);
  }

  /**
   * Feeds one event of process `processId` (after the tree applied it). Events without a process
   * (signals, `processId` 0) are ignored; unknown events only count per name. Never throws on
   * malformed arguments (they are left out).
   */
  record(env: Envelope, processId: EntityId): void {
    if (!processId) return;
    const name = headOf(env).eventName;
    if (typeof name !== 'string' || name === '') return;
    const time = env.timestamp;
    let p = this.procs.get(processId);
    if (p === undefined) {
      p = newProc(processId);
      this.procs.set(processId, p);
    }
    if (time > p.newest) p.newest = time;
    const counted = this.count(p, name);
    const rule = ARTIFACT_TABLE.get(name);
    this.tEntry = undefined;
    if (rule !== undefined) this.apply(p, rule, env, name, time);
    this.log(p, time, this.tEntry, this.tCreated ? CREATED : 0, this.tPrev, counted);
  }

  /** The tree dropped process `id`: its artifacts go. */
  forget(id: EntityId): void {
    const p = this.procs.get(id);
    if (p === undefined) return;
    p.alive = false;
    this.procs.delete(id);
    this.entries -= p.maps.files.size + p.maps.network.size + p.maps.dns.size;
    this.listed -= p.executions.length + p.groups.modules.length + p.groups.credentials.length + p.groups.ptrace.length;
  }

  /** Does the store hold artifacts of process `id`? */
  has(id: EntityId): boolean {
    return this.procs.has(id);
  }

  /** Ids of the processes with artifacts. */
  ids(): EntityId[] {
    return [...this.procs.keys()];
  }

  /**
   * The artifacts of process `id` as of `time` (a change at `time` is visible, as everywhere in
   * proctree-rx); `undefined` when the store holds none for it. See
   * {@link ProcessArtifacts.complete} for answers older than the retained changes.
   */
  at(id: EntityId, time: Nanos): ProcessArtifacts | undefined {
    const p = this.procs.get(id);
    if (p === undefined) return undefined;
    return this.view(p, time);
  }

  /**
   * Counts of process `id`'s artifacts now (O(1)): what `enrich --artifacts` writes on each line.
   * `undefined` when the store holds none for it.
   */
  summary(id: EntityId): ArtifactSummary | undefined {
    const p = this.procs.get(id);
    if (p === undefined) return undefined;
    const f = p.folded;
    return {
      files: p.maps.files.size + f.files.entries,
      peers: p.maps.network.size + f.network.entries,
      dns: p.maps.dns.size + f.dns.entries,
      executions: p.executions.length + f.executions.entries,
      events: p.groups.modules.length + p.groups.credentials.length + p.groups.ptrace.length + f.events.entries,
    };
  }

  /**
   * {@link ArtifactStore.summary} as JSON text (`{"files":N,"peers":N,"dns":N,"executions":N,"events":N}`),
   * kept per process until a count changes: what `enrich --artifacts` writes on each line.
   */
  countsJson(id: EntityId): string | undefined {
    const p = this.procs.get(id);
    if (p === undefined) return undefined;
    if (p.countsText === undefined) {
      const s = this.summary(id)!;
      p.countsText = `{"files":${s.files},"peers":${s.peers},"dns":${s.dns},"executions":${s.executions},"events":${s.events}}`;
    }
    return p.countsText;
  }

  /** The last process seen writing `path` at or before `time`, if remembered. */
  writerOf(path: string, time: Nanos): WrittenBy | undefined {
    const w = this.written.get(path);
    return w !== undefined && w.time <= time ? w : undefined;
  }

  /** Sizes (for bound checks and monitoring). */
  footprint(): ArtifactFootprint {
    return { processes: this.procs.size, entries: this.entries, listed: this.listed, changes: this.size, writtenPaths: this.written.size };
  }

  // ── feeding ──

  private count(p: Proc, name: string): string {
    const n = p.syscalls.get(name);
    if (n !== undefined) {
      p.syscalls.set(name, n + 1);
      return name;
    }
    if (p.syscalls.size < this.limits.syscallsPerProcess) {
      p.syscalls.set(own(name), 1);
      return name;
    }
    const f = p.folded.syscalls;
    f.events++;
    return OTHER;
  }

  /** Feeds one artifact event; the entry it touched (if any) is left in `tEntry` / `tCreated` / `tPrev`. */
  private apply(p: Proc, rule: ArtifactRule, env: Envelope, name: string, time: Nanos): void {
    const args = argsOf(env, WANTED.get(rule));
    switch (rule.kind) {
      case 'file': {
        let path = text(first(args, rule.path));
        if (path === '') return;
        if (rule.op === 'memfd') path = `memfd:${path}`;
        let op = rule.op;
        let flags = '';
        if (rule.flags !== undefined) {
          const f = flagsOf(first(args, rule.flags));
          flags = f.text;
          if (f.write) op = 'write';
        }
        if (rule.to !== undefined) {
          const to = text(first(args, rule.to));
          if (to !== '') {
            // the rename's new path is a change of its own (logged, so as-of answers undo it too)
            this.touch(p, 'files', `rename-to\0${to}`, time, 'rename-to', to, '', undefined);
            if (this.tEntry !== undefined) this.log(p, time, this.tEntry, this.tCreated ? CREATED : 0, this.tPrev, undefined);
            this.tEntry = undefined;
            this.wrote(to, p.id, time);
          }
        }
        if (op === 'write') this.wrote(path, p.id, time);
        // a plain open (the bulk of a capture) is keyed by its path alone: no key text to build
        this.touch(p, 'files', op === 'open' ? path : `${op}\0${path}`, time, op, path, flags, undefined);
        return;
      }
      case 'net': {
        const a = sockaddrOf(first(args, rule.addr)) ?? { family: '', address: '', port: 0 };
        if (rule.addr.length > 0 && a.family === '' && a.address === '') return;
        this.touch(p, 'network', `${rule.op}\0${a.family}\0${a.address}\0${a.port}`, time, undefined, '', '', { op: rule.op, family: a.family, address: a.address, port: a.port });
        return;
      }
      case 'dns': {
        const names = dnsNamesOf(first(args, rule.message));
        for (let i = 0; i < names.length; i++) {
          if (this.tEntry !== undefined) this.log(p, time, this.tEntry, this.tCreated ? CREATED : 0, this.tPrev, undefined);
          this.tEntry = undefined;
          this.touch(p, 'dns', names[i]!, time, undefined, '', '', undefined);
        }
        return;
      }
      case 'exec': {
        const path = text(first(args, rule.path));
        const writtenBy = path === '' ? undefined : this.writerOf(path, time);
        this.push(p, p.executions, { time, path: cut(path), writtenBy }, this.limits.execsPerProcess, 'executions');
        return;
      }
      case 'event':
        this.push(p, p.groups[rule.group], { time, event: name, detail: detailOf(args, rule.detail) }, this.limits.eventsPerProcess, 'events');
        return;
    }
  }

  /** One shared copy per distinct flags text (few distinct; bounded). */
  private flagText(flags: string): string {
    let t = this.flagTexts.get(flags);
    if (t === undefined) {
      t = own(flags);
      if (this.flagTexts.size < 1024) this.flagTexts.set(t, t);
    }
    return t;
  }

  /** Remembers that `id` wrote `path` at `time` (bounded: the least recently written path goes). */
  private wrote(path: string, id: EntityId, time: Nanos): void {
    if (!this.written.delete(path)) path = own(path);
    this.written.set(path, { entityId: id, time });
    if (this.written.size > this.limits.writtenPaths) {
      const oldest = this.written.keys().next().value;
      if (oldest !== undefined) this.written.delete(oldest);
    }
  }

  private push<T extends { readonly time: Nanos }>(p: Proc, list: T[], item: T, bound: number, fold: 'executions' | 'events'): void {
    list.push(item);
    this.listed++;
    p.countsText = undefined;
    if (list.length > bound) {
      const gone = list.shift()!;
      this.listed--;
      p.folded[fold].entries++;
      p.folded[fold].events++;
      if (gone.time > p.horizon) p.horizon = gone.time;
    }
  }

  private bound(kind: Kind): number {
    return kind === 'files' ? this.limits.filesPerProcess : kind === 'network' ? this.limits.peersPerProcess : this.limits.dnsPerProcess;
  }

  /**
   * Counts one use of the entry `key`, creating it (a file entry from `op`/`path`/`flags`, a peer
   * from `net`) and folding the rarest, oldest one beyond a bound. Leaves the entry in `tEntry`
   * (undefined when the use itself was folded), whether it was created, and its last time before.
   */
  private touch(p: Proc, kind: Kind, key: string, time: Nanos, op: FileOp | undefined, path: string, flags: string, net: Entry['net']): void {
    const map = p.maps[kind];
    const found = map.get(key);
    if (found !== undefined) {
      this.tEntry = found;
      this.tCreated = false;
      this.tPrev = found.lastTime;
      found.count++;
      if (time > found.lastTime) found.lastTime = time;
      return;
    }
    if (map.size >= this.bound(kind) || this.entries >= this.limits.totalEntries) {
      if (map.size === 0) {
        // nothing of this process to fold: the new use itself is folded (not undone by as-of answers)
        p.folded[kind].events++;
        if (time > p.horizon) p.horizon = time;
        p.countsText = undefined;
        this.tEntry = undefined;
        return;
      }
      this.fold(p, kind, time);
    }
    const ownKey = own(key);
    const entry: Entry = {
      kind,
      key: ownKey,
      // a plain open's key is its path: one copy serves both; flag texts repeat: one copy each
      file: op === undefined ? undefined : { op, path: key === path && path.length <= DETAIL_CHARS ? ownKey : cut(path), flags: this.flagText(flags) },
      net: net === undefined ? undefined : { op: net.op, family: own(net.family), address: cut(net.address), port: net.port },
      count: 1,
      firstTime: time,
      lastTime: time,
    };
    map.set(entry.key, entry);
    this.entries++;
    p.countsText = undefined;
    this.tEntry = entry;
    this.tCreated = true;
    this.tPrev = 0n;
  }

  /** Folds the entry of `kind` with the fewest uses (the least recently used among them) into the counters. */
  private fold(p: Proc, kind: Kind, time: Nanos): void {
    let victim: Entry | undefined;
    for (const e of p.maps[kind].values()) {
      if (victim === undefined || e.count < victim.count || (e.count === victim.count && e.lastTime < victim.lastTime)) victim = e;
    }
    if (victim === undefined) return;
    p.maps[kind].delete(victim.key);
    this.entries--;
    p.countsText = undefined;
    p.folded[kind].entries++;
    p.folded[kind].events += victim.count;
    this.log(p, time, victim, FOLDED, victim.lastTime, undefined);
  }

  /** Logs a change; beyond `maxChanges` the oldest change (of any process) is forgotten and its process's history starts later. */
  private log(p: Proc, time: Nanos, entry: Entry | undefined, flags: number, prevLast: Nanos, name: string | undefined): void {
    const i = this.next;
    const q = this.ringProc[i];
    if (q !== undefined) {
      // the oldest change is overwritten: its process's history now starts after it
      const gone = this.ringTime[i]!;
      if (q.alive && gone > q.horizon) q.horizon = gone;
    } else this.size++;
    this.ringProc[i] = p;
    this.ringTime[i] = time;
    this.ringEntry[i] = entry;
    this.ringFlags[i] = flags;
    this.ringPrev[i] = prevLast;
    this.ringName[i] = name;
    this.next = i + 1 === this.ringProc.length ? 0 : i + 1;
  }

  // ── answering ──

  private view(p: Proc, time: Nanos): ProcessArtifacts {
    // changes after `time`, undone: per entry, uses to subtract and the last time before them
    const undo = new Map<Entry, { uses: number; last: Nanos; created: boolean }>();
    const folded = new Map<Entry, true>();
    const syscalls = new Map(p.syscalls);
    const foldedCounts = {
      files: { ...p.folded.files },
      network: { ...p.folded.network },
      dns: { ...p.folded.dns },
      executions: { ...p.folded.executions },
      events: { ...p.folded.events },
      syscalls: { ...p.folded.syscalls },
    };
    if (time < p.newest) {
      // every retained change of this process after `time`, newest first (late events may sit anywhere)
      const cap = this.ringProc.length;
      for (let k = 0, i = this.next; k < this.size; k++) {
        i = i === 0 ? cap - 1 : i - 1;
        if (this.ringProc[i] !== p) continue;
        const t = this.ringTime[i]!;
        if (t <= time) continue;
        const name = this.ringName[i];
        if (name !== undefined) {
          if (name === OTHER) foldedCounts.syscalls.events--;
          else {
            const n = (syscalls.get(name) ?? 0) - 1;
            if (n > 0) syscalls.set(name, n);
            else syscalls.delete(name);
          }
        }
        const e = this.ringEntry[i];
        if (e === undefined) continue;
        const flags = this.ringFlags[i]!;
        if ((flags & FOLDED) !== 0) {
          // folded after `time`: it was still an entry then
          folded.set(e, true);
          foldedCounts[e.kind].entries--;
          foldedCounts[e.kind].events -= e.count;
          continue;
        }
        const u = undo.get(e) ?? { uses: 0, last: e.lastTime, created: false };
        u.uses++;
        u.last = this.ringPrev[i]!;
        if ((flags & CREATED) !== 0) u.created = true;
        undo.set(e, u);
      }
    }
    const entriesOf = (kind: Kind): Entry[] => {
      const out: Entry[] = [...p.maps[kind].values()];
      for (const e of folded.keys()) if (e.kind === kind) out.push(e);
      return out;
    };
    const asOf = (e: Entry): { count: number; lastTime: Nanos } | undefined => {
      const u = undo.get(e);
      if (u === undefined) return { count: e.count, lastTime: e.lastTime };
      const count = e.count - u.uses;
      if (u.created || count <= 0) return undefined;
      return { count, lastTime: u.last };
    };
    const files: FileArtifact[] = [];
    for (const e of entriesOf('files')) {
      const n = asOf(e);
      if (n !== undefined && e.file !== undefined) files.push({ op: e.file.op, path: e.file.path, flags: e.file.flags, count: n.count, firstTime: e.firstTime, lastTime: n.lastTime });
    }
    const network: NetArtifact[] = [];
    for (const e of entriesOf('network')) {
      const n = asOf(e);
      if (n !== undefined && e.net !== undefined) network.push({ ...e.net, count: n.count, firstTime: e.firstTime, lastTime: n.lastTime });
    }
    const dns: DnsArtifact[] = [];
    for (const e of entriesOf('dns')) {
      const n = asOf(e);
      if (n !== undefined) dns.push({ name: e.key, count: n.count, firstTime: e.firstTime, lastTime: n.lastTime });
    }
    const until = <T extends { readonly time: Nanos }>(list: readonly T[]): readonly T[] => (list.length === 0 || list[list.length - 1]!.time <= time ? list : list.filter((x) => x.time <= time));
    return {
      entityId: p.id,
      time,
      complete: time >= p.horizon,
      files: files.sort(byFirstTime),
      network: network.sort(byFirstTime),
      dns: dns.sort(byFirstTime),
      executions: until(p.executions).slice(),
      modules: until(p.groups.modules).slice(),
      credentials: until(p.groups.credentials).slice(),
      ptrace: until(p.groups.ptrace).slice(),
      syscalls: Object.fromEntries(syscalls),
      folded: foldedCounts,
    };
  }
}
