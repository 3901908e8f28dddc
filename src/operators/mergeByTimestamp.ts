/**
 * Merging several envelope streams into one event-time-ordered stream.
 *
 * @module
 */
import { merge } from 'rxjs';
import type { Observable } from 'rxjs';
import type { Envelope } from '../streams/types.js';
import { sortByTimestamp } from './sortByTimestamp.js';
import type { SortByTimestampOptions } from './sortByTimestamp.js';

/**
 * Merges envelope streams (events, signals, procfs records …) and orders the result by
 * `(timestamp, rank, seq)` with {@link sortByTimestamp} and the same options.
 *
 * RxJS `merge()` alone interleaves by *arrival*, not by event time: two files read side by side,
 * or signals that reach us a few µs after their event, come out in whatever order the reads
 * happened. This operator adds the ordering. Give each stream its own `rank` (events `0`,
 * signals `1`) so equal timestamps break ties the same way every run; envelopes with the very
 * same key keep arrival order.
 *
 * One watermark covers all sources (the highest timestamp seen in any of them). That suits live
 * streams, which advance together in real time. Finite inputs read at their own pace (files)
 * should use `window: 'unbounded'`: with a bounded window, a source that is read behind the
 * others has its events flagged `late` (delivered, but not in place).
 *
 * @example
 * ```ts
 * import { mergeByTimestamp } from 'proctree-rx';
 * const all$ = mergeByTimestamp([events$, signals$], { window: 'unbounded' });
 * ```
 * @see sortByTimestamp
 * @see compareEnvelopes
 */
export function mergeByTimestamp(
  sources: readonly Observable<Envelope>[],
  options: SortByTimestampOptions = {},
): Observable<Envelope> {
  return merge(...sources).pipe(sortByTimestamp(options));
}
