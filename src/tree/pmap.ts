/**
 * A persistent (immutable, structurally shared) hash array mapped trie keyed by uint32 —
 * entity ids, pids. Every update returns a new map sharing all untouched nodes with the old
 * one; an update that changes nothing returns the very same map.
 *
 * Keys are consumed 5 bits per level (`SHIFT`), so a 32-bit key is fully resolved after 7
 * levels and no collision nodes are needed. get/set/remove are O(log32 n). A branch stores its
 * entries inline as `[key, value, key, value, …]` (a sub-branch has the key {@link SUB}), so
 * every node has one shape and lookups stay monomorphic.
 *
 * Transient batches: updates made under an edit token mutate the branches that token created,
 * in place; see {@link Edit}.
 *
 * @module
 */

const SHIFT = 5;
const MASK = 31;
const MAX_SHIFT = 30; // the 7th level uses the top 2 bits
/** Key marker of a slot that holds a sub-branch. */
const SUB = -1;

/**
 * A transient-batch token. Branches created under an edit may be mutated in place by later
 * updates under the same edit; once the batch drops its token they are as immutable as any.
 */
export type Edit = object;

interface Branch {
  bitmap: number;
  /** `[key0, value0, key1, value1, …]`; key {@link SUB} means the value is a sub-branch. */
  data: unknown[];
  owner: Edit | undefined;
}

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

const EMPTY_BRANCH: Branch = Object.freeze({ bitmap: 0, data: Object.freeze([]) as unknown as unknown[], owner: undefined }) as Branch;
const EMPTY: PMap<never> = Object.freeze({ size: 0, root: EMPTY_BRANCH, owner: undefined });

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
  key = key >>> 0;
  let node = map.root;
  let shift = 0;
  for (;;) {
    const bit = 1 << ((key >>> shift) & MASK);
    if ((node.bitmap & bit) === 0) return undefined;
    const i = popcount(node.bitmap & (bit - 1)) << 1;
    const k = node.data[i];
    if (k === SUB) {
      node = node.data[i + 1] as Branch;
      shift += SHIFT;
      continue;
    }
    return k === key ? (node.data[i + 1] as V) : undefined;
  }
}

/** True when `key` is present. */
export const phas = <V>(map: PMap<V>, key: number): boolean => pget(map, key) !== undefined;

const pair = (k1: number, v1: unknown, k2: number, v2: unknown, shift: number, owner: Edit | undefined): Branch => {
  const i1 = (k1 >>> shift) & MASK;
  const i2 = (k2 >>> shift) & MASK;
  if (i1 === i2) return { bitmap: 1 << i1, data: [SUB, pair(k1, v1, k2, v2, shift + SHIFT, owner)], owner };
  return i1 < i2 ? { bitmap: (1 << i1) | (1 << i2), data: [k1, v1, k2, v2], owner } : { bitmap: (1 << i1) | (1 << i2), data: [k2, v2, k1, v1], owner };
};

/** `node` with data[i+1] = value (in place when owned). */
const withValue = (node: Branch, i: number, key: number, value: unknown, owner: Edit | undefined): Branch => {
  if (owner !== undefined && node.owner === owner) {
    node.data[i] = key;
    node.data[i + 1] = value;
    return node;
  }
  const data = node.data.slice();
  data[i] = key;
  data[i + 1] = value;
  return { bitmap: node.bitmap, data, owner };
};

let added = false;

function setIn(node: Branch, key: number, value: unknown, shift: number, owner: Edit | undefined): Branch {
  const bit = 1 << ((key >>> shift) & MASK);
  const i = popcount(node.bitmap & (bit - 1)) << 1;
  if ((node.bitmap & bit) === 0) {
    added = true;
    if (owner !== undefined && node.owner === owner) {
      node.data.splice(i, 0, key, value);
      node.bitmap |= bit;
      return node;
    }
    const src = node.data;
    const data = new Array<unknown>(src.length + 2);
    for (let j = 0; j < i; j++) data[j] = src[j];
    data[i] = key;
    data[i + 1] = value;
    for (let j = i; j < src.length; j++) data[j + 2] = src[j];
    return { bitmap: node.bitmap | bit, data, owner };
  }
  const k = node.data[i] as number;
  const v = node.data[i + 1];
  if (k === SUB) {
    const sub = setIn(v as Branch, key, value, shift + SHIFT, owner);
    return sub === v ? node : withValue(node, i, SUB, sub, owner);
  }
  if (k === key) return v === value ? node : withValue(node, i, key, value, owner);
  if (shift >= MAX_SHIFT) throw new Error('pmap: key space exhausted (keys must be uint32)');
  added = true;
  return withValue(node, i, SUB, pair(k, v, key, value, shift + SHIFT, owner), owner);
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
  if ((node.bitmap & bit) === 0) return undefined;
  const i = popcount(node.bitmap & (bit - 1)) << 1;
  const k = node.data[i] as number;
  if (k === SUB) {
    const sub = removeIn(node.data[i + 1] as Branch, key, shift + SHIFT, owner);
    if (sub === undefined) return undefined;
    if (sub !== null) {
      // collapse a sub-branch left with a single entry
      if (sub.data.length === 2 && sub.data[0] !== SUB) return withValue(node, i, sub.data[0] as number, sub.data[1], owner);
      return withValue(node, i, SUB, sub, owner);
    }
  } else if (k !== key) return undefined;
  const bitmap = node.bitmap & ~bit;
  if (bitmap === 0) return null;
  if (owner !== undefined && node.owner === owner) {
    node.data.splice(i, 2);
    node.bitmap = bitmap;
    return node;
  }
  const data = node.data.slice();
  data.splice(i, 2);
  return { bitmap, data, owner };
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

/** Visits every entry (order: by key bits, stable for a given map). */
export function peach<V>(map: PMap<V>, f: (value: V, key: number) => void): void {
  const walk = (node: Branch): void => {
    const d = node.data;
    for (let i = 0; i < d.length; i += 2) {
      if (d[i] === SUB) walk(d[i + 1] as Branch);
      else f(d[i + 1] as V, d[i] as number);
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
