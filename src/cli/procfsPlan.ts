/**
 * When proctree-rx reads procfs: the rule that keeps replays clean of this host's /proc.
 *
 * @module
 */
import type { CliCommand } from './cliTypes.js';

/**
 * What an input is, for the procfs rule: a regular `file` (including stdin redirected from a
 * regular file), or live: `stdin` (a pipe, socket or terminal) or `fifo` (a named pipe or
 * another non-regular path such as `/dev/stdin`).
 * See `classifyInput`.
 */
export type InputKind = 'file' | 'stdin' | 'fifo';

/** Whether and where to read procfs for one run. */
export interface ProcfsPlan {
  /** Walk procfs once at startup to seed the tree. */
  readonly bootstrap: boolean;
  /** Ask procfs about unknown parents/leaders while events flow. */
  readonly runtimeQueries: boolean;
  /** The procfs directory (`--procfs-root`, else `/proc`); meaningful only when one of the above is on. */
  readonly root: string;
}

/** The procfs directory used when `--procfs-root` is not given. */
export const DEFAULT_PROCFS_ROOT = '/proc';

/**
 * Decides whether and where a command reads procfs.
 *
 * The rule: **replaying files never mixes in this host's /proc unless asked.**
 * - `snapshot` always walks procfs (`--procfs-root` or `/proc`), never queries at runtime.
 * - `--proctree source=none`: no tree, no procfs.
 * - Live input — every input (events and `--signals`) is stdin or a FIFO — walks `/proc` (or
 *   `--procfs-root`) at startup and queries it at runtime, unless `--proctree disable-procfs`
 *   (neither) or `disable-procfs-query` (walk only).
 * - Otherwise (at least one regular file): procfs only with `--procfs-root`, and then only the
 *   startup walk (`disable-procfs` turns it off): a saved procfs copy describes one moment, so
 *   runtime queries against it would attach today's (or that moment's) pids to later events.
 *
 * @param inputKinds the kinds of all inputs, events and signals alike. Empty = no live input.
 * @example
 * ```ts
 * import { procfsPlan } from './procfsPlan.js';
 * procfsPlan(cmd, ['stdin']); // { bootstrap: true, runtimeQueries: true, root: '/proc' }
 * procfsPlan(cmd, ['file']);  // { bootstrap: false, runtimeQueries: false, root: '/proc' }
 * ```
 */
export function procfsPlan(command: CliCommand, inputKinds: readonly InputKind[]): ProcfsPlan {
  const root = command.procfsRoot ?? DEFAULT_PROCFS_ROOT;
  // `snapshot` walks procfs, unless it checkpoints a replay of events (`--out` with FILEs): then as `tree` does
  if (command.kind === 'snapshot' && command.inputs.length === 0 && command.fromSnapshot === undefined) return { bootstrap: true, runtimeQueries: false, root };
  const { source, procfsInitialization, procfsQuerying } = command.proctree;
  if (source === 'none') return { bootstrap: false, runtimeQueries: false, root };
  const live = inputKinds.length > 0 && inputKinds.every((kind) => kind !== 'file');
  const asked = command.procfsRoot !== undefined;
  return {
    bootstrap: procfsInitialization && (live || asked),
    runtimeQueries: procfsQuerying && live,
    root,
  };
}
