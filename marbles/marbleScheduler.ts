/**
 * TestScheduler helpers for signatures and tree operators: deep equality that understands
 * `bigint`, and `expectFindings` that compares findings by their summaries.
 *
 * @module
 */
import { map, type Observable } from 'rxjs';
import { TestScheduler, type RunHelpers } from 'rxjs/testing';
import type { Finding } from '../src/signatures/types.js';
import { deepEqual, describeValue } from './deepEqual.js';
import { summarizeFinding } from './findingMatchers.js';

/** Asserts that two values are equal; throws when not. */
export type AssertDeepEqual = (actual: unknown, expected: unknown) => void;

interface JestLikeExpect {
  (actual: unknown): { toEqual(expected: unknown): void };
}

/** Jest's / Vitest's `expect(…).toEqual` when a global `expect` exists, else {@link deepEqual}. */
const defaultAssert: AssertDeepEqual = (actual, expected) => {
  const g = (globalThis as { expect?: JestLikeExpect }).expect;
  if (typeof g === 'function') {
    g(actual).toEqual(expected);
    return;
  }
  if (!deepEqual(actual, expected)) throw new Error(`marble mismatch\nexpected: ${describeValue(expected)}\nactual:   ${describeValue(actual)}`);
};

/**
 * A TestScheduler whose frame comparison understands `bigint`s and asymmetric matchers.
 * @example
 * ```ts
 * import { createMarbleScheduler } from 'proctree-rx/marbles';
 * let scheduler: TestScheduler;
 * beforeEach(() => { scheduler = createMarbleScheduler(); });
 * ```
 */
export function createMarbleScheduler(assert: AssertDeepEqual = defaultAssert): TestScheduler {
  return new TestScheduler((actual, expected) => assert(actual, expected));
}

/** The RxJS run helpers plus {@link MarbleHelpers.expectFindings}. */
export interface MarbleHelpers extends RunHelpers {
  /** `expectObservable` over finding summaries: use `finding(sig, {…})` as marble values. */
  expectFindings(findings$: Observable<Finding>, subscription?: string): { toBe(marbles: string, values?: Record<string, unknown>, error?: unknown): void };
  /** The scheduler running the test (pass it to time-based operators). */
  readonly scheduler: TestScheduler;
}

/**
 * Runs `body` in virtual time on a fresh {@link createMarbleScheduler} and flushes.
 * @example
 * ```ts
 * import { finding, marbleTest } from 'proctree-rx/marbles';
 * marbleTest(({ cold, expectFindings }) => {
 *   const events$ = cold('-a-b-|', { a: forkEvent, b: execEvent });
 *   expectFindings(events$.pipe(enrich(), fromSignature(sig))).toBe('---a-|', { a: finding('PRX-002', { pid: 101 }) });
 * });
 * ```
 */
export function marbleTest<T>(body: (helpers: MarbleHelpers) => T, assert?: AssertDeepEqual): T {
  const scheduler = createMarbleScheduler(assert);
  return scheduler.run((helpers) =>
    body({
      ...helpers,
      scheduler,
      expectFindings: (findings$, subscription) => helpers.expectObservable(findings$.pipe(map(summarizeFinding)), subscription),
    }),
  );
}
