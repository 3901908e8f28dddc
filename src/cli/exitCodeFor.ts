/**
 * proctree-rx's exit codes.
 *
 * @module
 */

/** Exit codes: 0 ok, 1 runtime failure (or bad lines under `--strict`), 2 usage error. */
export const ExitCode = Object.freeze({ ok: 0, failure: 1, usage: 2 } as const);

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What happened in a run that parsed its command line. */
export interface RunOutcome {
  /** The run stopped on an error (unreadable file, write failure, …). */
  readonly failed: boolean;
  /** Input lines dropped as bad. */
  readonly badLines: number;
  /** `--strict` was given. */
  readonly strict: boolean;
}

/**
 * The exit code of a run: 1 on failure, 1 for bad lines under `--strict`, else 0 (bad lines are
 * reported on stderr and skipped). Usage errors (2) are decided before a run starts.
 *
 * @example
 * ```ts
 * import { exitCodeFor } from './exitCodeFor.js';
 * exitCodeFor({ failed: false, badLines: 3, strict: true }); // 1
 * ```
 */
export function exitCodeFor(outcome: RunOutcome): ExitCodeValue {
  if (outcome.failed) return ExitCode.failure;
  if (outcome.strict && outcome.badLines > 0) return ExitCode.failure;
  return ExitCode.ok;
}
