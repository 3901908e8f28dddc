/**
 * Picks the likeliest intended word for a typo.
 *
 * @module
 */
import { editDistance } from './editDistance.js';

/**
 * The candidate nearest to `input` by {@link editDistance}, if it is near enough to be a
 * plausible typo (an exact match is returned as is): at most 1 edit for words up to 4 characters, else at most a third of the
 * input's length (rounded down, never more than 3). Ties go to the earlier candidate.
 *
 * @example
 * ```ts
 * import { closestMatch } from './closestMatch.js';
 * closestMatch('fromat', ['format', 'at']); // 'format'
 * closestMatch('zzz', ['format']);          // undefined
 * ```
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const limit = input.length <= 4 ? 1 : Math.min(3, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
