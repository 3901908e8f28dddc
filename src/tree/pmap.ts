/**
 * A persistent (immutable, structurally shared) hash array mapped trie keyed by uint32 —
 * entity ids, pids. Every update returns a new map sharing all untouched nodes with the old
 * one; an update that changes nothing returns the very same map.
 *
 * Keys are consumed 4 bits per level (`SHIFT`, 16-way branches): a 32-bit key is fully resolved
 * after 8 levels, so no collision nodes are needed. get/set/remove are O(log16 n). The 16-way
 * fan-out keeps the path an update copies small (≈ 150 bytes per full level), which is what a
 * retained version costs. Leaves and branches share one class so lookups stay monomorphic.
 *
 * Transient batches: updates made under an edit token mutate the branches that token created,
 * in place; see {@link Edit}.
 *
 * @module
 */

const SHIFT = 4;
const MASK = 15;
const MAX_SHIFT = 28; // the 8th level uses the top 4 bits

/**
 * A transient-batch token. Branches created under an edit may be mutated in place by later
 * updates under the same edit; once the batch drops its token they are as immutable as any.
 */
export type Edit = object;

/** A trie node: a leaf (`slots === null`) or a branch. One class, one shape. */
class TrieNode {
  constructor(
    public bitmap: number,
    public slots: TrieNode[] | null,
    public key: number,
    public value: unknown,
    public owner: Edit | undefined,
  ) {}
}

const leaf = (key: number, value: unknown): TrieNode => new TrieNode(0, null, key, value, undefined);
const branch = (bitmap: number, slots: TrieNode[], owner: Edit | undefined): TrieNode => new TrieNode(bitmap, slots, 0, undefined, owner);

/** An immutable map from uint32 keys to values. */
export interface PMap<V> {
  readonly size: number;
  /** @internal */
  readonly root: TrieNode;
  /** @internal */
  readonly owner?: Edit | undefined;
  /** @internal phantom */
  readonly __v?: V;
}

const EMPTY_BRANCH = branch(0, [], undefined);
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
    if ((node.bitmap & bit) === 0) return undefined;
    const child = node.slots![popcount(node.bitmap & (bit - 1))]!;
    if (child.slots === null) return child.key === key ? (child.value as V) : undefined;
    node = child;
    shift += SHIFT;
  }
}

/** True when `key` is present. */
export const phas = <V>(map: PMap<V>, key: number): boolean => pget(map, key) !== undefined;

const pair = (a: TrieNode, b: TrieNode, shift: number, owner: Edit | undefined): TrieNode => {
  const ia = (a.key >>> shift) & MASK;
  const ib = (b.key >>> shift) & MASK;
  if (ia === ib) return branch(1 << ia, [pair(a, b, shift + SHIFT, owner)], owner);
  return branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a], owner);
};

/** `node` with slot i replaced (in place when owned). */
const withSlot = (node: TrieNode, i: number, s: TrieNode, owner: Edit | undefined): TrieNode => {
  if (owner !== undefined && node.owner === owner) {
    node.slots![i] = s;
    return node;
  }
  const slots = node.slots!.slice();
  slots[i] = s;
  return branch(node.bitmap, slots, owner);
};

let added = false;

function setIn(node: TrieNode, key: number, value: unknown, shift: number, owner: Edit | undefined): TrieNode {
  const bit = 1 << ((key >>> shift) & MASK);
  const i = popcount(node.bitmap & (bit - 1));
  const slots = node.slots!;
  if ((node.bitmap & bit) === 0) {
    added = true;
    if (owner !== undefined && node.owner === owner) {
      slots.splice(i, 0, leaf(key, value));
      node.bitmap |= bit;
      return node;
    }
    const copy = new Array<TrieNode>(slots.length + 1);
    for (let j = 0; j < i; j++) copy[j] = slots[j]!;
    copy[i] = leaf(key, value);
    for (let j = i; j < slots.length; j++) copy[j + 1] = slots[j]!;
    return branch(node.bitmap | bit, copy, owner);
  }
  const child = slots[i]!;
  if (child.slots !== null) {
    const sub = setIn(child, key, value, shift + SHIFT, owner);
    return sub === child ? node : withSlot(node, i, sub, owner);
  }
  if (child.key === key) return child.value === value ? node : withSlot(node, i, leaf(key, value), owner);
  if (shift >= MAX_SHIFT) throw new Error('pmap: key space exhausted (keys must be uint32)');
  added = true;
  return withSlot(node, i, pair(child, leaf(key, value), shift + SHIFT, owner), owner);
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
    const m = map as { size: number; root: TrieNode };
    m.size = size;
    m.root = root;
    return map;
  }
  return root === map.root ? map : { size, root, owner };
}

function removeIn(node: TrieNode, key: number, shift: number, owner: Edit | undefined): TrieNode | undefined | null {
  // undefined: not found (unchanged); null: node became empty
  const bit = 1 << ((key >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return undefined;
  const i = popcount(node.bitmap & (bit - 1));
  const child = node.slots![i]!;
  if (child.slots !== null) {
    const sub = removeIn(child, key, shift + SHIFT, owner);
    if (sub === undefined) return undefined;
    if (sub !== null) {
      // collapse a sub-branch left with a single leaf
      const only = sub.slots!.length === 1 ? sub.slots![0]! : undefined;
      return withSlot(node, i, only !== undefined && only.slots === null ? only : sub, owner);
    }
  } else if (child.key !== key) return undefined;
  const bitmap = node.bitmap & ~bit;
  if (bitmap === 0) return null;
  if (owner !== undefined && node.owner === owner) {
    node.slots!.splice(i, 1);
    node.bitmap = bitmap;
    return node;
  }
  const slots = node.slots!.slice();
  slots.splice(i, 1);
  return branch(bitmap, slots, owner);
}

/** A map without `key`; the same map when the key was absent. Transient under `owner` as {@link pset}. */
export function premove<V>(map: PMap<V>, key: number, owner?: Edit): PMap<V> {
  const root = removeIn(map.root, key >>> 0, 0, owner);
  if (root === undefined) return map;
  const next = root ?? EMPTY_BRANCH;
  if (owner !== undefined && map.owner === owner) {
    const m = map as { size: number; root: TrieNode };
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

function walk<V>(node: TrieNode, f: (value: V, key: number) => void): void {
  const slots = node.slots!;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (s.slots === null) f(s.value as V, s.key);
    else walk(s, f);
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
