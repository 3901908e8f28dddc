/**
 * A persistent (immutable, structurally shared) hash array mapped trie keyed by uint32 —
 * entity ids, pids. Every update returns a new map sharing all untouched nodes with the old
 * one; an update that changes nothing returns the very same map.
 *
 * Keys are consumed 5 bits per level (`SHIFT`), so a 32-bit key is fully resolved after 7
 * levels and no collision nodes are needed. get/set/remove are O(log32 n).
 *
 * @module
 */

const SHIFT = 5;
const MASK = 31;
const MAX_SHIFT = 30; // the 7th level uses the top 2 bits

interface Leaf<V> {
  readonly key: number;
  readonly value: V;
}

interface Branch<V> {
  readonly bitmap: number;
  readonly slots: readonly Slot<V>[];
}

type Slot<V> = Leaf<V> | Branch<V>;

const isBranch = <V>(s: Slot<V>): s is Branch<V> => (s as Branch<V>).slots !== undefined;

/** An immutable map from uint32 keys to values. */
export interface PMap<V> {
  readonly size: number;
  /** @internal */
  readonly root: Branch<V>;
}

const EMPTY_BRANCH: Branch<never> = { bitmap: 0, slots: [] };
const EMPTY: PMap<never> = { size: 0, root: EMPTY_BRANCH };

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
};

/** The empty map. */
export const emptyPMap = <V>(): PMap<V> => EMPTY as PMap<V>;

/** The value under `key`, or `undefined`. O(log32 n). */
export function pget<V>(map: PMap<V>, key: number): V | undefined {
  key >>>= 0; // normalise like pset/premove: -1 and 0xffffffff are one key
  let node: Branch<V> = map.root;
  for (let shift = 0; ; shift += SHIFT) {
    const bit = 1 << ((key >>> shift) & MASK);
    if ((node.bitmap & bit) === 0) return undefined;
    const slot = node.slots[popcount(node.bitmap & (bit - 1))]!;
    if (!isBranch(slot)) return slot.key === key ? slot.value : undefined;
    node = slot;
  }
}

/** True when `key` is present. */
export const phas = <V>(map: PMap<V>, key: number): boolean => pget(map, key) !== undefined;

const pairBranch = <V>(a: Leaf<V>, b: Leaf<V>, shift: number): Branch<V> => {
  const ia = (a.key >>> shift) & MASK;
  const ib = (b.key >>> shift) & MASK;
  if (ia === ib) return { bitmap: 1 << ia, slots: [pairBranch(a, b, shift + SHIFT)] };
  return ia < ib ? { bitmap: (1 << ia) | (1 << ib), slots: [a, b] } : { bitmap: (1 << ia) | (1 << ib), slots: [b, a] };
};

const withSlot = <V>(slots: readonly Slot<V>[], i: number, s: Slot<V>): Slot<V>[] => {
  const copy = slots.slice();
  copy[i] = s;
  return copy;
};

// returns [newNode, added] or the same node when nothing changed
function setIn<V>(node: Branch<V>, key: number, value: V, shift: number, added: { v: boolean }): Branch<V> {
  const bit = 1 << ((key >>> shift) & MASK);
  const i = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    added.v = true;
    const slots = node.slots.slice();
    slots.splice(i, 0, { key, value });
    return { bitmap: node.bitmap | bit, slots };
  }
  const slot = node.slots[i]!;
  if (isBranch(slot)) {
    const next = setIn(slot, key, value, shift + SHIFT, added);
    return next === slot ? node : { bitmap: node.bitmap, slots: withSlot(node.slots, i, next) };
  }
  if (slot.key === key) {
    return slot.value === value ? node : { bitmap: node.bitmap, slots: withSlot(node.slots, i, { key, value }) };
  }
  if (shift >= MAX_SHIFT) throw new Error('pmap: key space exhausted (keys must be uint32)');
  added.v = true;
  return { bitmap: node.bitmap, slots: withSlot(node.slots, i, pairBranch(slot, { key, value }, shift + SHIFT)) };
}

/** A map with `key` set to `value`; the same map when it already held that exact value. */
export function pset<V>(map: PMap<V>, key: number, value: V): PMap<V> {
  const added = { v: false };
  const root = setIn(map.root, key >>> 0, value, 0, added);
  return root === map.root ? map : { size: map.size + (added.v ? 1 : 0), root };
}

function removeIn<V>(node: Branch<V>, key: number, shift: number): Branch<V> | undefined | null {
  // undefined: not found (unchanged); null: node became empty
  const bit = 1 << ((key >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return undefined;
  const i = popcount(node.bitmap & (bit - 1));
  const slot = node.slots[i]!;
  let replacement: Slot<V> | null;
  if (isBranch(slot)) {
    const next = removeIn(slot, key, shift + SHIFT);
    if (next === undefined) return undefined;
    // collapse a branch left with a single leaf
    replacement = next === null ? null : next.slots.length === 1 && !isBranch(next.slots[0]!) ? next.slots[0]! : next;
  } else {
    if (slot.key !== key) return undefined;
    replacement = null;
  }
  if (replacement !== null) return { bitmap: node.bitmap, slots: withSlot(node.slots, i, replacement) };
  const bitmap = node.bitmap & ~bit;
  if (bitmap === 0) return null;
  const slots = node.slots.slice();
  slots.splice(i, 1);
  return { bitmap, slots };
}

/** A map without `key`; the same map when the key was absent. */
export function premove<V>(map: PMap<V>, key: number): PMap<V> {
  const root = removeIn(map.root, key >>> 0, 0);
  if (root === undefined) return map;
  return { size: map.size - 1, root: root ?? (EMPTY_BRANCH as Branch<V>) };
}

/** A map with `key`'s value replaced by `f(value)`; unchanged when absent or when `f` returns the same value. */
export function pupdate<V>(map: PMap<V>, key: number, f: (v: V) => V): PMap<V> {
  const old = pget(map, key);
  if (old === undefined) return map;
  return pset(map, key, f(old));
}

/** Visits every entry (order: by key bits, stable for a given map). */
export function peach<V>(map: PMap<V>, f: (value: V, key: number) => void): void {
  const walk = (node: Branch<V>): void => {
    for (const s of node.slots) {
      if (isBranch(s)) walk(s);
      else f(s.value, s.key);
    }
  };
  walk(map.root);
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
