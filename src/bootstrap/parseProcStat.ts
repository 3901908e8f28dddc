/**
 * Parser for `/proc/<pid>/stat` (and `/proc/<pid>/task/<tid>/stat`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';

/** `PF_KTHREAD` in `stat` field 9 (`flags`): the task is a kernel thread. */
export const PF_KTHREAD = 0x00200000;

/** The fields of a `stat` line proctree-rx uses. */
export interface ProcStat {
  /** Field 1. */
  readonly pid: number;
  /** Field 2, raw (not escaped): the text between the first `(` and the **last** `)`. */
  readonly comm: string;
  /** Field 3: `R`, `S`, `D`, `Z`, `T`, `t`, `X`, `I`, … */
  readonly state: string;
  /** Field 4. */
  readonly ppid: number;
  /** Field 9 (`PF_*` bits). */
  readonly flags: number;
  /** Field 20: threads in the group. */
  readonly numThreads: number;
  /** Field 22: start time in clock ticks since boot (CLOCK_BOOTTIME). */
  readonly startTicks: bigint;
}

const STATE_INDEX = 0; // field 3, counted from the first field after ')'
const PPID_INDEX = 1; // field 4
const FLAGS_INDEX = 6; // field 9
const THREADS_INDEX = 17; // field 20
const STARTTIME_INDEX = 19; // field 22
const DIGITS = /^\d+$/;

/**
 * Parses one `stat` line. `comm` may contain spaces, `(` and `)`: it runs from the first `(` to
 * the **last** `)` (the kernel never escapes it), so `123 (a) b (c) S 1 …` has comm `a) b (c`.
 *
 * @returns the fields, or the reason the text is not a `stat` line.
 *
 * @example
 * ```ts
 * import { parseProcStat } from 'proctree-rx';
 * parseProcStat('42 (my app) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1234 0 0');
 * // right({ pid: 42, comm: 'my app', state: 'S', ppid: 1, flags: 4194560, numThreads: 1, startTicks: 1234n })
 * ```
 */
export function parseProcStat(text: string): E.Either<string, ProcStat> {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return E.left('no "(comm)" in stat');
  const pidText = text.slice(0, open).trim();
  if (!DIGITS.test(pidText)) return E.left(`bad pid "${pidText}" in stat`);
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const state = rest[STATE_INDEX];
  const ppid = rest[PPID_INDEX];
  const flags = rest[FLAGS_INDEX];
  const threads = rest[THREADS_INDEX];
  const start = rest[STARTTIME_INDEX];
  if (state === undefined || ppid === undefined || flags === undefined || threads === undefined || start === undefined) {
    return E.left(`stat has ${rest.length + 2} fields, expected at least 22`);
  }
  if (!DIGITS.test(ppid) || !DIGITS.test(flags) || !DIGITS.test(threads) || !DIGITS.test(start)) {
    return E.left('non-numeric ppid, flags, num_threads or starttime in stat');
  }
  return E.right({
    pid: Number(pidText),
    comm: text.slice(open + 1, close),
    state,
    ppid: Number(ppid),
    flags: Number(flags),
    numThreads: Number(threads),
    startTicks: BigInt(start),
  });
}
