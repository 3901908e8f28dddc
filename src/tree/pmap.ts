/**
 * A persistent (immutable, structurally shared) hash array mapped trie keyed by uint32 —
 * entity ids, pids. Every update returns a new map sharing all untouched nodes with the old
 * one; an update that changes nothing returns the very same map.
 *
 * Keys are consumed 4 bits per level (`SHIFT`, 16-way branches): a 32-bit key is fully resolved
 * after 8 levels, so no collision nodes are needed. get/set/remove are O(log16 n).
 *
 * Layout (CHAMP, Steindorfer & Vinju 2015): a branch is one array
 * `[datamap, nodemap, owner, key0, value0, key1, value1, …, sub0, sub1, …]` — entries inline as
 * key/value pairs, sub-branches after them, each group in bit order. There is no per-entry
 * object: a lookup reads one array per level, and an entry costs two slots. Keys are stored as
 * int32 (`key | 0`), which V8 keeps unboxed (a uint32 above 2^31 would be a heap number). The
 * form is canonical: a sub-branch always holds at least two entries (a removal that leaves one
 * moves it up), so equal contents have equal shapes.
 *
 * Transient batches: updates made under an edit token mutate the branches that token created,
 * in place; see {@link Edit}.
 *
 * @module
 */
import { inserted, removed } from './exactArrays.js';

const SHIFT = 4;
const MASK = 15;
const MAX_SHIFT = 28; // the 8th level uses the top 4 bits

/**
 * A transient-batch token. Branches created under an edit may be mutated in place by later
 * updates under the same edit; once the batch drops its token they are as immutable as any.
 */
export type Edit = object;

/** A branch: `[datamap, nodemap, owner, k0, v0, …, sub0, …]`. */
type Branch = unknown[];
const DATAMAP = 0;
const NODEMAP = 1;
const OWNER = 2;
const FIRST = 3;

/** An immutable map from uint32 keys to values. */
export interface PMap<V> {
  readonly size: number;
  /** @internal */
  readonly root: Branch;
  /** @internal */
  readonly owner?: Edit | undefined;
  /** @internal phantom */
  readonly __v?: V;
}

const EMPTY_BRANCH: Branch = Object.freeze([0, 0, undefined]) as unknown as Branch;
const EMPTY: PMap<never> = Object.freeze({ size: 0, root: EMPTY_BRANCH, owner: undefined });

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
};

/** Slot of the entry for `bit` (its key; the value follows). */
const dataIndex = (node: Branch, bit: number): number => FIRST + 2 * popcount((node[DATAMAP] as number) & (bit - 1));
/** Slot of the sub-branch for `bit`. */
const nodeIndex = (node: Branch, bit: number): number =>
  FIRST + 2 * popcount(node[DATAMAP] as number) + popcount((node[NODEMAP] as number) & (bit - 1));

/** The empty map. */
export const emptyPMap = <V>(): PMap<V> => EMPTY as PMap<V>;

/** The value under `key`, or `undefined`. O(log16 n). */
export function pget<V>(map: PMap<V>, key: number): V | undefined {
  const k = key | 0;
  let node = map.root;
  let shift = 0;
  for (;;) {
    const bit = 1 << ((k >>> shift) & MASK);
    const datamap = node[DATAMAP] as number;
    if ((datamap & bit) !== 0) {
      const i = FIRST + 2 * popcount(datamap & (bit - 1));
      return node[i] === k ? (node[i + 1] as V) : undefined;
    }
    const nodemap = node[NODEMAP] as number;
    if ((nodemap & bit) === 0) return undefined;
    node = node[FIRST + 2 * popcount(datamap) + popcount(nodemap & (bit - 1))] as Branch;
    shift += SHIFT;
  }
}

/** True when `key` is present. */
export const phas = <V>(map: PMap<V>, key: number): boolean => pget(map, key) !== undefined;

/** A branch holding two entries whose keys agree below `shift`. */
function pair(k1: number, v1: unknown, k2: number, v2: unknown, shift: number, owner: Edit | undefined): Branch {
  if (shift > MAX_SHIFT) throw new Error('pmap: key space exhausted (keys must be uint32)');
  const b1 = (k1 >>> shift) & MASK;
  const b2 = (k2 >>> shift) & MASK;
  if (b1 === b2) return [0, 1 << b1, owner, pair(k1, v1, k2, v2, shift + SHIFT, owner)];
  return b1 < b2 ? [(1 << b1) | (1 << b2), 0, owner, k1, v1, k2, v2] : [(1 << b1) | (1 << b2), 0, owner, k2, v2, k1, v1];
}

/** Is `node` writable in place under `owner` (created by that batch)? */
const owned = (node: Branch, owner: Edit | undefined): boolean => owner !== undefined && node[OWNER] === owner;

/** A writable copy of `node` for `owner` (the node itself when `owner` made it). */
const editable = (node: Branch, owner: Edit | undefined): Branch => {
  if (owned(node, owner)) return node;
  const copy = node.slice();
  copy[OWNER] = owner;
  return copy;
};

function setIn(node: Branch, k: number, value: unknown, shift: number, owner: Edit | undefined): Branch {
  const bit = 1 << ((k >>> shift) & MASK);
  const datamap = node[DATAMAP] as number;
  const nodemap = node[NODEMAP] as number;
  if ((datamap & bit) !== 0) {
    const i = dataIndex(node, bit);
    const k0 = node[i] as number;
    if (k0 === k) {
      if (node[i + 1] === value) return node;
      const out = editable(node, owner);
      out[i + 1] = value;
      return out;
    }
    // two keys on one slot: the entry moves down into a new sub-branch
    const sub = pair(k0, node[i + 1], k, value, shift + SHIFT, owner);
    const without = removed(node, i, 2);
    without[DATAMAP] = datamap & ~bit;
    const out = inserted(without, nodeIndex(without, bit), sub);
    out[OWNER] = owner;
    out[NODEMAP] = nodemap | bit;
    return out;
  }
  if ((nodemap & bit) !== 0) {
    const j = nodeIndex(node, bit);
    const child = node[j] as Branch;
    const next = setIn(child, k, value, shift + SHIFT, owner);
    if (next === child) return node;
    const out = editable(node, owner);
    out[j] = next;
    return out;
  }
  const i = dataIndex(node, bit);
  // a copy of exact length even inside a batch: an in-place splice would leave growth slack in a
  // branch that outlives the batch (values are still replaced in place in the batch's branches)
  const out = inserted(node, i, k, value);
  out[OWNER] = owner;
  out[DATAMAP] = datamap | bit;
  return out;
}

/**
 * A map with `key` set to `value`; the same map when it already held that exact value.
 * Under an `owner` edit token (a transient batch) the map's own branches are updated in place.
 */
export function pset<V>(map: PMap<V>, key: number, value: V, owner?: Edit): PMap<V> {
  // whether the key is new, asked first (no module-level flag set by the recursion)
  const size = pget(map, key) === undefined ? map.size + 1 : map.size;
  const root = setIn(map.root, key | 0, value, 0, owner);
  if (owner !== undefined && map.owner === owner) {
    const m = map as { size: number; root: Branch };
    m.size = size;
    m.root = root;
    return map;
  }
  return root === map.root ? map : { size, root, owner };
}

/** Does `node` hold exactly one entry and no sub-branch (then its parent takes the entry inline)? */
const isSingleton = (node: Branch): boolean => node[NODEMAP] === 0 && node.length === FIRST + 2;

function removeIn(node: Branch, k: number, shift: number, owner: Edit | undefined): Branch | undefined {
  // undefined: not found (unchanged)
  const bit = 1 << ((k >>> shift) & MASK);
  const datamap = node[DATAMAP] as number;
  const nodemap = node[NODEMAP] as number;
  if ((datamap & bit) !== 0) {
    const i = dataIndex(node, bit);
    if (node[i] !== k) return undefined;
    const out = removed(node, i, 2);
    out[OWNER] = owner;
    out[DATAMAP] = datamap & ~bit;
    return out;
  }
  if ((nodemap & bit) === 0) return undefined;
  const j = nodeIndex(node, bit);
  const child = node[j] as Branch;
  const sub = removeIn(child, k, shift + SHIFT, owner);
  if (sub === undefined) return undefined;
  if (!isSingleton(sub)) {
    const out = editable(node, owner);
    out[j] = sub;
    return out;
  }
  // the sub-branch is down to one entry: it moves up into this branch
  const without = removed(node, j);
  without[NODEMAP] = nodemap & ~bit;
  const out = inserted(without, dataIndex(without, bit), sub[FIRST], sub[FIRST + 1]);
  out[OWNER] = owner;
  out[DATAMAP] = datamap | bit;
  return out;
}

/** A map without `key`; the same map when the key was absent. Transient under `owner` as {@link pset}. */
export function premove<V>(map: PMap<V>, key: number, owner?: Edit): PMap<V> {
  const root = removeIn(map.root, key | 0, 0, owner);
  if (root === undefined) return map;
  const next = map.size === 1 ? EMPTY_BRANCH : root;
  if (owner !== undefined && map.owner === owner) {
    const m = map as { size: number; root: Branch };
    m.size = map.size - 1;
    m.root = next;
    return map;
  }
  return { size: map.size - 1, root: next, owner };
}

/** A map with `key`'s value replaced by `f(value)`; unchanged when absent or when `f` returns the same value. */
export function pupdate<V>(map: PMap<V>, key: number, f: (v: V) => V): PMap<V> {
  const old = pget(map, key);
  if (old === undefined) return map;
  return pset(map, key, f(old));
}

function walk<V>(node: Branch, f: (value: V, key: number) => void | boolean): boolean {
  const subs = FIRST + 2 * popcount(node[DATAMAP] as number);
  for (let i = FIRST; i < subs; i += 2) if (f(node[i + 1] as V, (node[i] as number) >>> 0) === true) return true;
  for (let j = subs; j < node.length; j++) if (walk(node[j] as Branch, f)) return true;
  return false;
}

/** Visits every entry (order: by key bits, entries of a branch before its sub-branches; stable for a given map). */
export function peach<V>(map: PMap<V>, f: (value: V, key: number) => void): void {
  if (map.size > 0) walk(map.root, f);
}

/** Visits entries in {@link peach}'s order until `f` returns true. */
export function psome<V>(map: PMap<V>, f: (value: V, key: number) => boolean): boolean {
  return map.size > 0 && walk(map.root, f);
}

/** All keys. */
export function pkeys<V>(map: PMap<V>): number[] {
  const out: number[] = [];
  peach(map, (_v, k) => out.push(k));
  return out;
}

/** All values. */
export function pvalues<V>(map: PMap<V>): V[] {
  const out: V[] = [];
  peach(map, (v) => out.push(v));
  return out;
}
