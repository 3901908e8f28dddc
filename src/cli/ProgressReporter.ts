/**
 * A single updating progress line on stderr, for people watching a terminal.
 *
 * @module
 */
import type { TextSink } from './cliTypes.js';

/** Running totals shown by {@link ProgressReporter}. */
export interface ProgressCounts {
  readonly lines: number;
  readonly events: number;
  readonly badLines: number;
}

/** Options of {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** Where the line goes (stderr). */
  readonly out: TextSink;
  /** Draw at all: pass `isTTY.stderr && !quiet`. When false every call is a no-op. */
  readonly enabled: boolean;
  /** Milliseconds from any fixed origin (default `performance.now`). */
  readonly now?: () => number;
  /** Least time between two draws, ms (default 500). */
  readonly intervalMs?: number;
}

/** Default time between redraws. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 500;

/** Carriage return + erase to the end of the line (ANSI). */
const CLEAR = '\r\x1b[K';

/** `1234567` → `1,234,567`, locale-independent. */
const grouped = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Draws `proctree-rx: 1,200,000 lines, 1,199,990 events, 10 bad lines, 210,000 events/s` on one
 * terminal line, redrawn in place at most every `intervalMs` (checked when {@link update} is
 * called: no timers, so it costs nothing when disabled and is exact under an injected clock).
 * The rate is over the time since the previous draw. {@link finish} erases the line.
 *
 * @example
 * ```ts
 * import { ProgressReporter } from './ProgressReporter.js';
 * const progress = new ProgressReporter({ out: process.stderr, enabled: process.stderr.isTTY === true && !quiet });
 * progress.update({ lines, events, badLines }); // on every line; cheap
 * progress.finish();                            // before printing the summary
 * ```
 */
export class ProgressReporter {
  private readonly out: TextSink;
  private readonly enabled: boolean;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private lastDrawAt: number;
  private lastEvents = 0;
  private drawn = false;

  constructor(options: ProgressReporterOptions) {
    this.out = options.out;
    this.enabled = options.enabled;
    this.now = options.now ?? (() => performance.now());
    this.intervalMs = options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.lastDrawAt = this.enabled ? this.now() : 0;
  }

  /** Redraws the line if `intervalMs` has passed since the last draw (or the start). */
  update(counts: ProgressCounts): void {
    if (!this.enabled) return;
    const t = this.now();
    const elapsed = t - this.lastDrawAt;
    if (elapsed < this.intervalMs) return;
    const rate = ((counts.events - this.lastEvents) * 1000) / elapsed;
    this.out.write(
      `${CLEAR}proctree-rx: ${grouped(counts.lines)} lines, ${grouped(counts.events)} events, ` +
        `${grouped(counts.badLines)} bad lines, ${grouped(rate)} events/s`,
    );
    this.lastDrawAt = t;
    this.lastEvents = counts.events;
    this.drawn = true;
  }

  /** Erases the progress line if one was drawn. Safe to call more than once. */
  finish(): void {
    if (!this.drawn) return;
    this.out.write(CLEAR);
    this.drawn = false;
  }
}
