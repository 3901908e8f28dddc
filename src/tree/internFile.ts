/**
 * One shared {@link FileRecord} per distinct file. A busy host execs the same few binaries (and
 * loads the same ELF interpreter) over and over; each exec record carries its own copy of their
 * path, device, inode, ctime and mode. Records are immutable, so the tree keeps one object per
 * distinct file instead: about 300 bytes less per exec'd process, and the per-record memos of the
 * queries (FileInfo, its JSON) are shared too. Internal to src/tree/.
 *
 * The table is bounded ({@link MAX_INTERNED_PATHS} paths; it starts over when full), so it cannot
 * grow with the input; a file seen after a reset simply gets a new shared record.
 *
 * @module
 */
import type { FileRecord } from './records.js';

/** Distinct paths remembered before the table starts over. */
export const MAX_INTERNED_PATHS = 4096;

/** path → the distinct records seen with that path (usually one). */
const byPath = new Map<string, FileRecord[]>();

const sameFile = (a: FileRecord, b: FileRecord): boolean => a.inode === b.inode && a.dev === b.dev && a.ctime === b.ctime && a.mode === b.mode;

/** The shared record equal to `f` (field by field), or `f` itself when it is the first of its kind. */
export function internFile(f: FileRecord): FileRecord;
export function internFile(f: FileRecord | undefined): FileRecord | undefined;
export function internFile(f: FileRecord | undefined): FileRecord | undefined {
  if (f === undefined) return undefined;
  const list = byPath.get(f.path);
  if (list === undefined) {
    if (byPath.size >= MAX_INTERNED_PATHS) byPath.clear();
    byPath.set(f.path, [f]);
    return f;
  }
  for (let i = 0; i < list.length; i++) if (list[i] === f || sameFile(list[i]!, f)) return list[i];
  if (list.length < 8) list.push(f);
  return f;
}

/** The record of a script interpreter known only by path (`interp`). */
export const interpFile = (path: string): FileRecord => internFile({ path, dev: 0, inode: 0n, ctime: 0n, mode: 0 });
