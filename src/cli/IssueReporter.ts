/**
 * Prints input problems to stderr, capped, while counting all of them (and writing all of them to
 * the `--issues FILE`, when one is given).
 *
 * @module
 */
import type { InputIssue, Nanos, Origin } from '../streams/types.js';
import type { TextSink } from './cliTypes.js';
import { escapeControl } from './escapeControl.js';
import { formatIssue } from './formatIssue.js';
import type { IssueFile } from './IssueFile.js';

/** Options of {@link IssueReporter}. */
export interface IssueReporterOptions {
  /** Where lines go (stderr). */
  readonly out: TextSink;
  /** How many issue lines to print before going quiet (default 100). */
  readonly maxLines?: number;
  /** Print warnings too (default true; `--quiet` turns them off). Errors are always printed. */
  readonly printWarnings?: boolean;
  /** `--issues FILE`: receives every issue, uncapped, late events included. */
  readonly file?: IssueFile;
}

/** Issues seen so far, by severity (printed or not). */
export interface IssueCounts {
  readonly error: number;
  readonly warning: number;
}

/** Default cap on printed issue lines. */
export const DEFAULT_MAX_ISSUE_LINES = 100;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Reports {@link InputIssue}s: one {@link formatIssue} line each on `out`, up to `maxLines`, then
 * silence; every issue is counted, and written to the `--issues` file when there is one.
 * {@link IssueReporter.finish} prints how many were not shown, e.g.
 * `… 12 more bad lines not shown (--issues FILE lists every one)`.
 *
 * Late events ({@link IssueReporter.reportLate}) are warnings too, but they come in bursts when a
 * live source lags: they are not printed one by one (they would use up the cap the bad lines
 * need); `finish` prints one line for all of them: how many, by how much at most, and the first.
 *
 * `report` and `reportLate` are bound functions, so they can be handed to an observer directly.
 *
 * @example
 * ```ts
 * import { IssueReporter } from './IssueReporter.js';
 * const issues = new IssueReporter({ out: process.stderr });
 * issues$.subscribe({ next: issues.report, complete: () => issues.finish() });
 * if (issues.counts.error > 0 && strict) process.exitCode = 1;
 * ```
 */
export class IssueReporter {
  private readonly out: TextSink;
  private readonly maxLines: number;
  private readonly printWarnings: boolean;
  private readonly file: IssueFile | undefined;
  private errors = 0;
  private warnings = 0;
  private printed = 0;
  private hiddenErrors = 0;
  private hiddenWarnings = 0;
  private late = 0;
  private lateMax: Nanos = 0n;
  private lateFirst: Origin | undefined;

  constructor(options: IssueReporterOptions) {
    this.out = options.out;
    this.maxLines = options.maxLines ?? DEFAULT_MAX_ISSUE_LINES;
    this.printWarnings = options.printWarnings ?? true;
    this.file = options.file;
  }

  /** Counts one issue, writes it to the issues file, and prints it unless the cap is reached (or it is a warning under `--quiet`). */
  readonly report = (issue: InputIssue): void => {
    const isError = issue.severity === 'error';
    if (isError) this.errors++;
    else this.warnings++;
    this.file?.write(issue);
    if (!isError && !this.printWarnings) return;
    if (this.printed < this.maxLines) {
      this.printed++;
      this.out.write(formatIssue(issue) + '\n');
    } else if (isError) this.hiddenErrors++;
    else this.hiddenWarnings++;
  };

  /**
   * Counts an event that arrived `by` ns after the reorder window had passed it (a warning):
   * written to the issues file as `late by N ns`, summarised on stderr by {@link IssueReporter.finish}.
   */
  readonly reportLate = (origin: Origin, by: Nanos): void => {
    this.warnings++;
    this.late++;
    if (by > this.lateMax) this.lateMax = by;
    this.lateFirst ??= origin;
    this.file?.write({ origin, reason: `late by ${by} ns`, severity: 'warning' });
  };

  /** Issues seen so far, by severity. */
  get counts(): IssueCounts {
    return { error: this.errors, warning: this.warnings };
  }

  /**
   * Prints the late-events line and the "… N more … not shown" line when some issues were not
   * shown, and closes the issues file (a failure to write it is printed). Call once, at the end.
   *
   * @returns false when the issues file could not be written completely.
   */
  finish(): boolean {
    if (this.late > 0 && this.printWarnings && this.lateFirst !== undefined) {
      const first = this.lateFirst;
      const where = escapeControl(first.line > 0 ? `${first.source}:${first.line}` : first.source);
      this.out.write(
        `proctree-rx: warning: ${plural(this.late, 'event', 'events')} arrived after the reorder window had passed ${this.late === 1 ? 'it' : 'them'} ` +
          `(late by up to ${this.lateMax} ns, first at ${where}); delivered out of order\n`,
      );
    }
    const parts: string[] = [];
    if (this.hiddenErrors > 0) parts.push(plural(this.hiddenErrors, 'more bad line', 'more bad lines'));
    if (this.hiddenWarnings > 0) parts.push(plural(this.hiddenWarnings, 'more warning', 'more warnings'));
    if (parts.length > 0) {
      const hint = this.file === undefined ? 'use --issues FILE to get every one' : `every one is in ${escapeControl(this.file.path)}`;
      this.out.write(`… ${parts.join(' and ')} not shown (${hint})\n`);
    }
    if (this.file === undefined) return true;
    this.file.close();
    const error = this.file.error;
    if (error !== undefined) this.out.write(`proctree-rx: ${escapeControl(error)}\n`);
    return error === undefined;
  }
}
