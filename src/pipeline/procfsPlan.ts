/**
 * When a pipeline reads procfs: the rule that keeps replays clean of this host's /proc.
 *
 * @module
 */
import type { TreeSource } from '../tree/feedFromEvents.js';

/**
 * What an input is, for the procfs rule: a regular `file` (including stdin redirected from a
 * regular file), or live: `stdin` (a pipe, socket or terminal) or `fifo` (a named pipe or
 * another non-regular path such as `/dev/stdin`). See `classifyInput`.
 */
export type InputKind = 'file' | 'stdin' | 'fifo';

/** Whether and where a pipeline reads procfs. */
export interface ProcfsPlan {
  /** Walk procfs once at startup to seed the tree. */
  readonly bootstrap: boolean;
  /** Ask procfs about unknown parents/leaders while events flow. */
  readonly runtimeQueries: boolean;
  /** The procfs directory; meaningful only when one of the above is on. */
  readonly root: string;
}

/** What a caller asks of procfs (the `procfs` option of `pipeline`). */
export interface ProcfsOptions {
  /** The procfs directory (default `/proc`). Giving one asks for a walk even when replaying files. */
  readonly root?: string;
  /** Allow the startup walk (default `true`; it runs for live input, or when `root` is given). */
  readonly walk?: boolean;
  /** Allow runtime lookups of unknown pids (default `true`; they run for live input only). */
  readonly queries?: boolean;
}

/** The procfs directory used when none is given. */
export const DEFAULT_PROCFS_ROOT = '/proc';

/**
 * Decides whether and where a pipeline reads procfs.
 *
 * The rule: **replaying files never mixes in this host's /proc unless asked.**
 * - `procfs: false` or tree source `none`: no procfs.
 * - Live input — every input (events and signals) is stdin, a stream or a FIFO — walks the root
 *   at startup and queries it at runtime, unless `walk: false` / `queries: false`.
 * - Otherwise (at least one regular file): procfs only when a `root` is given, and then only the
 *   startup walk: a saved procfs copy describes one moment, so runtime queries against it would
 *   attach that moment's pids to later events.
 *
 * @param inputKinds the kinds of all inputs, events and signals alike. Empty = no live input.
 * @example
 * ```ts
 * import { planProcfs } from './procfsPlan.js';
 * planProcfs({}, 'events', ['stdin']); // { bootstrap: true, runtimeQueries: true, root: '/proc' }
 * planProcfs({}, 'events', ['file']);  // { bootstrap: false, runtimeQueries: false, root: '/proc' }
 * ```
 */
export function planProcfs(options: ProcfsOptions | false, source: TreeSource, inputKinds: readonly InputKind[]): ProcfsPlan {
  const root = (options === false ? undefined : options.root) ?? DEFAULT_PROCFS_ROOT;
  if (options === false || source === 'none') return { bootstrap: false, runtimeQueries: false, root };
  const live = inputKinds.length > 0 && inputKinds.every((kind) => kind !== 'file');
  const asked = options.root !== undefined;
  return {
    bootstrap: (options.walk ?? true) && (live || asked),
    runtimeQueries: (options.queries ?? true) && live,
    root,
  };
}
