/**
 * TestScheduler helpers for signatures and tree operators: deep equality that understands
 * `bigint`, and `expectFindings` that compares findings by their summaries.
 *
 * @module
 */
import { map, type Observable } from 'rxjs';
import { TestScheduler, type RunHelpers } from 'rxjs/testing';
import type { SignatureError } from '../src/signatures/SignatureError.js';
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

interface Frame {
  readonly notification?: { readonly kind?: string; readonly error?: unknown };
}

const errorsOf = (frames: unknown): unknown[] =>
  Array.isArray(frames) ? (frames as Frame[]).filter((f) => f?.notification?.kind === 'E').map((f) => f.notification!.error) : [];

const isSignatureError = (e: unknown): e is SignatureError => e instanceof Error && e.name === 'SignatureError';

/**
 * A TestScheduler whose frame comparison understands `bigint`s and asymmetric matchers. When
 * the stream under test errors with a `SignatureError` where the diagram expects no error, the
 * comparison throws that error itself (signature id, event `FILE:LINE`, cause, and the
 * signature's own stack) rather than a diff of frames.
 * @example
 * ```ts
 * import { createMarbleScheduler } from 'proctree-rx/marbles';
 * import type { TestScheduler } from 'rxjs/testing';
 * let scheduler: TestScheduler;
 * beforeEach(() => { scheduler = createMarbleScheduler(); });
 * ```
 */
export function createMarbleScheduler(assert: AssertDeepEqual = defaultAssert): TestScheduler {
  return new TestScheduler((actual, expected) => {
    const failure = errorsOf(actual).find(isSignatureError);
    if (failure !== undefined && errorsOf(expected).length === 0) throw failure;
    assert(actual, expected);
  });
}

/** The RxJS run helpers plus {@link MarbleHelpers.expectFindings}. */
export interface MarbleHelpers extends RunHelpers {
  /** `expectObservable` over finding summaries: use `finding(sig, {…})` as marble values. */
  readonly expectFindings: (findings$: Observable<Finding>, subscription?: string) => { toBe(marbles: string, values?: Record<string, unknown>, error?: unknown): void };
  /** The scheduler running the test (pass it to time-based operators). */
  readonly scheduler: TestScheduler;
}

/**
 * Runs `body` in virtual time on a fresh {@link createMarbleScheduler} and flushes.
 * @example
 * ```ts
 * import { enrich, execFromTempDir, runSignatures } from 'proctree-rx';
 * import { finding, marbleTest } from 'proctree-rx/marbles';
 * marbleTest(({ cold, expectFindings }) => {
 *   const events$ = cold('-a-b-|', { a: forkEvent, b: execEvent });
 *   expectFindings(events$.pipe(enrich(), runSignatures([execFromTempDir()]))).toBe('---a-|', { a: finding('PRX-002', { pid: 101 }) });
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
