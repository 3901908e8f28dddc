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
import { argRanges, argsOf, valueIn } from '../../streams/argsOf.js';
import { headOf, type EntityId, type Envelope, type Nanos } from '../../streams/types.js';
import { ARTIFACT_TABLE, type ArtifactRule, type FileOp, type NetOp } from './artifactTable.js';
import { resolvePath } from './resolvePath.js';
import { bitsTime, timeBits } from './timeBits.js';

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
  /**
   * The time the answer is of: the time asked for when `complete`, else the process's horizon
   * (later than the time asked for).
   */
  readonly time: Nanos;
  /**
   * `true`: the answer is exact as of the time asked for. `false`: the time asked for is before
   * this process's horizon, the latest time of a change the store no longer holds (the change log
   * is bounded: `maxChanges`; executions and events beyond their bounds too): the state then is
   * not retained, and the answer is the oldest exact one the store can give, as of `time` (the
   * horizon; every change after it is retained). Never a mix of the two.
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
//
// Times are kept as their bits in a number (timeBits.ts): no `bigint` stored per event.

/** A file entry: one (operation, path) of a process; entries of one path but other operations chain by `next`. */
class FileEntry {
  constructor(
    readonly op: FileOp,
    readonly path: string,
    readonly flags: string,
    public count: number,
    readonly firstBits: number,
    public lastBits: number,
    public next: FileEntry | undefined,
  ) {}
}

/** A network entry: one (operation, family, address, port) of a process. */
class NetEntry {
  constructor(
    readonly op: NetOp,
    readonly family: string,
    readonly address: string,
    readonly port: number,
    public count: number,
    readonly firstBits: number,
    public lastBits: number,
  ) {}
}

/** A DNS entry: one name a process asked for. */
class DnsEntry {
  constructor(
    readonly name: string,
    public count: number,
    readonly firstBits: number,
    public lastBits: number,
  ) {}
}

type Entry = FileEntry | NetEntry | DnsEntry;
type Kind = 'files' | 'network' | 'dns';

const kindOf = (e: Entry): Kind => (e instanceof FileEntry ? 'files' : e instanceof NetEntry ? 'network' : 'dns');
const netKey = (op: NetOp, family: string, address: string, port: number): string => `${op}\0${family}\0${address}\0${port}`;

/** What the bounds folded, per kind: entries dropped and the events they counted (made on the first fold). */
class Folded {
  filesEntries = 0;
  filesEvents = 0;
  networkEntries = 0;
  networkEvents = 0;
  dnsEntries = 0;
  dnsEvents = 0;
  executionsEntries = 0;
  executionsEvents = 0;
  eventsEntries = 0;
  eventsEvents = 0;
  syscallsEntries = 0;
  syscallsEvents = 0;
}

const NOTHING_FOLDED = new Folded();

/** Flags of a logged change. */
const CREATED = 1;
const FOLDED = 2;
/** A logged change's name: none (`NO_NAME`), or counted among the names beyond the bound (`OTHER_NAME`), else a name id. */
const NO_NAME = -1;
const OTHER_NAME = -2;

/** One process's artifacts (maps and lists made when first needed: most processes only open files). */
class Proc {
  alive = true;
  /** By path; a path's entries of other operations chain from the first. */
  files: Map<string, FileEntry> | undefined = undefined;
  fileCount = 0;
  network: Map<string, NetEntry> | undefined = undefined;
  dns: Map<string, DnsEntry> | undefined = undefined;
  executions: ExecArtifact[] | undefined = undefined;
  modules: EventArtifact[] | undefined = undefined;
  credentials: EventArtifact[] | undefined = undefined;
  ptrace: EventArtifact[] | undefined = undefined;
  /** Per-name event counts: name id, count, name id, count, … */
  readonly names: number[] = [];
  folded: Folded = NOTHING_FOLDED;
  /** Bits of the latest time of anything this process lost from its history (0: nothing). */
  horizonBits = 0;
  newestBits = 0;
  /** Sequence number of this process's newest logged change (-1: none). */
  lastSeq = -1;
  /** `countsJson`'s text, until a count changes (`undefined`: to compute). */
  countsText: string | undefined = undefined;
  /**
   * The working directory (absolute; `undefined`: not known) and its last changes, oldest first,
   * each from its time bits on (for children started meanwhile): `cwdSince[i]`, `cwdPaths[i]`.
   */
  cwd: string | undefined = undefined;
  cwdSince: number[] | undefined = undefined;
  cwdPaths: (string | undefined)[] | undefined = undefined;
  constructor(readonly id: EntityId) {}
}

/** Working-directory changes a process keeps for its children (the older ones are not needed by children started since). */
const CWD_CHANGES = 4;
/** Linux's AT_FDCWD: "relative to the working directory". */
const AT_FDCWD = -100;

/** The working directory of `p` as of `bits`: `undefined` when not known then (or older than its kept changes). */
function cwdAt(p: Proc, bits: number): string | undefined {
  const since = p.cwdSince;
  if (since === undefined) return p.cwd;
  for (let i = since.length - 1; i >= 0; i--) if (since[i]! <= bits) return p.cwdPaths![i];
  return undefined;
}

/** `p`'s working directory becomes `cwd` at `bits`. */
function changeCwd(p: Proc, cwd: string | undefined, bits: number): void {
  const since = (p.cwdSince ??= [0]);
  const paths = (p.cwdPaths ??= [p.cwd]);
  since.push(bits);
  paths.push(cwd);
  if (since.length > CWD_CHANGES) {
    since.shift();
    paths.shift();
  }
  p.cwd = cwd;
}

/** A rule as the store reads it: its argument names in one list (value ranges are read for them by index). */
interface Compiled {
  readonly rule: ArtifactRule;
  /** Every argument name the rule reads. */
  readonly names: readonly string[];
  readonly wanted: ReadonlySet<string>;
  /** Indexes into `names` of the path (file, exec), flags (file) and new path (rename) names. */
  readonly path: readonly number[];
  readonly flags: readonly number[];
  readonly to: readonly number[];
  /** What relative paths are relative to: `'cwd'`, the indexes of the directory fd's names, or `undefined` (taken as printed). */
  readonly base: 'cwd' | readonly number[] | undefined;
  readonly toBase: 'cwd' | readonly number[] | undefined;
}

/** An event name as the store knows it: its id (per-name counts) and its rule, if any. */
interface NameInfo {
  readonly id: number;
  readonly compiled: Compiled | undefined;
}

const compile = (rule: ArtifactRule): Compiled => {
  const groups =
    rule.kind === 'file'
      ? [rule.path, rule.flags ?? [], rule.to ?? []]
      : rule.kind === 'exec' || rule.kind === 'cwd'
        ? [rule.path, [], []]
        : [rule.kind === 'net' ? rule.addr : rule.kind === 'dns' ? rule.message : rule.detail, [], []];
  const names: string[] = [];
  const at = (list: readonly string[]): number[] =>
    list.map((n) => {
      const i = names.indexOf(n);
      return i >= 0 ? i : names.push(n) - 1;
    });
  const [path, flags, to] = groups.map(at) as [number[], number[], number[]];
  const baseOf = (b: 'cwd' | readonly string[] | undefined): Compiled['base'] => (b === undefined || b === 'cwd' ? b : at(b));
  const base = rule.kind === 'file' ? baseOf(rule.base) : undefined;
  const toBase = rule.kind === 'file' ? baseOf(rule.toBase) : undefined;
  return { rule, names, wanted: new Set(names), path, flags, to, base, toBase };
};

const COMPILED = new Map<string, Compiled>([...ARTIFACT_TABLE].map(([name, rule]) => [name, compile(rule)]));
/** Most argument names one rule reads (the size of the ranges scratch). */
const MAX_NAMES = Math.max(...[...COMPILED.values()].map((c) => c.names.length));
/** Distinct event names a store gives ids to; beyond, names count among the folded ones. */
const MAX_EVENT_NAMES = 4096;
/** Distinct strings (paths, flags) a store shares one copy of; beyond, the table starts afresh. */
const MAX_SHARED = 16_384;
const DETAIL_CHARS = 256;
const SLASH = 47;

/** Is a directory-fd argument AT_FDCWD (Tracee prints it as a number; parsed arguments may name it)? */
const isAtCwd = (v: unknown): boolean => v === AT_FDCWD || v === 'AT_FDCWD' || v === String(AT_FDCWD);
/** O_WRONLY | O_RDWR | O_CREAT | O_TRUNC */
const WRITE_BITS = 1 | 2 | 0o100 | 0o1000;
const WRITE_FLAGS = new Set(['O_WRONLY', 'O_RDWR', 'O_CREAT', 'O_TRUNC']);

const first = (args: ReadonlyMap<string, unknown>, names: readonly string[]): unknown => {
  for (const n of names) {
    const v = args.get(n);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
};

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : '');

/**
 * A flat copy of `s` that holds no reference to the text it was cut from (argument values are
 * slices of their event's line: a kept slice would keep the whole line alive).
 */
const own = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** `s` cut to {@link DETAIL_CHARS} (marked), as an own copy. */
const cut = (s: string): string => own(s.length <= DETAIL_CHARS ? s : `${s.slice(0, DETAIL_CHARS)}…[+${s.length - DETAIL_CHARS} chars]`);

/** A kept path or address as answers show it: cut to {@link DETAIL_CHARS} (entries keep the whole text: it is their key). */
const shown = (s: string): string => (s.length <= DETAIL_CHARS ? s : cut(s));

/** Open flags: their text and whether they open for writing. */
interface FlagInfo {
  readonly text: string;
  readonly write: boolean;
}

const NO_FLAGS: FlagInfo = { text: '', write: false };

/** Flags text `O_…|O_…` (or digits) → whether it opens for writing. */
function writes(flags: string): boolean {
  if (/^\d+$/.test(flags)) return (Number(flags) & WRITE_BITS) !== 0;
  return flags.split('|').some((f) => WRITE_FLAGS.has(f.trim()));
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

/** Entries by first time, then operation, then path / address / name (a total order: answers do not depend on how entries are held). */
const entryOrder = (aBits: number, aOp: string, aKey: string, bBits: number, bOp: string, bKey: string): number =>
  aBits < bBits ? -1 : aBits > bBits ? 1 : aOp < bOp ? -1 : aOp > bOp ? 1 : aKey < bKey ? -1 : aKey > bKey ? 1 : 0;

/** Undo of one entry's changes after an as-of time: uses to subtract, its last time before them, created after it. */
interface Undo {
  uses: number;
  lastBits: number;
  created: boolean;
}

/**
 * What each process did — files, network peers, DNS names, executions (with who wrote the
 * binary), kernel modules, credential changes, ptrace and per-syscall counts — as of any time.
 * Give one to a {@link TreeBuilder} (`artifacts` option; the `pipeline` and `enrich` options
 * `artifacts: true` make one): it is fed every event after the tree, and drops a process's
 * artifacts when the tree evicts the process. Bounded per process and in total (see
 * {@link ArtifactLimits}); what a bound drops is counted in `folded`. Which events feed which
 * artifact is one table (`ARTIFACT_TABLE`); other events only count per name.
 *
 * Cost: per event, a few map lookups and one logged change, without allocating for the bulk of a
 * capture (an open of a path the process opened before: the path and flags are read in place
 * from the line's text). An answer as of T walks the process's own retained changes.
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
  private lastProc: Proc | undefined = undefined;
  /**
   * The change log, a ring of `maxChanges` slots in parallel arrays (no object per change). Change
   * number `s` (counting from 0) sits in slot `s % maxChanges`; the changes `seq - size` … `seq - 1`
   * are retained. Per slot: the process, its time bits, the entry touched or folded, flags, the
   * entry's previous last time bits, the name id counted, and the number of the process's change
   * before (its changes form a chain: an as-of answer walks only its own).
   */
  private readonly ringProc: (Proc | undefined)[];
  private readonly ringTime: Float64Array;
  private readonly ringEntry: (Entry | undefined)[];
  private readonly ringFlags: Uint8Array;
  private readonly ringPrev: Float64Array;
  private readonly ringName: Int32Array;
  private readonly ringLink: Float64Array;
  private seq = 0;
  private size = 0;
  /** What the last `touch` left: the entry (undefined: none), whether it created it, its last time bits before. */
  private tEntry: Entry | undefined = undefined;
  private tCreated = false;
  private tPrev = 0;
  /** Value ranges of the current event's wanted arguments (see `argRanges`). */
  private readonly ranges = new Int32Array(2 * MAX_NAMES);
  private readonly nameInfos = new Map<string, NameInfo>();
  private readonly nameList: string[] = [];
  /** One copy of each path and flags text kept (bounded: see `share`). */
  private readonly shared = new Map<string, string>();
  private readonly flagInfos = new Map<string | number, FlagInfo>();
  private entries = 0;
  private listed = 0;
  /** Path → who last wrote it and when (time bits); least recently written first. */
  private readonly written = new Map<string, { entityId: EntityId; bits: number }>();
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
    this.ringTime = new Float64Array(n);
    this.ringEntry = new Array<Entry | undefined>(n).fill(undefined);
    this.ringFlags = new Uint8Array(n);
    this.ringPrev = new Float64Array(n);
    this.ringName = new Int32Array(n);
    this.ringLink = new Float64Array(n);
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
    const info = this.nameInfo(name);
    const bits = timeBits(env.timestamp);
    // events come in runs of one process: the last one is kept at hand
    let p = this.lastProc;
    if (p === undefined || p.id !== processId || !p.alive) {
      p = this.procs.get(processId);
      if (p === undefined) {
        p = new Proc(processId);
        this.procs.set(processId, p);
        this.inherit(p, env);
      }
      this.lastProc = p;
    }
    if (bits > p.newestBits) p.newestBits = bits;
    const counted = this.count(p, info.id);
    this.tEntry = undefined;
    if (info.compiled !== undefined) this.apply(p, info.compiled, env, name, bits);
    this.log(p, bits, this.tEntry, this.tCreated ? CREATED : 0, this.tPrev, counted);
  }

  /** The tree dropped process `id`: its artifacts go. */
  forget(id: EntityId): void {
    const p = this.procs.get(id);
    if (p === undefined) return;
    p.alive = false;
    this.procs.delete(id);
    this.entries -= p.fileCount + (p.network?.size ?? 0) + (p.dns?.size ?? 0);
    this.listed -= (p.executions?.length ?? 0) + (p.modules?.length ?? 0) + (p.credentials?.length ?? 0) + (p.ptrace?.length ?? 0);
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
   * proctree-rx); `undefined` when the store holds none for it. Older than the retained changes,
   * the answer is as of the oldest time it can be exact for, and says so: see
   * {@link ProcessArtifacts.complete}.
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
      files: p.fileCount + f.filesEntries,
      peers: (p.network?.size ?? 0) + f.networkEntries,
      dns: (p.dns?.size ?? 0) + f.dnsEntries,
      executions: (p.executions?.length ?? 0) + f.executionsEntries,
      events: (p.modules?.length ?? 0) + (p.credentials?.length ?? 0) + (p.ptrace?.length ?? 0) + f.eventsEntries,
    };
  }

  /**
   * {@link ArtifactStore.summary} as JSON text (`{"files":N,"peers":N,"dns":N,"executions":N,"events":N}`),
   * kept per process until a count changes: what `enrich --artifacts` writes on each line.
   */
  countsJson(id: EntityId): string | undefined {
    // asked for the event just recorded, mostly: its process is at hand
    const last = this.lastProc;
    const p = last !== undefined && last.id === id && last.alive ? last : this.procs.get(id);
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
    return w !== undefined && w.bits <= timeBits(time) ? { entityId: w.entityId, time: bitsTime(w.bits) } : undefined;
  }

  /** Sizes (for bound checks and monitoring). */
  footprint(): ArtifactFootprint {
    return { processes: this.procs.size, entries: this.entries, listed: this.listed, changes: this.size, writtenPaths: this.written.size };
  }

  // ── feeding ──

  private nameInfo(name: string): NameInfo {
    let info = this.nameInfos.get(name);
    if (info === undefined) {
      const compiled = COMPILED.get(name);
      if (this.nameList.length >= MAX_EVENT_NAMES) return { id: OTHER_NAME, compiled };
      info = { id: this.nameList.length, compiled };
      const kept = own(name);
      this.nameList.push(kept);
      this.nameInfos.set(kept, info);
    }
    return info;
  }

  /**
   * A new process's working directory: its parent's as of its start (known when the parent's was,
   * and its start is within the parent's kept changes). Read from its leader's events only (a
   * thread's start is not the process's).
   */
  private inherit(p: Proc, env: Envelope): void {
    const h = headOf(env);
    if (h.hostThreadId !== h.hostProcessId || !h.parentEntityId) return;
    const parent = this.procs.get(h.parentEntityId >>> 0);
    if (parent !== undefined) p.cwd = cwdAt(parent, timeBits(env.threadStartTime));
  }

  /** Counts one event of name `id` for `p`; returns what was counted (the id, or `OTHER_NAME` beyond the bound). */
  private count(p: Proc, id: number): number {
    const names = p.names;
    if (id !== OTHER_NAME) {
      for (let i = 0; i < names.length; i += 2) {
        if (names[i] === id) {
          names[i + 1]!++;
          return id;
        }
      }
      if (names.length < 2 * this.limits.syscallsPerProcess) {
        names.push(id, 1);
        return id;
      }
    }
    this.foldedOf(p).syscallsEvents++;
    return OTHER_NAME;
  }

  private foldedOf(p: Proc): Folded {
    if (p.folded === NOTHING_FOLDED) p.folded = new Folded();
    return p.folded;
  }

  /** One own copy of `s` per distinct text up to {@link DETAIL_CHARS} (bounded: when full, the table starts afresh; kept copies stay valid). */
  private share(s: string): string {
    if (s.length > DETAIL_CHARS) return own(s);
    let t = this.shared.get(s);
    if (t === undefined) {
      t = own(s);
      if (this.shared.size >= MAX_SHARED) this.shared.clear();
      this.shared.set(t, t);
    }
    return t;
  }

  /** Open flags (a number, Tracee's `O_…|O_…` text, or an `open_how` object) → text and whether they write; one shared answer per distinct value. */
  private flagsOf(v: unknown): FlagInfo {
    if (typeof v === 'object' && v !== null) return this.flagsOf((v as Record<string, unknown>)['flags']);
    if (typeof v !== 'number' && typeof v !== 'string') return NO_FLAGS;
    let f = this.flagInfos.get(v);
    if (f === undefined) {
      f = typeof v === 'number' ? { text: String(v), write: (v & WRITE_BITS) !== 0 } : { text: this.share(v), write: writes(v) };
      if (this.flagInfos.size < 1024) this.flagInfos.set(typeof v === 'number' ? v : f.text, f);
    }
    return f;
  }

  /** Feeds one artifact event; the entry it touched (if any) is left in `tEntry` / `tCreated` / `tPrev`. */
  private apply(p: Proc, c: Compiled, env: Envelope, name: string, bits: number): void {
    const rule = c.rule;
    if (rule.kind === 'file' || rule.kind === 'exec') {
      // the bulk of a capture: values read in place from the line when it has Tracee's layout
      const raw = env.raw;
      const r = this.ranges;
      let path: string;
      let flags = NO_FLAGS;
      let to = '';
      let pathAtCwd = c.base === 'cwd';
      let toAtCwd = c.toBase === 'cwd';
      if (raw !== undefined && argRanges(raw, c.names, r)) {
        path = text(this.firstIn(raw, c.path));
        if (c.flags.length > 0) flags = this.flagsOf(this.firstIn(raw, c.flags));
        if (c.to.length > 0) to = text(this.firstIn(raw, c.to));
        if (typeof c.base === 'object' && path.charCodeAt(0) !== SLASH) pathAtCwd = isAtCwd(this.firstIn(raw, c.base));
        if (typeof c.toBase === 'object' && to !== '' && to.charCodeAt(0) !== SLASH) toAtCwd = isAtCwd(this.firstIn(raw, c.toBase));
      } else {
        const args = argsOf(env, c.wanted);
        const firstOf = (indexes: readonly number[]): unknown => first(args, indexes.map((i) => c.names[i]!));
        path = text(firstOf(c.path));
        if (c.flags.length > 0) flags = this.flagsOf(firstOf(c.flags));
        if (c.to.length > 0) to = text(firstOf(c.to));
        if (typeof c.base === 'object') pathAtCwd = isAtCwd(firstOf(c.base));
        if (typeof c.toBase === 'object') toAtCwd = isAtCwd(firstOf(c.toBase));
      }
      // a relative path whose base is the working directory, made absolute when that is known
      if (pathAtCwd && p.cwd !== undefined && path !== '' && path.charCodeAt(0) !== SLASH) path = resolvePath(p.cwd, path);
      if (toAtCwd && p.cwd !== undefined && to !== '' && to.charCodeAt(0) !== SLASH) to = resolvePath(p.cwd, to);
      if (rule.kind === 'exec') {
        const writtenBy = path === '' ? undefined : this.writerOf(path, env.timestamp);
        this.push(p, (p.executions ??= []), { time: env.timestamp, path: path.length <= DETAIL_CHARS ? this.share(path) : cut(path), writtenBy }, this.limits.execsPerProcess, 'executions', bits);
        return;
      }
      if (path === '') return;
      if (rule.op === 'memfd') path = `memfd:${path}`;
      const op = flags.write ? 'write' : rule.op;
      if (to !== '') {
        // the rename's new path is a change of its own (logged, so as-of answers undo it too)
        this.touchFile(p, 'rename-to', to, '', bits);
        if (this.tEntry !== undefined) this.log(p, bits, this.tEntry, this.tCreated ? CREATED : 0, this.tPrev, NO_NAME);
        this.tEntry = undefined;
        this.wrote(to, p.id, bits);
      }
      if (op === 'write') this.wrote(path, p.id, bits);
      this.touchFile(p, op, path, flags.text, bits);
      return;
    }
    const args = argsOf(env, c.wanted);
    switch (rule.kind) {
      case 'cwd': {
        // a failed chdir changes nothing; fchdir (a directory fd) leaves it unknown
        const rv = (env.event as { returnValue?: unknown }).returnValue;
        if (typeof rv === 'number' && rv < 0) return;
        const to = text(first(args, rule.path));
        changeCwd(p, to === '' ? undefined : to.charCodeAt(0) === SLASH ? this.share(resolvePath('/', to)) : p.cwd === undefined ? undefined : this.share(resolvePath(p.cwd, to)), bits);
        return;
      }
      case 'net': {
        const a = sockaddrOf(first(args, rule.addr)) ?? { family: '', address: '', port: 0 };
        if (rule.addr.length > 0 && a.family === '' && a.address === '') return;
        this.touchNet(p, rule.op, a.family, a.address, a.port, bits);
        return;
      }
      case 'dns': {
        const names = dnsNamesOf(first(args, rule.message));
        for (const n of names) {
          if (this.tEntry !== undefined) this.log(p, bits, this.tEntry, this.tCreated ? CREATED : 0, this.tPrev, NO_NAME);
          this.tEntry = undefined;
          this.touchDns(p, n, bits);
        }
        return;
      }
      case 'event':
        this.push(p, (p[rule.group] ??= []), { time: env.timestamp, event: name, detail: detailOf(args, rule.detail) }, this.limits.eventsPerProcess, 'events', bits);
        return;
    }
  }

  /** The first of the ranged values at `indexes` that is present and not null or `''`. */
  private firstIn(raw: string, indexes: readonly number[]): unknown {
    const r = this.ranges;
    for (const i of indexes) {
      const v = valueIn(raw, r[2 * i]!, r[2 * i + 1]!);
      if (v !== undefined && v !== null && v !== '') return v;
    }
    return undefined;
  }

  /** Remembers that `id` wrote `path` at `bits` (bounded: the least recently written path goes). */
  private wrote(path: string, id: EntityId, bits: number): void {
    const w = this.written.get(path);
    if (w !== undefined) {
      this.written.delete(path);
      w.entityId = id;
      w.bits = bits;
      this.written.set(path, w);
      return;
    }
    this.written.set(this.share(path), { entityId: id, bits });
    if (this.written.size > this.limits.writtenPaths) {
      const oldest = this.written.keys().next().value;
      if (oldest !== undefined) this.written.delete(oldest);
    }
  }

  /** Appends `item` (an event at `bits`) to a bounded list; beyond the bound the oldest goes, and states before `bits` are no longer known. */
  private push<T extends { readonly time: Nanos }>(p: Proc, list: T[], item: T, bound: number, fold: 'executions' | 'events', bits: number): void {
    list.push(item);
    this.listed++;
    p.countsText = undefined;
    if (list.length > bound) {
      list.shift();
      this.listed--;
      const f = this.foldedOf(p);
      if (fold === 'executions') {
        f.executionsEntries++;
        f.executionsEvents++;
      } else {
        f.eventsEntries++;
        f.eventsEvents++;
      }
      // the states from the item's time until now held it: before this event they are not known any more
      if (bits > p.horizonBits) p.horizonBits = bits;
    }
  }

  /** Is there room for a new entry of `kind` in `p` (after folding one of its own if needed)? `false`: the use itself was folded. */
  private room(p: Proc, kind: Kind, size: number, bits: number): boolean {
    const bound = kind === 'files' ? this.limits.filesPerProcess : kind === 'network' ? this.limits.peersPerProcess : this.limits.dnsPerProcess;
    if (size < bound && this.entries < this.limits.totalEntries) return true;
    if (size === 0) {
      // nothing of this process to fold: the new use itself is folded (not undone by as-of answers)
      const f = this.foldedOf(p);
      if (kind === 'files') f.filesEvents++;
      else if (kind === 'network') f.networkEvents++;
      else f.dnsEvents++;
      if (bits > p.horizonBits) p.horizonBits = bits;
      p.countsText = undefined;
      return false;
    }
    this.fold(p, kind, bits);
    return true;
  }

  private hit(e: Entry, bits: number): void {
    this.tEntry = e;
    this.tCreated = false;
    this.tPrev = e.lastBits;
    e.count++;
    if (bits > e.lastBits) e.lastBits = bits;
  }

  private created(p: Proc, e: Entry): void {
    this.entries++;
    p.countsText = undefined;
    this.tEntry = e;
    this.tCreated = true;
    this.tPrev = 0;
  }

  /**
   * Counts one use of (op, path), creating its entry (folding the rarest, oldest one beyond a
   * bound). Leaves the entry in `tEntry` (undefined when the use itself was folded), whether it was
   * created, and its last time before.
   */
  private touchFile(p: Proc, op: FileOp, path: string, flags: string, bits: number): void {
    const map = (p.files ??= new Map<string, FileEntry>());
    for (let e = map.get(path); e !== undefined; e = e.next) {
      if (e.op === op) {
        this.hit(e, bits);
        return;
      }
    }
    if (!this.room(p, 'files', p.fileCount, bits)) {
      this.tEntry = undefined;
      return;
    }
    // after a fold the path's chain may have changed: the new entry goes first
    const kept = this.share(path);
    const e = new FileEntry(op, kept, flags, 1, bits, bits, map.get(path));
    map.set(kept, e);
    p.fileCount++;
    this.created(p, e);
  }

  private touchNet(p: Proc, op: NetOp, family: string, address: string, port: number, bits: number): void {
    const map = (p.network ??= new Map<string, NetEntry>());
    const key = netKey(op, family, address, port);
    const found = map.get(key);
    if (found !== undefined) return this.hit(found, bits);
    if (!this.room(p, 'network', map.size, bits)) {
      this.tEntry = undefined;
      return;
    }
    const e = new NetEntry(op, this.share(family), own(address), port, 1, bits, bits);
    map.set(own(key), e);
    this.created(p, e);
  }

  private touchDns(p: Proc, name: string, bits: number): void {
    const map = (p.dns ??= new Map<string, DnsEntry>());
    const found = map.get(name);
    if (found !== undefined) return this.hit(found, bits);
    if (!this.room(p, 'dns', map.size, bits)) {
      this.tEntry = undefined;
      return;
    }
    const e = new DnsEntry(name, 1, bits, bits);
    map.set(name, e);
    this.created(p, e);
  }

  /**
   * Folds the entries of `kind` with the fewest uses (the least recently used among them) into the
   * counters: an eighth of the bound at once (at least one), so that a process cycling through more
   * paths than its bound pays one pass over its entries per eight new ones, not per new one.
   */
  private fold(p: Proc, kind: Kind, bits: number): void {
    const bound = kind === 'files' ? this.limits.filesPerProcess : kind === 'network' ? this.limits.peersPerProcess : this.limits.dnsPerProcess;
    const k = Math.max(1, bound >> 3);
    // the k first entries by (count, last use), kept sorted
    const victims: Entry[] = [];
    const before = (a: Entry, b: Entry): boolean => a.count < b.count || (a.count === b.count && a.lastBits < b.lastBits);
    const consider = (e: Entry): void => {
      if (victims.length === k && !before(e, victims[k - 1]!)) return;
      let i = victims.length === k ? k - 1 : victims.length;
      while (i > 0 && before(e, victims[i - 1]!)) {
        victims[i] = victims[i - 1]!;
        i--;
      }
      victims[i] = e;
    };
    if (kind === 'files') {
      for (const head of p.files!.values()) for (let e: FileEntry | undefined = head; e !== undefined; e = e.next) consider(e);
    } else {
      for (const e of (kind === 'network' ? p.network : p.dns)!.values()) consider(e);
    }
    const f = this.foldedOf(p);
    for (const v of victims) {
      if (v instanceof FileEntry) this.unlinkFile(p, v);
      else if (v instanceof NetEntry) p.network!.delete(netKey(v.op, v.family, v.address, v.port));
      else p.dns!.delete(v.name);
      this.entries--;
      if (kind === 'files') {
        f.filesEntries++;
        f.filesEvents += v.count;
      } else if (kind === 'network') {
        f.networkEntries++;
        f.networkEvents += v.count;
      } else {
        f.dnsEntries++;
        f.dnsEvents += v.count;
      }
      this.log(p, bits, v, FOLDED, v.lastBits, NO_NAME);
    }
    p.countsText = undefined;
  }

  /** Takes file entry `v` out of its path's chain. */
  private unlinkFile(p: Proc, v: FileEntry): void {
    const map = p.files!;
    const head = map.get(v.path)!;
    if (head === v) {
      if (v.next === undefined) map.delete(v.path);
      else map.set(v.path, v.next);
    } else {
      let e = head;
      while (e.next !== v) e = e.next!;
      e.next = v.next;
    }
    p.fileCount--;
  }

  /** Logs a change; beyond `maxChanges` the oldest change (of any process) is forgotten and its process's history starts later. */
  private log(p: Proc, bits: number, entry: Entry | undefined, flags: number, prevBits: number, name: number): void {
    const cap = this.ringProc.length;
    const i = this.seq % cap;
    const q = this.ringProc[i];
    if (q !== undefined) {
      // the oldest change is overwritten: its process's history now starts after it
      const gone = this.ringTime[i]!;
      if (q.alive && gone > q.horizonBits) q.horizonBits = gone;
    } else this.size++;
    this.ringProc[i] = p;
    this.ringTime[i] = bits;
    this.ringEntry[i] = entry;
    this.ringFlags[i] = flags;
    this.ringPrev[i] = prevBits;
    this.ringName[i] = name;
    this.ringLink[i] = p.lastSeq;
    p.lastSeq = this.seq;
    this.seq++;
  }

  // ── answering ──

  private view(p: Proc, asked: Nanos): ProcessArtifacts {
    // before the horizon, changes are lost: the answer is the oldest exact one, as of the horizon
    // (every change after it is retained), and says so (`time`, `complete: false`)
    const complete = timeBits(asked) >= p.horizonBits;
    const bits = complete ? timeBits(asked) : p.horizonBits;
    const time = complete ? asked : bitsTime(bits);
    // changes after `time`, undone: per entry, uses to subtract and the last time before them
    const undo = new Map<Entry, Undo>();
    const refolded = new Set<Entry>();
    const names = p.names.slice();
    const pf = p.folded;
    const folded = {
      files: { entries: pf.filesEntries, events: pf.filesEvents },
      network: { entries: pf.networkEntries, events: pf.networkEvents },
      dns: { entries: pf.dnsEntries, events: pf.dnsEvents },
      executions: { entries: pf.executionsEntries, events: pf.executionsEvents },
      events: { entries: pf.eventsEntries, events: pf.eventsEvents },
      syscalls: { entries: pf.syscallsEntries, events: pf.syscallsEvents },
    };
    if (bits < p.newestBits) {
      // this process's retained changes, newest logged first (late events may sit anywhere)
      const cap = this.ringProc.length;
      const oldest = this.seq - this.size;
      for (let s = p.lastSeq; s >= oldest && s >= 0; ) {
        const i = s % cap;
        s = this.ringLink[i]!;
        if (this.ringTime[i]! <= bits) continue;
        const name = this.ringName[i]!;
        if (name === OTHER_NAME) folded.syscalls.events--;
        else if (name !== NO_NAME) {
          for (let k = 0; k < names.length; k += 2) if (names[k] === name) names[k + 1]!--;
        }
        const e = this.ringEntry[i];
        if (e === undefined) continue;
        if ((this.ringFlags[i]! & FOLDED) !== 0) {
          // folded after `time`: it was still an entry then
          refolded.add(e);
          const kf = folded[kindOf(e)];
          kf.entries--;
          kf.events -= e.count;
          continue;
        }
        const u = undo.get(e) ?? { uses: 0, lastBits: e.lastBits, created: false };
        u.uses++;
        u.lastBits = this.ringPrev[i]!;
        if ((this.ringFlags[i]! & CREATED) !== 0) u.created = true;
        undo.set(e, u);
      }
    }
    // an entry created after `time` (or with no use left) was not there yet
    const there = (e: Entry): boolean => {
      const u = undo.get(e);
      return u === undefined || (!u.created && e.count - u.uses > 0);
    };
    const none = undo.size === 0;
    const countOf = (e: Entry): number => (none ? e.count : e.count - (undo.get(e)?.uses ?? 0));
    const lastOf = (e: Entry): Nanos => bitsTime(none ? e.lastBits : (undo.get(e)?.lastBits ?? e.lastBits));
    const fileEntries: FileEntry[] = [];
    for (const head of p.files?.values() ?? []) for (let e: FileEntry | undefined = head; e !== undefined; e = e.next) if (none || there(e)) fileEntries.push(e);
    const netEntries = [...(p.network?.values() ?? [])].filter(there);
    const dnsEntries = [...(p.dns?.values() ?? [])].filter(there);
    for (const e of refolded) {
      // folded after `time`, and there then (not created after it too)
      if (!there(e)) continue;
      if (e instanceof FileEntry) fileEntries.push(e);
      else if (e instanceof NetEntry) netEntries.push(e);
      else dnsEntries.push(e);
    }
    const files = fileEntries
      .sort((a, b) => entryOrder(a.firstBits, a.op, a.path, b.firstBits, b.op, b.path))
      .map((e): FileArtifact => ({ op: e.op, path: shown(e.path), flags: e.flags, count: countOf(e), firstTime: bitsTime(e.firstBits), lastTime: lastOf(e) }));
    const network = netEntries
      .sort((a, b) => entryOrder(a.firstBits, a.op, netKey(a.op, a.family, a.address, a.port), b.firstBits, b.op, netKey(b.op, b.family, b.address, b.port)))
      .map((e): NetArtifact => ({ op: e.op, family: e.family, address: shown(e.address), port: e.port, count: countOf(e), firstTime: bitsTime(e.firstBits), lastTime: lastOf(e) }));
    const dns = dnsEntries
      .sort((a, b) => entryOrder(a.firstBits, '', a.name, b.firstBits, '', b.name))
      .map((e): DnsArtifact => ({ name: e.name, count: countOf(e), firstTime: bitsTime(e.firstBits), lastTime: lastOf(e) }));
    const until = <T extends { readonly time: Nanos }>(list: readonly T[] | undefined): T[] => (list === undefined ? [] : list.length === 0 || list[list.length - 1]!.time <= time ? list.slice() : list.filter((x) => x.time <= time));
    const syscalls: Record<string, number> = {};
    for (let k = 0; k < names.length; k += 2) if (names[k + 1]! > 0) syscalls[this.nameList[names[k]!]!] = names[k + 1]!;
    return {
      entityId: p.id,
      time,
      complete,
      files,
      network,
      dns,
      executions: until(p.executions),
      modules: until(p.modules),
      credentials: until(p.credentials),
      ptrace: until(p.ptrace),
      syscalls,
      folded,
    };
  }
}
