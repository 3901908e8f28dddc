/**
 * A persistent (immutable, structurally shared) hash array mapped trie keyed by uint32 —
 * entity ids, pids. Every update returns a new map sharing all untouched nodes with the old
 * one; an update that changes nothing returns the very same map.
 *
 * Keys are consumed 4 bits per level (`SHIFT`, 16-way branches): a 32-bit key is fully resolved
 * after 8 levels, so no collision nodes are needed. get/set/remove are O(log16 n). The 16-way
 * fan-out keeps the path an update copies small (one array of ≤ 18 slots per level), which is
 * what a retained version costs.
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

/** A leaf: one entry. */
class Leaf {
  constructor(
    readonly key: number,
    readonly value: unknown,
  ) {}
}

/**
 * A branch: one array `[bitmap, owner, child0, child1, …]` (children are leaves or branches), so a
 * path copy allocates one object per level.
 */
type Branch = unknown[];
const BITMAP = 0;
const OWNER = 1;
const FIRST = 2;

const bitmapOf = (b: Branch): number => b[BITMAP] as number;

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

const EMPTY_BRANCH: Branch = Object.freeze([0, undefined]) as unknown as Branch;
const EMPTY: PMap<never> = Object.freeze({ size: 0, root: EMPTY_BRANCH, owner: undefined });

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
};

/** The empty map. */
export const emptyPMap = <V>(): PMap<V> => EMPTY as PMap<V>;

/** The value under `key`, or `undefined`. O(log16 n). */
export function pget<V>(map: PMap<V>, key: number): V | undefined {
  key = key >>> 0;
  let node = map.root;
  let shift = 0;
  for (;;) {
    const bit = 1 << ((key >>> shift) & MASK);
    const bitmap = bitmapOf(node);
    if ((bitmap & bit) === 0) return undefined;
    const child = node[FIRST + popcount(bitmap & (bit - 1))];
    if (child instanceof Leaf) return child.key === key ? (child.value as V) : undefined;
    node = child as Branch;
    shift += SHIFT;
  }
}

/** True when `key` is present. */
export const phas = <V>(map: PMap<V>, key: number): boolean => pget(map, key) !== undefined;

const pair = (a: Leaf, b: Leaf, shift: number, owner: Edit | undefined): Branch => {
  const ia = (a.key >>> shift) & MASK;
  const ib = (b.key >>> shift) & MASK;
  if (ia === ib) return [1 << ia, owner, pair(a, b, shift + SHIFT, owner)];
  return ia < ib ? [(1 << ia) | (1 << ib), owner, a, b] : [(1 << ia) | (1 << ib), owner, b, a];
};

/** A writable copy of `node` for `owner` (the node itself when `owner` made it). */
const editable = (node: Branch, owner: Edit | undefined): Branch => {
  if (owner !== undefined && node[OWNER] === owner) return node;
  const copy = node.slice();
  copy[OWNER] = owner;
  return copy;
};

let added = false;

function setIn(node: Branch, key: number, value: unknown, shift: number, owner: Edit | undefined): Branch {
  const bit = 1 << ((key >>> shift) & MASK);
  const bitmap = bitmapOf(node);
  const i = FIRST + popcount(bitmap & (bit - 1));
  if ((bitmap & bit) === 0) {
    added = true;
    const leaf = new Leaf(key, value);
    // in place for a branch of this batch; otherwise a copy of exact length (splice leaves slack)
    const out = owner !== undefined && node[OWNER] === owner ? (node.splice(i, 0, leaf), node) : inserted(node, i, leaf);
    out[OWNER] = owner;
    out[BITMAP] = bitmap | bit;
    return out;
  }
  const child = node[i];
  let next: unknown;
  if (child instanceof Leaf) {
    if (child.key === key) {
      if (child.value === value) return node;
      next = new Leaf(key, value);
    } else {
      if (shift >= MAX_SHIFT) throw new Error('pmap: key space exhausted (keys must be uint32)');
      added = true;
      next = pair(child, new Leaf(key, value), shift + SHIFT, owner);
    }
  } else {
    next = setIn(child as Branch, key, value, shift + SHIFT, owner);
    if (next === child) return node;
  }
  const out = editable(node, owner);
  out[i] = next;
  return out;
}

/**
 * A map with `key` set to `value`; the same map when it already held that exact value.
 * Under an `owner` edit token (a transient batch) the map's own branches are updated in place.
 */
export function pset<V>(map: PMap<V>, key: number, value: V, owner?: Edit): PMap<V> {
  added = false;
  const root = setIn(map.root, key >>> 0, value, 0, owner);
  const size = added ? map.size + 1 : map.size;
  if (owner !== undefined && map.owner === owner) {
    const m = map as { size: number; root: Branch };
    m.size = size;
    m.root = root;
    return map;
  }
  return root === map.root ? map : { size, root, owner };
}

function removeIn(node: Branch, key: number, shift: number, owner: Edit | undefined): Branch | undefined | null {
  // undefined: not found (unchanged); null: node became empty
  const bit = 1 << ((key >>> shift) & MASK);
  const bitmap = bitmapOf(node);
  if ((bitmap & bit) === 0) return undefined;
  const i = FIRST + popcount(bitmap & (bit - 1));
  const child = node[i];
  if (!(child instanceof Leaf)) {
    const sub = removeIn(child as Branch, key, shift + SHIFT, owner);
    if (sub === undefined) return undefined;
    if (sub !== null) {
      // collapse a sub-branch left with a single leaf
      const only = sub.length === FIRST + 1 && sub[FIRST] instanceof Leaf ? sub[FIRST] : sub;
      const out = editable(node, owner);
      out[i] = only;
      return out;
    }
  } else if (child.key !== key) return undefined;
  const rest = bitmap & ~bit;
  if (rest === 0) return null;
  const out = owner !== undefined && node[OWNER] === owner ? (node.splice(i, 1), node) : removed(node, i);
  out[OWNER] = owner;
  out[BITMAP] = rest;
  return out;
}

/** A map without `key`; the same map when the key was absent. Transient under `owner` as {@link pset}. */
export function premove<V>(map: PMap<V>, key: number, owner?: Edit): PMap<V> {
  const root = removeIn(map.root, key >>> 0, 0, owner);
  if (root === undefined) return map;
  const next = root ?? EMPTY_BRANCH;
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

function walk<V>(node: Branch, f: (value: V, key: number) => void): void {
  for (let i = FIRST; i < node.length; i++) {
    const c = node[i];
    if (c instanceof Leaf) f(c.value as V, c.key);
    else walk(c as Branch, f);
  }
}

/** Visits every entry (order: by key bits, stable for a given map). */
export function peach<V>(map: PMap<V>, f: (value: V, key: number) => void): void {
  if (map.size > 0) walk(map.root, f);
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
