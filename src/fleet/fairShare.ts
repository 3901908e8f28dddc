/**
 * How a worker moves toward its fair share of a group's partitions, from what the live workers
 * say they hold (their heartbeats).
 *
 * With P partitions and W live workers each worker holds at most `ceil(P / W)`. A worker over that
 * gives one partition up per round (checkpointed first); a worker under it takes a free or expired
 * one — but only while no other live worker holds fewer than it does, so a partition that comes
 * free goes to the worker that needs it most, not to whichever round comes first (two busy
 * workers otherwise took each other's lapsed partitions back and forth).
 *
 * @module
 */

/** What one round of a worker does about its share. */
export interface ShareMove {
  /** The most partitions this worker should hold: `ceil(partitions / live workers)`. */
  readonly share: number;
  /** Give one partition up. */
  readonly release: boolean;
  /** Take one free or expired partition (then ask again). */
  readonly take: boolean;
}

/**
 * The move of worker `me` holding `mine` partitions, given the other live workers' holdings
 * (worker → partitions, as their heartbeats say; `me` itself is ignored there).
 *
 * @example
 * ```ts
 * shareMove(8, 'a', 0, new Map([['b', 8]])); // { share: 4, release: false, take: true }
 * shareMove(8, 'b', 8, new Map([['a', 0]])); // { share: 4, release: true, take: false }
 * ```
 */
export function shareMove(partitions: number, me: string, mine: number, others: ReadonlyMap<string, number>): ShareMove {
  let workers = 1;
  let fewest = Number.POSITIVE_INFINITY;
  for (const [worker, held] of others) {
    if (worker === me) continue;
    workers++;
    fewest = Math.min(fewest, held);
  }
  const share = Math.ceil(partitions / workers);
  return { share, release: mine > share, take: mine < share && mine <= fewest };
}
