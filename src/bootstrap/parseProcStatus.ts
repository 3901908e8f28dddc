/**
 * Parser for `/proc/<pid>/status` (and `/proc/<pid>/task/<tid>/status`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';

/** The fields of a `status` file proctree-rx uses. */
export interface ProcStatus {
  /** `Name` (the kernel escapes `\n` and `\\` here; `stat`'s comm is raw). */
  readonly name: string;
  readonly tgid: number;
  /** The task id (a thread's tid in a task directory). */
  readonly pid: number;
  readonly ppid: number;
  /**
   * `NSpid`: the task's id in every pid namespace from the procfs mount's (first) to its own
   * (last). One value outside containers. `[pid]` when the kernel has no `NSpid` line (< 4.1).
   */
  readonly nsPid: readonly number[];
  /** `NStgid`, same layout as {@link ProcStatus.nsPid}. */
  readonly nsTgid: readonly number[];
  /** Real uid (first value of `Uid`). */
  readonly uid: number | undefined;
  /** Real gid (first value of `Gid`). */
  readonly gid: number | undefined;
}

const DIGITS = /^\d+$/;
const WANTED = new Set(['Name', 'Tgid', 'Pid', 'PPid', 'NSpid', 'NStgid', 'Uid', 'Gid']);

const numbers = (value: string | undefined): number[] | undefined => {
  if (value === undefined) return undefined;
  const parts = value.split(/\s+/).filter((p) => p !== '');
  if (parts.length === 0 || !parts.every((p) => DIGITS.test(p))) return undefined;
  return parts.map(Number);
};

/**
 * Parses a `status` file: `Key:\tvalue` lines, split at the first `:`, both sides trimmed.
 * Multi-value `NSpid`/`NStgid` lines (nested pid namespaces) are kept whole.
 *
 * @returns the fields, or the reason the text is unusable (a missing or non-numeric `Pid`,
 *   `Tgid` or `PPid`).
 *
 * @example
 * ```ts
 * import { parseProcStatus } from 'proctree-rx';
 * parseProcStatus('Name:\tsh\nTgid:\t500\nPid:\t500\nPPid:\t300\nNStgid:\t500\t1\nNSpid:\t500\t1\n');
 * // right({ name: 'sh', tgid: 500, pid: 500, ppid: 300, nsPid: [500, 1], nsTgid: [500, 1], … })
 * ```
 */
export function parseProcStatus(text: string): E.Either<string, ProcStatus> {
  const fields = new Map<string, string>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', start);
    if (colon > start && colon < end) {
      const key = text.slice(start, colon).trim();
      if (WANTED.has(key)) fields.set(key, text.slice(colon + 1, end).trim());
    }
    start = end + 1;
  }
  const one = (key: string): number | undefined => numbers(fields.get(key))?.[0];
  const tgid = one('Tgid');
  const pid = one('Pid');
  const ppid = one('PPid');
  if (tgid === undefined || pid === undefined || ppid === undefined) {
    return E.left('status lacks a numeric Tgid, Pid or PPid');
  }
  const name = fields.get('Name');
  return E.right({
    name: name ?? '',
    tgid,
    pid,
    ppid,
    nsPid: numbers(fields.get('NSpid')) ?? [pid],
    nsTgid: numbers(fields.get('NStgid')) ?? [tgid],
    uid: one('Uid'),
    gid: one('Gid'),
  });
}
