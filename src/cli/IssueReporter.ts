/**
 * Prints input problems to stderr, capped, while counting all of them.
 *
 * @module
 */
import type { InputIssue } from '../streams/types.js';
import type { TextSink } from './cliTypes.js';
import { formatIssue } from './formatIssue.js';

/** Options of {@link IssueReporter}. */
export interface IssueReporterOptions {
  /** Where lines go (stderr). */
  readonly out: TextSink;
  /** How many issue lines to print before going quiet (default 100). */
  readonly maxLines?: number;
  /** Print warnings too (default true; `--quiet` turns them off). Errors are always printed. */
  readonly printWarnings?: boolean;
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
 * silence; every issue is counted. {@link IssueReporter.finish} prints how many were not shown,
 * e.g. `… 12 more bad lines (use --stats for counts)`.
 *
 * `report` is a bound function, so it can be handed to an observer directly.
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
  private errors = 0;
  private warnings = 0;
  private printed = 0;
  private hiddenErrors = 0;
  private hiddenWarnings = 0;

  constructor(options: IssueReporterOptions) {
    this.out = options.out;
    this.maxLines = options.maxLines ?? DEFAULT_MAX_ISSUE_LINES;
    this.printWarnings = options.printWarnings ?? true;
  }

  /** Counts one issue and prints it unless the cap is reached (or it is a warning under `--quiet`). */
  readonly report = (issue: InputIssue): void => {
    const isError = issue.severity === 'error';
    if (isError) this.errors++;
    else this.warnings++;
    if (!isError && !this.printWarnings) return;
    if (this.printed < this.maxLines) {
      this.printed++;
      this.out.write(formatIssue(issue) + '\n');
    } else if (isError) this.hiddenErrors++;
    else this.hiddenWarnings++;
  };

  /** Issues seen so far, by severity. */
  get counts(): IssueCounts {
    return { error: this.errors, warning: this.warnings };
  }

  /** Prints the "… N more" line when some issues were not shown. Call once, at the end. */
  finish(): void {
    const parts: string[] = [];
    if (this.hiddenErrors > 0) parts.push(plural(this.hiddenErrors, 'more bad line', 'more bad lines'));
    if (this.hiddenWarnings > 0) parts.push(plural(this.hiddenWarnings, 'more warning', 'more warnings'));
    if (parts.length > 0) this.out.write(`… ${parts.join(' and ')} (use --stats for counts)\n`);
  }
}
