/**
 * The store's map of tree nodes (processes or threads), version-stamped the way MVCC databases
 * keep rows with an undo log: each entity is ONE node object, updated in place at the newest
 * version; what a change overwrote goes to an undo log (one record per changed field: version,
 * key, field, old value), so a snapshot of an older version reads the node with the newer
 * changes undone. Internal to src/tree/.
 *
 * - A read at or after a node's last write returns the node itself (no copy): the usual case,
 *   the newest version. An older read materialises a copy (cached per node for one version).
 * - A removed node goes to a graveyard until no readable version can see it.
 * - The vacuum drops undo records no readable version needs (FIFO: the log is in version order);
 *   before dropping what a pinned version reads, it keeps that version's view of the node.
 * - A node object returned by a read stays valid only until the next change of the store; the
 *   snapshot itself always answers as of its version when read again.
 *
 * @module
 */

/** Per-node stamps, kept on the node object itself (no side table, no extra lookup). */
export interface Stamped {
  /** Version that created this node object (0: not adopted yet). */
  _cv: number;
  /** Version of its last write (a field change or a touch). */
  _wv: number;
  /** Newest undo record of this node (a log sequence number), -1 when none. */
  _uh: number;
}

/** A node removed from the map: readable by versions in [cv, rv). */
interface Grave<V> {
  readonly node: V;
  readonly cv: number;
  readonly rv: number;
}

/** How a map reads and copies its node kind. */
export interface NodeKind<V> {
  /** The fields a change may write (never `kind`, `id` or the stamps). */
  readonly fields: readonly (keyof V & string)[];
  /** Field name → its index in `fields`. */
  readonly index: Readonly<Record<string, number>>;
  /** A field-by-field copy (one hidden class), stamps reset. */
  clone(node: V): V;
  /**
   * Copies into `dst` each field of `src` that differs, calling `changed(field index, old value)`
   * first for each; returns whether any differed. Written out per kind: monomorphic field access.
   */
  update(dst: V, src: V, changed: (field: number, old: unknown) => void): boolean;
}

/** The undo log: parallel arrays indexed by sequence number − base, FIFO by version. */
class UndoLog {
  versions = new Int32Array(1024);
  keys = new Int32Array(1024);
  fields = new Uint8Array(1024);
  prev = new Float64Array(1024);
  values: unknown[] = [];
  /** Sequence number of array index 0. */
  base = 0;
  /** Oldest record still held. */
  tail = 0;
  /** Next sequence number. */
  end = 0;

  push(version: number, key: number, field: number, value: unknown, prev: number): number {
    let i = this.end - this.base;
    if (i === this.versions.length) {
      this.makeRoom();
      i = this.end - this.base;
    }
    this.versions[i] = version;
    this.keys[i] = key;
    this.fields[i] = field;
    this.prev[i] = prev;
    this.values[i] = value;
    return this.end++;
  }

  private makeRoom(): void {
    const live = this.end - this.tail;
    const from = this.tail - this.base;
    const size = live * 2 > this.versions.length ? this.versions.length * 2 : this.versions.length;
    if (size === this.versions.length) {
      this.versions.copyWithin(0, from, from + live);
      this.keys.copyWithin(0, from, from + live);
      this.fields.copyWithin(0, from, from + live);
      this.prev.copyWithin(0, from, from + live);
    } else {
      const v = new Int32Array(size);
      v.set(this.versions.subarray(from, from + live));
      const k = new Int32Array(size);
      k.set(this.keys.subarray(from, from + live));
      const f = new Uint8Array(size);
      f.set(this.fields.subarray(from, from + live));
      const p = new Float64Array(size);
      p.set(this.prev.subarray(from, from + live));
      this.versions = v;
      this.keys = k;
      this.fields = f;
      this.prev = p;
    }
    const values = this.values.slice(from, from + live);
    this.values = values;
    this.base = this.tail;
  }

  /** Index of record `seq` (held: tail ≤ seq < end). */
  at(seq: number): number {
    return seq - this.base;
  }
}

/** A map of entity id → node, version-stamped with an undo log (see the module note). */
export class NodeMap<V extends object> {
  private readonly live = new Map<number, V & Stamped>();
  private readonly log = new UndoLog();
  /** Removed nodes by key, oldest first, while a readable version may see them. */
  private readonly graves = new Map<number, Grave<V & Stamped>[]>();
  /** (removed version, key) of graves, in version order, for the vacuum; entries before `graveHead` are done. */
  private graveQueue: number[] = [];
  private graveHead = 0;
  /** Pinned version → its view of keys whose undo records the vacuum dropped (null: absent then). */
  private readonly pinViews = new Map<number, Map<number, V | null>>();
  /** Keys created by the open draft (the first `createdCount`; for rollback; arrays reused, no length writes per draft). */
  private readonly created: number[] = [];
  private createdCount = 0;
  /** Nodes the open draft wrote, with their write stamp before it (the first `writtenCount`; for rollback). */
  private readonly written: (V & Stamped)[] = [];
  private readonly writtenWv: number[] = [];
  private writtenCount = 0;
  private removedInDraft = 0;
  /** Records of the open draft start here. */
  private draftStart = 0;
  count = 0;
  private countAtOpen = 0;
  /** Oldest version every read is at or after (pinned versions below it read pinViews). */
  private horizon = 0;

  constructor(private readonly kind: NodeKind<V>) {}

  /** The node `key` holds as of `version` (the live object when it has not changed since). */
  get(key: number, version: number): V | undefined {
    if (version < this.horizon) {
      // a pinned version: what the vacuum dropped of this key was kept as its view
      const view = this.pinViews.get(version)?.get(key | 0);
      if (view !== undefined) return view ?? undefined;
    }
    const node = this.live.get(key | 0);
    if (node !== undefined && node._cv <= version) return node._wv <= version ? node : this.materialize(node, version);
    const graves = this.graves.get(key | 0);
    if (graves !== undefined) {
      for (let i = graves.length - 1; i >= 0; i--) {
        const g = graves[i]!;
        if (g.cv <= version && version < g.rv) return g.node._wv <= version ? g.node : this.materialize(g.node, version);
      }
    }
    return undefined;
  }

  /** `node` as of `version`: a copy with the changes after `version` undone (cached for that version). */
  private materialize(node: V & Stamped, version: number): V {
    const cache = (node as unknown as { _mc?: { v: number; w: number; copy: V } })._mc;
    if (cache !== undefined && cache.v === version && cache.w === node._wv) return cache.copy;
    const copy = this.kind.clone(node) as V & Stamped;
    const log = this.log;
    const fields = this.kind.fields;
    for (let seq = node._uh; seq >= log.tail; ) {
      const i = log.at(seq);
      if (log.versions[i]! <= version) break;
      (copy as Record<string, unknown>)[fields[log.fields[i]!]!] = log.values[i];
      seq = log.prev[i]!;
    }
    copy._wv = -1;
    (node as unknown as { _mc?: { v: number; w: number; copy: V } })._mc = { v: version, w: node._wv, copy };
    return copy;
  }

  /**
   * Writes `value` as `key`'s node at the open draft's version `pending` (`undefined`: removes).
   * An existing node is updated in place, each differing field logged; a new key adopts `value`.
   * Returns whether anything changed.
   */
  set(uint: number, value: V | undefined, pending: number): boolean {
    const key = uint | 0;
    const node = this.live.get(key);
    if (value === undefined) {
      if (node === undefined) return false;
      this.live.delete(key);
      this.bury(key, node, pending);
      this.count--;
      return true;
    }
    if (node === undefined) {
      // a node object another key or store holds (or a materialised copy) is copied, never shared
      const n = ((value as V & Stamped)._cv === 0 ? value : this.kind.clone(value)) as V & Stamped;
      n._cv = pending;
      n._wv = pending;
      n._uh = -1;
      this.live.set(key, n);
      this.created[this.createdCount++] = key;
      this.count++;
      return true;
    }
    if ((value as unknown) === node) return false;
    this.writing = node;
    this.writingKey = key;
    this.pending = pending;
    const changed = this.kind.update(node, value, this.logField);
    if (changed) this.stamp(node, pending);
    return changed;
  }

  /** Is `node` the live node of `key` (the one {@link write} may write in place)? */
  holds(key: number, node: V): boolean {
    return this.live.get(key | 0) === node;
  }

  /**
   * Writes `changes` into `node`, the live node of `key` ({@link holds}), in place at the open
   * draft's version `pending`: each differing field's old value is logged (once per field per
   * draft). Returns whether anything changed.
   */
  write(key: number, node: V, changes: Partial<V>, pending: number): boolean {
    const target = node as V & Stamped;
    const fields = target as unknown as Record<string, unknown>;
    const index = this.kind.index;
    this.writing = target;
    this.writingKey = key | 0;
    this.pending = pending;
    let changed = false;
    for (const k in changes) {
      const value: unknown = changes[k];
      const old = fields[k];
      if (value === old || (value !== value && old !== old)) continue;
      this.logField(index[k]!, old);
      fields[k] = value;
      changed = true;
    }
    if (changed) this.stamp(target, pending);
    return changed;
  }

  /** The node being written by {@link set}, for {@link logField}. */
  private writing: (V & Stamped) | undefined;
  private writingKey = 0;
  private pending = 0;

  /** Logs the old value of a field {@link set} is about to change (once per field per draft). */
  private readonly logField = (field: number, old: unknown): void => {
    const node = this.writing!;
    if (!this.loggedInDraft(node, field, this.pending)) node._uh = this.log.push(this.pending, this.writingKey, field, old, node._uh);
  };

  /** Sets a node's write stamp to `pending`, remembering the old one for rollback. */
  private stamp(node: V & Stamped, pending: number): void {
    if (node._wv === pending) return;
    this.written[this.writtenCount] = node;
    this.writtenWv[this.writtenCount++] = node._wv;
    node._wv = pending;
  }

  /** Marks `key`'s node as changed at `pending` without a field change (its answers changed through others). */
  touch(uint: number, pending: number): boolean {
    const node = this.live.get(uint | 0);
    if (node === undefined || node._wv === pending) return false;
    this.stamp(node, pending);
    return true;
  }

  private loggedInDraft(node: V & Stamped, field: number, pending: number): boolean {
    if (node._cv === pending) return true; // created by this draft: nothing older to keep
    const log = this.log;
    for (let seq = node._uh; seq >= log.tail && seq >= this.draftStart; ) {
      const i = log.at(seq);
      if (log.versions[i] !== pending) return false;
      if (log.fields[i] === field) return true;
      seq = log.prev[i]!;
    }
    return false;
  }

  private bury(key: number, node: V & Stamped, pending: number): void {
    if (node._cv === pending) {
      // created and removed within one draft: never visible
      return;
    }
    const list = this.graves.get(key);
    const grave = { node, cv: node._cv, rv: pending };
    if (list === undefined) this.graves.set(key, [grave]);
    else list.push(grave);
    this.graveQueue.push(pending, key);
    this.removedInDraft++;
  }

  /** Starts a draft. */
  open(): void {
    this.countAtOpen = this.count;
    this.createdCount = 0;
    this.removedInDraft = 0;
    this.writtenCount = 0;
    this.draftStart = this.log.end;
  }

  /** Ends the draft, keeping its writes. */
  commit(): void {
    this.createdCount = 0;
    this.removedInDraft = 0;
    // drop references to written nodes now and then (the arrays are reused)
    if (this.writtenCount > 4096) this.written.length = this.writtenWv.length = 0;
    this.writtenCount = 0;
  }

  /** Ends the draft, undoing its writes (stamped `pending`). */
  rollback(pending: number): void {
    const log = this.log;
    const fields = this.kind.fields;
    // field changes, newest first
    for (let seq = log.end - 1; seq >= this.draftStart && seq >= log.tail; seq--) {
      const i = log.at(seq);
      const node = this.findStamped(log.keys[i]!);
      if (node !== undefined) {
        (node as unknown as Record<string, unknown>)[fields[log.fields[i]!]!] = log.values[i];
        node._uh = log.prev[i]!;
      }
      log.values[i] = undefined;
    }
    log.end = Math.max(this.draftStart, log.tail);
    // removals: back from the graveyard
    for (let r = 0; r < this.removedInDraft; r++) {
      const key = this.graveQueue[this.graveQueue.length - 1]!;
      this.graveQueue.length -= 2;
      const list = this.graves.get(key)!;
      const grave = list.pop()!;
      if (list.length === 0) this.graves.delete(key);
      this.live.set(key, grave.node);
    }
    // creations
    for (let c = 0; c < this.createdCount; c++) {
      const key = this.created[c]!;
      const node = this.live.get(key);
      if (node !== undefined && node._cv === pending) this.live.delete(key);
    }
    // write stamps back
    for (let i = this.writtenCount - 1; i >= 0; i--) this.written[i]!._wv = this.writtenWv[i]!;
    this.writtenCount = 0;
    this.createdCount = 0;
    this.removedInDraft = 0;
    this.count = this.countAtOpen;
  }

  private findStamped(key: number): (V & Stamped) | undefined {
    const node = this.live.get(key);
    if (node !== undefined) return node;
    const graves = this.graves.get(key);
    return graves?.[graves.length - 1]?.node;
  }

  /**
   * Drops what no version at or after `horizon` reads; for each pinned version below it
   * (`pins[0..n)`, ascending), keeps its view of every node whose dropped records it reads.
   */
  vacuum(horizon: number, pins: readonly number[], n: number): void {
    this.horizon = horizon;
    const log = this.log;
    while (log.tail < log.end) {
      const i = log.at(log.tail);
      const v = log.versions[i]!;
      if (v > horizon) break;
      if (n > 0 && pins[0]! < v) {
        // pinned versions below this record read the value it holds: keep their view of the node first
        const key = log.keys[i]!;
        for (let p = 0; p < n && pins[p]! < v; p++) this.keepView(pins[p]!, key);
      }
      log.values[i] = undefined;
      log.tail++;
    }
    const q = this.graveQueue;
    let drop = this.graveHead;
    while (drop < q.length && q[drop]! <= horizon) {
      const rv = q[drop]!;
      const key = q[drop + 1]!;
      drop += 2;
      const list = this.graves.get(key);
      if (list === undefined) continue;
      const at = list.findIndex((g) => g.rv === rv);
      if (at < 0) continue;
      const g = list[at]!;
      for (let p = 0; p < n; p++) if (pins[p]! >= g.cv && pins[p]! < g.rv) this.keepView(pins[p]!, key, g.node, g.rv);
      list.splice(at, 1);
      if (list.length === 0) this.graves.delete(key);
    }
    this.graveHead = drop;
    if (drop > 1024 && drop * 2 > q.length) {
      this.graveQueue = q.slice(drop);
      this.graveHead = 0;
    }
  }

  /** Saves pinned version `p`'s view of `key` (once). */
  private keepView(p: number, key: number, buried?: V & Stamped, rv?: number): void {
    let views = this.pinViews.get(p);
    if (views === undefined) this.pinViews.set(p, (views = new Map()));
    if (views.has(key)) return;
    if (buried !== undefined && rv !== undefined) {
      views.set(key, buried._cv <= p && p < rv ? (buried._wv <= p ? buried : this.materialize(buried, p)) : null);
      return;
    }
    views.set(key, this.getAbove(key, p) ?? null);
  }

  /** {@link get} without the pinned-view shortcut (the log still holds what `version` needs). */
  private getAbove(key: number, version: number): V | undefined {
    const node = this.live.get(key);
    if (node !== undefined && node._cv <= version) return node._wv <= version ? node : this.copyOf(this.materialize(node, version));
    const graves = this.graves.get(key);
    if (graves !== undefined) {
      for (let i = graves.length - 1; i >= 0; i--) {
        const g = graves[i]!;
        if (g.cv <= version && version < g.rv) return this.copyOf(g.node._wv <= version ? g.node : this.materialize(g.node, version));
      }
    }
    return undefined;
  }

  /** A stable copy (a live node may change later; a pinned view must not). */
  private copyOf(node: V): V {
    const copy = this.kind.clone(node) as V & Stamped;
    copy._wv = -1;
    return copy;
  }

  /** A pin of `version` was released: its kept views go. */
  unpin(version: number): void {
    this.pinViews.delete(version);
  }

  /** Visits every key holding a node as of `version`, in first-insertion order of the live map (then removed ones). */
  forEach(version: number, f: (value: V, key: number) => void): void {
    const views = version < this.horizon ? this.pinViews.get(version) : undefined;
    for (const [key, node] of this.live) {
      if (views?.has(key) === true) continue;
      if (node._cv <= version) f(node._wv <= version ? node : this.materialize(node, version), key >>> 0);
    }
    if (views !== undefined) {
      for (const [key, view] of views) if (view !== null) f(view, key >>> 0);
    }
    for (const [key, graves] of this.graves) {
      if (views?.has(key) === true) continue;
      const node = this.live.get(key);
      if (node !== undefined && node._cv <= version) continue;
      for (let i = graves.length - 1; i >= 0; i--) {
        const g = graves[i]!;
        if (g.cv <= version && version < g.rv) {
          f(g.node._wv <= version ? g.node : this.materialize(g.node, version), key >>> 0);
          break;
        }
      }
    }
  }

  /** A map holding copies of what this one holds as of `version`, created at `version`. */
  copyAt(version: number): NodeMap<V> {
    const out = new NodeMap<V>(this.kind);
    out.horizon = version;
    this.forEach(version, (value, key) => {
      const copy = this.kind.clone(value) as V & Stamped;
      copy._cv = version;
      copy._wv = version;
      copy._uh = -1;
      out.live.set(key | 0, copy);
      out.count++;
    });
    return out;
  }

  /** Keys, undo records and graves held (for footprint figures). */
  footprint(): { keys: number; entries: number; queued: number } {
    let graves = 0;
    for (const list of this.graves.values()) graves += list.length;
    return { keys: this.live.size, entries: this.log.end - this.log.tail + graves, queued: (this.graveQueue.length - this.graveHead) / 2 };
  }
}
