/**
 * The one-line end-of-run summary on stderr.
 *
 * @module
 */

/** Totals of one run, for {@link formatSummary}. */
export interface RunSummary {
  /** Events read and accepted. */
  readonly events: number;
  /** Of which fork/exec/exit events and signals. */
  readonly lifecycle: number;
  /** Input lines dropped. */
  readonly badLines: number;
  /** Events that arrived after the reorder window had passed them. */
  readonly late: number;
  /** Processes in the tree at the end; `undefined` when there is no tree (`source=none`). */
  readonly processes?: number;
  /** Signature findings; `undefined` when no signatures ran. */
  readonly findings?: number;
  /** Signature errors (each printed as `signature ID failed on FILE:LINE: …`); shown when > 0. */
  readonly signatureErrors?: number;
  /** Wall time of the run, ms. */
  readonly elapsedMs: number;
}

const count = (n: number, one: string, many: string = one + 's'): string => `${n} ${n === 1 ? one : many}`;

/** `2.1 ms`, `850.0 ms`, `3.42 s`, `2 m 5.3 s`. */
const duration = (ms: number): string => {
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} m ${((ms - minutes * 60_000) / 1000).toFixed(1)} s`;
};

/**
 * The end summary, e.g. `proctree-rx: 174 events (12 lifecycle), 0 bad lines, 3 late, 41 processes, 2.1 ms`.
 * Processes and findings appear only when given, signature errors only when there were some.
 * No trailing newline.
 *
 * @example
 * ```ts
 * import { formatSummary } from './formatSummary.js';
 * formatSummary({ events: 174, lifecycle: 12, badLines: 0, late: 3, processes: 41, elapsedMs: 2.1 });
 * ```
 */
export function formatSummary(stats: RunSummary): string {
  const parts = [
    `${count(stats.events, 'event')} (${stats.lifecycle} lifecycle)`,
    count(stats.badLines, 'bad line'),
    `${stats.late} late`,
  ];
  if (stats.processes !== undefined) parts.push(count(stats.processes, 'process', 'processes'));
  if (stats.findings !== undefined) parts.push(count(stats.findings, 'finding'));
  if (stats.signatureErrors) parts.push(count(stats.signatureErrors, 'signature error'));
  parts.push(duration(stats.elapsedMs));
  return `proctree-rx: ${parts.join(', ')}`;
}
