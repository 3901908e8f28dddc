/**
 * Classifies an input for the procfs rule ({@link procfsPlan}).
 *
 * @module
 */
import { fstat, stat, type Stats } from 'node:fs';
import type { InputKind } from './procfsPlan.js';

/** How {@link classifyInput} looks at files; replaceable in tests. */
export interface StatFunctions {
  /** `stat(path)` of a named input. */
  readonly statPath: (path: string) => Promise<Pick<Stats, 'isFile'>>;
  /** `fstat` of stdin (fd 0). */
  readonly statStdin: () => Promise<Pick<Stats, 'isFile'>>;
}

const promised =
  <A>(fn: (arg: A, cb: (err: NodeJS.ErrnoException | null, s: Stats) => void) => void) =>
  (arg: A): Promise<Stats> =>
    new Promise((resolve, reject) => fn(arg, (err, s) => (err === null ? resolve(s) : reject(err))));

/** The real `stat`/`fstat`. */
export const NODE_STAT: StatFunctions = {
  statPath: promised<string>(stat),
  statStdin: () => promised<number>(fstat)(0),
};

/**
 * The {@link InputKind} of one input: `'-'` is `stdin` unless fd 0 is a regular file
 * (`proctree-rx < capture.ndjson` → `file`); a path is `file` when it is a regular file, else
 * `fifo` (a named pipe, or another live source such as `/dev/stdin` or a device). Rejects when the path cannot be stat'ed (the caller reports it).
 *
 * @example
 * ```ts
 * import { classifyInput } from './classifyInput.js';
 * await classifyInput('capture.ndjson'); // 'file'
 * await classifyInput('-');              // 'stdin' when piped
 * ```
 */
export async function classifyInput(input: string, fs: StatFunctions = NODE_STAT): Promise<InputKind> {
  if (input === '-') return (await fs.statStdin()).isFile() ? 'file' : 'stdin';
  return (await fs.statPath(input)).isFile() ? 'file' : 'fifo';
}
