/**
 * Compact views of findings and matchers for them, so marble diagrams of findings compare (and
 * fail) readably: the summary leaves out the tree and the envelope.
 *
 * @module
 */
import type { Finding } from '../src/signatures/types.js';
import { deepEqual, describeValue, type AsymmetricMatcher } from './deepEqual.js';
import { headOf } from '../src/streams/types.js';

/** What a finding is about, in a few fields. */
export interface FindingSummary {
  /** Signature id. */
  readonly sig: string;
  /** Name of the triggering event. */
  readonly event: string;
  readonly pid: number;
  readonly tid: number;
  /** `processName` of the triggering event. */
  readonly comm: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * The summary of a finding.
 * @example
 * ```ts
 * findings.map(summarizeFinding); // [{ sig: 'PRX-002', event: 'sched_process_exec', pid: 101, … }]
 * ```
 */
export function summarizeFinding(f: Finding): FindingSummary {
  const head = headOf(f.envelope);
  return {
    sig: f.SigMetadata.id,
    event: head.eventName,
    pid: head.hostProcessId,
    tid: head.hostThreadId,
    comm: head.processName,
    data: f.Data,
  };
}

/** What {@link finding} checks besides the signature id; omitted fields are not checked. */
export interface FindingExpectation {
  readonly pid?: number;
  readonly tid?: number;
  readonly comm?: string;
  readonly event?: string;
  /** Checked as a subset: each given key must deep-equal the finding's `Data[key]`. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * A matcher for one finding (or its {@link FindingSummary}) of signature `sig`; use it as a
 * marble value with `expectFindings`, or inside Jest's `toEqual`.
 * @example
 * ```ts
 * expectFindings(findings$).toBe('--a--|', { a: finding('PRX-002', { pid: 101 }) });
 * expect(findings).toEqual([finding('PRX-001', { pid: 101, data: { shell: 'sh' } })]); // PRX-001 (shellUnderServer) reports the shell
 * ```
 */
export function finding(sig: string, expected: FindingExpectation = {}): AsymmetricMatcher & { readonly $$typeof: symbol; toString(): string } {
  const text = `finding(${JSON.stringify(sig)}${Object.keys(expected).length ? `, ${describeValue(expected).replace(/\s+/g, ' ')}` : ''})`;
  return {
    $$typeof: Symbol.for('jest.asymmetricMatcher'),
    asymmetricMatch(actual: unknown): boolean {
      if (typeof actual !== 'object' || actual === null) return false;
      const s: FindingSummary = 'SigMetadata' in actual ? summarizeFinding(actual as Finding) : (actual as FindingSummary);
      if (s.sig !== sig) return false;
      if (expected.pid !== undefined && s.pid !== expected.pid) return false;
      if (expected.tid !== undefined && s.tid !== expected.tid) return false;
      if (expected.comm !== undefined && s.comm !== expected.comm) return false;
      if (expected.event !== undefined && s.event !== expected.event) return false;
      if (expected.data !== undefined) for (const [k, v] of Object.entries(expected.data)) if (!deepEqual(s.data[k], v)) return false;
      return true;
    },
    toAsymmetricMatcher: () => text,
    toString: () => text,
  };
}
