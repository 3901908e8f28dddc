/**
 * The CLI's procfs rule: its flags mapped onto `planProcfs` (src/pipeline/procfsPlan.ts).
 *
 * @module
 */
import type { CliCommand } from './cliTypes.js';
import { DEFAULT_PROCFS_ROOT, planProcfs, type InputKind, type ProcfsPlan } from '../pipeline/procfsPlan.js';

export type { InputKind, ProcfsPlan } from '../pipeline/procfsPlan.js';
export { DEFAULT_PROCFS_ROOT } from '../pipeline/procfsPlan.js';

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
  return planProcfs({ ...(command.procfsRoot !== undefined ? { root } : {}), walk: procfsInitialization, queries: procfsQuerying }, source, inputKinds);
}
