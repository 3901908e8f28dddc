/**
 * A persistent set of entity ids sized for what it holds: a frozen array while small (a
 * process's threads and children are usually a handful: 16 + 8·n bytes, no trie nodes), a HAMT
 * ({@link PMap}) once it grows past {@link SMALL_MAX}. Updates return a new set (the same set when
 * nothing changes); iteration order is insertion order while small.
 *
 * @module
 */
import type { EntityId } from '../streams/types.js';
import { appended, removed } from './exactArrays.js';
import { emptyPMap, peach, pget, premove, psome, pset, type Edit, type PMap } from './pmap.js';

/** Largest set kept as an array. */
export const SMALL_MAX = 16;

/** A set of entity ids. */
export type IdSet = readonly EntityId[] | PMap<true>;

/** The empty set. */
export const EMPTY_IDS: IdSet = Object.freeze([]);

const isSmall = (s: IdSet): s is readonly EntityId[] => Array.isArray(s);

/** Number of ids. */
export const idsSize = (s: IdSet): number => (isSmall(s) ? s.length : s.size);

/** Is `id` in the set? O(1) small, O(log16 n) large. */
export const idsHas = (s: IdSet, id: EntityId): boolean => (isSmall(s) ? s.includes(id) : pget(s, id) !== undefined);

/** The set with `id` (the same set when present). `owner`: transient batch token for large sets. */
export function idsAdd(s: IdSet, id: EntityId, owner?: Edit): IdSet {
  if (!isSmall(s)) return pset(s, id, true, owner);
  if (s.includes(id)) return s;
  if (s.length < SMALL_MAX) return appended(s, id);
  let m = emptyPMap<true>();
  for (const x of s) m = pset(m, x, true);
  return pset(m, id, true);
}

/** The set without `id` (the same set when absent). */
export function idsRemove(s: IdSet, id: EntityId, owner?: Edit): IdSet {
  if (!isSmall(s)) return premove(s, id, owner);
  const i = s.indexOf(id);
  if (i < 0) return s;
  if (s.length === 1) return EMPTY_IDS;
  return removed(s, i);
}

/** Visits every id. */
export function idsEach(s: IdSet, f: (id: EntityId) => void): void {
  if (isSmall(s)) {
    for (let i = 0; i < s.length; i++) f(s[i]!);
  } else {
    peach(s, (_v, id) => f(id));
  }
}

/** Visits ids in {@link idsEach}'s order until `f` returns true; true when it did. */
export function idsSome(s: IdSet, f: (id: EntityId) => boolean): boolean {
  if (isSmall(s)) {
    for (let i = 0; i < s.length; i++) if (f(s[i]!)) return true;
    return false;
  }
  return psome(s, (_v, id) => f(id));
}

/** All ids, as an array. */
export function idsToArray(s: IdSet): EntityId[] {
  const out: EntityId[] = [];
  idsEach(s, (id) => out.push(id));
  return out;
}
