/**
 * The version-stamped store behind every {@link ProcessTree} value (partial persistence, as MVCC
 * databases keep row versions). Internal to src/tree/.
 *
 * - Processes and threads (nodeMap.ts): one node object per entity, updated in place at the
 *   newest version; what a change overwrote goes to an undo log (one record per changed field,
 *   stamped with the version that changed it), as a database's rollback segment. A snapshot of an
 *   older version reads a node with the newer changes undone (a copy, materialised on demand).
 *   Removed nodes wait in a graveyard while an older version can still see them.
 * - The pid index (one small write per fork): a {@link VersionedMap}, each key a short chain of
 *   entries stamped with the version that wrote them.
 * - A tree value is a snapshot `(store, version)`. Applying a record to the newest snapshot
 *   writes in place stamped `head + 1` (a draft) and commits it as the next version. Applying a
 *   record to an older snapshot first copies the store as of that version (a branch: O(entities),
 *   correct, slower); the newer history is untouched.
 * - Retention: the store keeps the versions its bound allows (count and/or time span) and every
 *   pinned one. Undo records and graves no retained version reads are dropped (vacuum, FIFO,
 *   amortised O(1) per write); a pinned version keeps its own view of what the vacuum drops, not
 *   every version after it. A snapshot older than that answers with a
 *   {@link VersionNotRetainedError}, never a wrong or partial answer.
 *
 * @module
 */
import type { EntityId, Nanos } from '../streams/types.js';
import type { FileRecord } from './records.js';
import { boundedString, MAX_STRING_CHARS } from './boundedStrings.js';
import { NodeMap, type NodeKind } from './nodeMap.js';

/**
 * One stamped value of a key; `prev` is the entry it superseded (cut by the vacuum). A key whose
 * only entry is older than every readable version holds its value directly (no entry object):
 * most keys, most of the time.
 */
class Entry<V> {
  constructor(
    readonly v: number,
    public value: V | undefined,
    public prev: Entry<V> | V | undefined,
  ) {}
}

/** A key's chain: a settled value, or its newest entry. */
type Chain<V> = Entry<V> | V;

/**
 * Thrown when a snapshot is read (or written from) after the store stopped retaining its version.
 * The data source turns it into `Left("version N is no longer retained …")`.
 *
 * @example
 * ```ts
 * import { processAt, VersionNotRetainedError, type ProcessTree } from 'proctree-rx';
 * declare const old: ProcessTree;
 * try {
 *   processAt(old, 488936476, old.time);
 * } catch (err) {
 *   if (err instanceof VersionNotRetainedError) console.error(err.message); // pin snapshots you read later
 * }
 * ```
 */
export class VersionNotRetainedError extends Error {
  constructor(
    readonly version: number,
    readonly oldestRetained: number,
  ) {
    super(`version ${version} is no longer retained (oldest retained: ${oldestRetained}); pin a snapshot to keep it answering`);
    this.name = 'VersionNotRetainedError';
  }
}

/** A growable FIFO of (version, key) pairs in typed arrays. */
class VacuumQueue {
  private versions = new Int32Array(1024);
  private keys = new Uint32Array(1024);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(version: number, key: number): void {
    if (this.tail === this.versions.length) {
      const live = this.tail - this.head;
      if (live * 2 <= this.versions.length) {
        this.versions.copyWithin(0, this.head, this.tail);
        this.keys.copyWithin(0, this.head, this.tail);
      } else {
        const v = new Int32Array(this.versions.length * 2);
        const k = new Uint32Array(this.versions.length * 2);
        v.set(this.versions.subarray(this.head, this.tail));
        k.set(this.keys.subarray(this.head, this.tail));
        this.versions = v;
        this.keys = k;
      }
      this.head = 0;
      this.tail = live;
    }
    this.versions[this.tail] = version;
    this.keys[this.tail++] = key;
  }

  /** The oldest queued key (as uint32) stamped at or before `horizon` (dropped from the queue), or -1. */
  next(horizon: number): number {
    if (this.head < this.tail && this.versions[this.head]! <= horizon) return this.keys[this.head++]!;
    if (this.head === this.tail) this.head = this.tail = 0;
    return -1;
  }
}

/**
 * The part of the chain below `e` that pinned versions (ascending, some below `e.v`) still read:
 * for each pin, the entry it sees; every other entry is dropped.
 */
/** Index of the first of `xs[0..n)` (ascending) that is ≥ x. */
function lowerBound(xs: readonly number[], n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Is a pin of `pins[0..n)` in [from, to)? */
const pinnedIn = (pins: readonly number[], n: number, from: number, to: number): boolean => {
  const i = lowerBound(pins, n, from);
  return i < n && pins[i]! < to;
};

function keptFor<V>(e: Entry<V>, pins: readonly number[], n: number): Entry<V> | V | undefined {
  let top: Entry<V> | V | undefined;
  let last: Entry<V> | undefined;
  let upper = e.v;
  for (let o: Entry<V> | V | undefined = e.prev; o !== undefined; ) {
    if (!(o instanceof Entry)) {
      // a settled value: seen by every pinned version below `upper`
      if (pins[0]! < upper) {
        if (last === undefined) top = o;
        else last.prev = o;
      } else if (last !== undefined) last.prev = undefined;
      return top;
    }
    const older: Entry<V> | V | undefined = o.prev;
    const from = o.v;
    const to = upper;
    if (pinnedIn(pins, n, from, to)) {
      if (last === undefined) top = o;
      else last.prev = o;
      last = o;
    }
    upper = from;
    o = older;
  }
  if (last !== undefined) last.prev = undefined;
  return top;
}

/**
 * A map whose entries are stamped with versions. Keys are uint32 (entity ids, pids), held as
 * int32 (`key | 0`): V8 keeps those as small integers, where a uint32 above 2^31 would be a heap
 * number (allocated and hashed as a double on every lookup).
 */
export class VersionedMap<V> {
  private readonly entries = new Map<number, Chain<V>>();
  private readonly queue = new VacuumQueue();
  /** Keys written by the open draft (for rollback): the first `dirtyCount` of `dirty`. */
  private readonly dirty: number[] = [];
  private dirtyCount = 0;
  /** Number of keys holding a value at the newest version (the open draft's, while one is open). */
  count = 0;
  private countAtOpen = 0;
  /** Oldest readable version (settled values are readable by every readable version). */
  private horizon = 0;

  /** The value of `key` as of `version`. */
  get(key: number, version: number): V | undefined {
    let e = this.entries.get(key | 0);
    while (e instanceof Entry) {
      if (e.v <= version) return e.value;
      e = e.prev;
    }
    return e;
  }

  /** Writes `value` (`undefined`: removes) as of the open draft's version `pending`. */
  set(uint: number, value: V | undefined, pending: number): void {
    const key = uint | 0;
    const head = this.entries.get(key);
    let old: V | undefined;
    if (head instanceof Entry) {
      old = head.value;
      if (head.v === pending) {
        head.value = value;
        this.count += (value === undefined ? 0 : 1) - (old === undefined ? 0 : 1);
        return;
      }
    } else old = head;
    if (head === undefined && value === undefined) return;
    this.entries.set(key, new Entry<V>(pending, value, head));
    this.dirty[this.dirtyCount++] = key;
    // queued for the vacuum: a superseded chain is cut, and a new key's lone entry settles to its
    // value once no readable version is older (measured: 2.10 → 2.00 KB per live process, ProcKey
    // and lineage ~10 % faster; the reducer's speed did not move beyond the machine's noise)
    this.queue.push(pending, key);
    this.count += (value === undefined ? 0 : 1) - (old === undefined ? 0 : 1);
  }

  /** Starts a draft. */
  open(): void {
    this.countAtOpen = this.count;
    this.dirtyCount = 0;
  }

  /** Ends the draft, keeping its writes. */
  commit(): void {
    this.dirtyCount = 0;
    if (this.dirty.length > 1024) this.dirty.length = 0;
  }

  /** Ends the draft, undoing its writes (entries stamped `pending`). */
  rollback(pending: number): void {
    for (let i = 0; i < this.dirtyCount; i++) {
      const key = this.dirty[i]!;
      const head = this.entries.get(key);
      if (!(head instanceof Entry) || head.v !== pending) continue;
      if (head.prev === undefined) this.entries.delete(key);
      else this.entries.set(key, head.prev);
    }
    this.dirtyCount = 0;
    this.count = this.countAtOpen;
  }

  /**
   * Drops what no version at or after `horizon`, and no pinned version (`pins[0..n)`, ascending,
   * all below `horizon`), can read; settles single old values.
   */
  vacuum(horizon: number, pins: readonly number[], n: number): void {
    this.horizon = horizon;
    const queue = this.queue;
    for (let next = queue.next(horizon); next !== -1; next = queue.next(horizon)) {
      const key = next | 0;
      const head = this.entries.get(key);
      if (!(head instanceof Entry)) continue;
      let e: Entry<V> | V | undefined = head;
      let newer: Entry<V> | undefined;
      while (e instanceof Entry && e.v > horizon) {
        newer = e;
        e = e.prev;
      }
      if (!(e instanceof Entry)) continue; // already settled below
      // e is what every version from `horizon` on sees below the newer entries; older entries stay
      // only where a pinned version sees them
      if (n > 0 && pins[0]! < e.v) {
        e.prev = keptFor(e, pins, n);
        if (e.prev !== undefined) continue;
      }
      if (newer === undefined) {
        if (e.value === undefined) this.entries.delete(key);
        else this.entries.set(key, e.value);
      } else newer.prev = e.value;
    }
  }

  /** Visits every key holding a value as of `version`, in first-insertion order. */
  forEach(version: number, f: (value: V, key: number) => void): void {
    for (const [key, head] of this.entries) {
      let e: Chain<V> | undefined = head;
      let value: V | undefined;
      for (;;) {
        if (e instanceof Entry) {
          if (e.v <= version) {
            value = e.value;
            break;
          }
          e = e.prev;
        } else {
          value = e;
          break;
        }
      }
      if (value !== undefined) f(value, key >>> 0);
    }
  }

  /** A map holding exactly what this one holds as of `version`, settled. */
  copyAt(version: number): VersionedMap<V> {
    const out = new VersionedMap<V>();
    out.horizon = version;
    this.forEach(version, (value, key) => {
      out.entries.set(key | 0, value);
      out.count++;
    });
    return out;
  }

  /** Keys and entry objects held (for footprint figures). */
  footprint(): { keys: number; entries: number; queued: number } {
    let entries = 0;
    for (const head of this.entries.values()) for (let e: Chain<V> | undefined = head; e instanceof Entry; e = e.prev) entries++;
    return { keys: this.entries.size, entries, queued: this.queue.length };
  }
}

/** How long a store keeps versions answering. */
export interface Retention {
  /** Max versions retained (default 4096). `Infinity`: every version. */
  readonly maxVersions?: number;
  /** Max time span retained, ns (default: unbounded; the count bound applies). */
  readonly maxSpanNs?: bigint;
}

/** Default count of retained versions. */
export const DEFAULT_MAX_VERSIONS = 4096;

/** Per-version figures a snapshot needs besides the maps: its time, sizes and counters. */
class VersionIndex {
  private times = new BigInt64Array(256);
  private ints = new Int32Array(256 * 5);
  /** Slot of the oldest version kept. */
  private start = 0;
  /** Version of slot `start`. */
  private base = 0;
  private length = 0;

  /** Records version `v` (always the next one). */
  push(v: number, time: Nanos, processes: number, threads: number, pids: number, evictedProcesses: number, evictedThreads: number): void {
    if (this.length === 0) this.base = v;
    if (this.start + this.length === this.times.length) this.makeRoom();
    const i = this.start + this.length++;
    this.times[i] = time;
    const j = i * 5;
    this.ints[j] = processes;
    this.ints[j + 1] = threads;
    this.ints[j + 2] = pids;
    this.ints[j + 3] = evictedProcesses;
    this.ints[j + 4] = evictedThreads;
  }

  /** Moves the kept slots to the front, growing when more than half full (amortised O(1) per push). */
  private makeRoom(): void {
    const size = this.length * 2 > this.times.length ? this.times.length * 2 : this.times.length;
    const t = new BigInt64Array(size);
    t.set(this.times.subarray(this.start, this.start + this.length));
    const n = new Int32Array(size * 5);
    n.set(this.ints.subarray(this.start * 5, (this.start + this.length) * 5));
    this.times = t;
    this.ints = n;
    this.start = 0;
  }

  /** Forgets versions before `v`. */
  dropBefore(v: number): void {
    const k = Math.min(v - this.base, this.length);
    if (k <= 0) return;
    this.start += k;
    this.base += k;
    this.length -= k;
    if (this.length === 0) {
      this.start = 0;
      this.base = v;
    }
  }

  has(v: number): boolean {
    return v >= this.base && v < this.base + this.length;
  }
  first(): number {
    return this.base;
  }
  get size(): number {
    return this.length;
  }
  timeOf(v: number): Nanos {
    return this.times[this.start + v - this.base]!;
  }
  int(v: number, field: number): number {
    return this.ints[(this.start + v - this.base) * 5 + field]!;
  }

  /** The newest version with time ≤ t (the oldest when every version is later); -1 when empty. */
  versionAt(t: Nanos): number {
    if (this.length === 0) return -1;
    let lo = this.start;
    let hi = this.start + this.length - 1;
    if (this.times[hi]! <= t) return this.base + hi - this.start;
    let found = this.start;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return this.base + found - this.start;
  }

  /** A copy holding versions up to `v`. */
  copyUpTo(v: number): VersionIndex {
    const out = new VersionIndex();
    for (let x = this.base; x <= v && x < this.base + this.length; x++) {
      out.push(x, this.timeOf(x), this.int(x, 0), this.int(x, 1), this.int(x, 2), this.int(x, 3), this.int(x, 4));
    }
    return out;
  }
}

/** Field slots of {@link VersionIndex}. */
export const VersionField = { Processes: 0, Threads: 1, Pids: 2, EvictedProcesses: 3, EvictedThreads: 4 } as const;
/** A field slot of {@link VersionIndex}. */
export type VersionField = (typeof VersionField)[keyof typeof VersionField];

/** One shared {@link FileRecord} per distinct file, per store (bounded; starts over when full). */
export class FileInterner {
  /** Distinct paths remembered before the table starts over. */
  static readonly MAX_PATHS = 4096;
  private readonly byPath = new Map<string, FileRecord[]>();

  /** The shared record equal to `f` (field by field), or `f` itself when it is the first of its kind. */
  intern(f: FileRecord): FileRecord;
  intern(f: FileRecord | undefined): FileRecord | undefined;
  intern(given: FileRecord | undefined): FileRecord | undefined {
    if (given === undefined) return undefined;
    // a path is kept within Tracee's string bound (PATH_MAX), marked where cut
    const f = given.path.length > MAX_STRING_CHARS ? { ...given, path: boundedString(given.path) } : given;
    const list = this.byPath.get(f.path);
    if (list === undefined) {
      if (this.byPath.size >= FileInterner.MAX_PATHS) this.byPath.clear();
      this.byPath.set(f.path, [f]);
      return f;
    }
    for (let i = 0; i < list.length; i++) {
      const x = list[i]!;
      if (x === f || (x.inode === f.inode && x.dev === f.dev && x.ctime === f.ctime && x.mode === f.mode)) return x;
    }
    if (list.length < 8) list.push(f);
    return f;
  }
}

/**
 * The mutable store a family of tree values shares. Only src/tree/ writes it, through drafts.
 */
/** What a snapshot reads of a store map. */
export interface VersionedReads<V> {
  readonly count: number;
  get(key: number, version: number): V | undefined;
  forEach(version: number, f: (value: V, key: number) => void): void;
}

/** How the store keeps its two node kinds (see nodeMap.ts). */
export interface NodeKinds<P, T> {
  readonly process: NodeKind<P>;
  readonly thread: NodeKind<T>;
}

export class TreeStore<P extends object, T extends object> {
  readonly processes: NodeMap<P>;
  readonly threads: NodeMap<T>;
  readonly pids = new VersionedMap<readonly EntityId[]>();
  readonly files: FileInterner;
  /** Newest committed version. */
  head: number;
  /** Version a draft is writing (head + 1), or 0 when none is open. */
  pending = 0;
  /** Oldest version still readable. */
  horizon: number;
  evictedProcesses = 0;
  evictedThreads = 0;
  readonly maxVersions: number;
  readonly maxSpanNs: bigint | undefined;
  /** The store's reusable draft (see snapshot.ts). */
  draft: object | undefined;
  private readonly index = new VersionIndex();
  /** Pinned versions → pin count. */
  private readonly pins = new Map<number, number>();
  /** Pinned versions, ascending; the first `below` of them are below the horizon (the vacuum keeps what they read). */
  private readonly pinList: number[] = [];
  private below = 0;
  /** The index rows of pinned versions (the index itself drops rows below the horizon). */
  private readonly pinnedRows = new Map<number, { readonly time: Nanos; readonly ints: readonly number[] }>();

  constructor(
    private readonly kinds: NodeKinds<P, T>,
    retention: Retention = {},
    version = 0,
    time: Nanos = 0n,
    files?: FileInterner,
  ) {
    this.processes = new NodeMap<P>(kinds.process);
    this.threads = new NodeMap<T>(kinds.thread);
    const max = retention.maxVersions ?? DEFAULT_MAX_VERSIONS;
    this.maxVersions = Number.isFinite(max) ? Math.max(1, Math.floor(max)) : Number.POSITIVE_INFINITY;
    this.maxSpanNs = retention.maxSpanNs;
    this.head = version;
    this.horizon = version;
    this.files = files ?? new FileInterner();
    this.index.push(version, time, 0, 0, 0, 0, 0);
  }

  /** Throws when `version` can no longer be read. */
  check(version: number): void {
    if (version < this.horizon && !this.pins.has(version)) throw new VersionNotRetainedError(version, this.horizon);
  }

  /** Is `version` readable (retained or pinned)? */
  retains(version: number): boolean {
    return (version >= this.horizon && version <= this.head) || this.pins.has(version);
  }

  /** Opens a draft writing version head + 1. */
  open(): number {
    this.pending = this.head + 1;
    this.processes.open();
    this.threads.open();
    this.pids.open();
    return this.pending;
  }

  /** Commits the open draft as the next version, at `time`; then vacuums what fell out of retention. */
  commit(time: Nanos): number {
    const v = this.pending;
    this.processes.commit();
    this.threads.commit();
    this.pids.commit();
    this.index.push(v, time, this.processes.count, this.threads.count, this.pids.count, this.evictedProcesses, this.evictedThreads);
    this.head = v;
    this.pending = 0;
    this.retire(time);
    return v;
  }

  /** Abandons the open draft (nothing it wrote stays). */
  rollback(): void {
    const v = this.pending;
    this.processes.rollback(v);
    this.threads.rollback(v);
    this.pids.rollback(v);
    this.evictedProcesses = this.index.int(this.head, VersionField.EvictedProcesses);
    this.evictedThreads = this.index.int(this.head, VersionField.EvictedThreads);
    this.pending = 0;
  }

  /** Moves the retention floor and the horizon forward, then vacuums. */
  private retire(now: Nanos): void {
    let floor = this.index.first();
    if (this.head - floor + 1 > this.maxVersions) floor = this.head - this.maxVersions + 1;
    if (this.maxSpanNs !== undefined) {
      const oldest = now - this.maxSpanNs;
      while (floor < this.head && this.index.timeOf(floor) < oldest) floor++;
    }
    const horizon = floor;
    if (horizon <= this.horizon) return;
    this.horizon = horizon;
    while (this.below < this.pinList.length && this.pinList[this.below]! < horizon) this.below++;
    this.index.dropBefore(horizon);
    // pinned versions hold only what they read (not every version after them)
    this.processes.vacuum(horizon, this.pinList, this.below);
    this.threads.vacuum(horizon, this.pinList, this.below);
    this.pids.vacuum(horizon, this.pinList, this.below);
  }

  /**
   * Keeps `version` readable until the returned handle is released. A pinned version keeps only
   * the entries it reads (those changed after it, one old entry each), not every version after it.
   * After the release, its entries go at the next write of each of their keys.
   */
  pin(version: number): () => void {
    this.check(version);
    const count = this.pins.get(version) ?? 0;
    this.pins.set(version, count + 1);
    if (count === 0) {
      // versions are pinned mostly in increasing order: usually an append
      const at = lowerBound(this.pinList, this.pinList.length, version);
      this.pinList.splice(at, 0, version);
      if (version < this.horizon) this.below++;
    }
    if (!this.pinnedRows.has(version)) {
      const ints = [0, 1, 2, 3, 4].map((f) => this.index.int(version, f));
      this.pinnedRows.set(version, { time: this.index.timeOf(version), ints });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.pins.get(version) ?? 1) - 1;
      if (n > 0) {
        this.pins.set(version, n);
        return;
      }
      this.pins.delete(version);
      this.pinnedRows.delete(version);
      this.processes.unpin(version);
      this.threads.unpin(version);
      const at = lowerBound(this.pinList, this.pinList.length, version);
      this.pinList.splice(at, 1);
      if (version < this.horizon) this.below--;
    };
  }

  /** Versions readable now. */
  get retained(): number {
    return this.head - this.horizon + 1;
  }
  /** The newest version with time ≤ t (the oldest retained when every one is later). */
  versionAt(t: Nanos): number {
    if (this.index.size > 0 && this.index.timeOf(this.index.first()) <= t) return this.index.versionAt(t);
    // before every retained version: the newest pinned one at or before t, else the oldest readable
    // pinned versions' times grow with their versions: binary search
    let lo = 0;
    let hi = this.below - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeOf(this.pinList[mid]!) <= t) {
        best = this.pinList[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best !== -1) return best;
    return this.below > 0 ? this.pinList[0]! : this.index.first();
  }

  /** The oldest readable version after the empty start (version 0), or the head. */
  oldestChanged(): number {
    for (let i = 0; i < this.below; i++) if (this.pinList[i]! >= 1) return this.pinList[i]!;
    return Math.min(this.head, Math.max(1, this.horizon));
  }

  timeOf(version: number): Nanos {
    return this.index.has(version) ? this.index.timeOf(version) : (this.pinnedRows.get(version)?.time ?? 0n);
  }
  int(version: number, field: VersionField): number {
    return this.index.has(version) ? this.index.int(version, field) : (this.pinnedRows.get(version)?.ints[field] ?? 0);
  }

  /** A new store holding what this one holds as of `version` (a branch), stamped `version`. */
  branchAt(version: number): TreeStore<P, T> {
    this.check(version);
    const out = new TreeStore<P, T>(this.kinds, { maxVersions: this.maxVersions, ...(this.maxSpanNs === undefined ? {} : { maxSpanNs: this.maxSpanNs }) }, version, this.timeOf(version), this.files);
    (out as { processes: NodeMap<P> }).processes = this.processes.copyAt(version);
    (out as { threads: NodeMap<T> }).threads = this.threads.copyAt(version);
    (out as { pids: VersionedMap<readonly EntityId[]> }).pids = this.pids.copyAt(version);
    out.evictedProcesses = this.int(version, VersionField.EvictedProcesses);
    out.evictedThreads = this.int(version, VersionField.EvictedThreads);
    const index = this.index.has(version) ? this.index.copyUpTo(version) : new VersionIndex();
    if (!index.has(version)) {
      index.push(version, this.timeOf(version), out.processes.count, out.threads.count, out.pids.count, out.evictedProcesses, out.evictedThreads);
    }
    (out as unknown as { index: VersionIndex }).index = index;
    out.horizon = version;
    return out;
  }

  /** Sizes of what the store holds. */
  footprint(): { versions: number; pins: number; processEntries: number; threadEntries: number; pidEntries: number; queued: number } {
    const p = this.processes.footprint();
    const t = this.threads.footprint();
    const i = this.pids.footprint();
    return { versions: this.retained + this.below, pins: this.pins.size, processEntries: p.entries, threadEntries: t.entries, pidEntries: i.entries, queued: p.queued + t.queued + i.queued };
  }
}
