/**
 * The signature contract, Tracee-style (`types/detect` at the seed) in idiomatic TypeScript:
 * metadata, selected events, `init` / `onEvent` / `onSignal` / `close`, a context with a
 * callback and data sources, and findings shaped as Tracee's `detect.Finding`
 * (`SigMetadata`, `Event`, `Data`).
 *
 * Two ways to write a signature:
 * - a {@link Signature} object (a port of a Go signature reads almost line for line), run with
 *   `fromSignature`;
 * - a {@link SignatureOperator}: metadata plus an RxJS operator from enriched events to
 *   findings, for rules that window or correlate events.
 *
 * @module
 */
import type * as O from 'fp-ts/lib/Option.js';
import type { OperatorFunction } from 'rxjs';
import type { EnrichedEnvelope, EventContext } from '../operators/enrich.js';
import type { TraceeEvent } from '../streams/types.js';
import type { ProcessTreeDataSource } from '../tree/dataSource.js';

/** Tracee's severities: 0 informative … 4 critical. */
export type Severity = 0 | 1 | 2 | 3 | 4;

/**
 * Tracee's `SignatureMetadata.Properties` map. Keys are Tracee's own: `Severity`, `Category`
 * (MITRE tactic, kebab-case), `Technique` (name), `external_id` (MITRE id, e.g. `T1059.004`),
 * `id` (MITRE STIX id) and the older `MITRE ATT&CK` (`"Tactic: Technique"`). Anything else
 * a signature wants to advertise may be added.
 */
export interface SignatureProperties {
  readonly Severity: Severity;
  readonly Category?: string;
  readonly Technique?: string;
  readonly external_id?: string;
  readonly id?: string;
  readonly 'MITRE ATT&CK'?: string;
  readonly [key: string]: unknown;
}

/**
 * What a signature is (Tracee's `SignatureMetadata`).
 * @example
 * ```ts
 * const meta: SignatureMetadata = {
 *   id: 'PRX-100', name: 'My rule', version: '1', description: '…', tags: ['linux'],
 *   properties: { Severity: 2, Category: 'execution', external_id: 'T1059' },
 * };
 * ```
 */
export interface SignatureMetadata {
  /** Stable id, e.g. `PRX-001` or Tracee's `PROCTREE_DATA_SOURCE`. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** The name findings are printed under (Tracee's `EventName`); defaults to `id`. */
  readonly eventName?: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly properties: SignatureProperties;
}

/** One event a signature wants (Tracee's `SignatureEventSelector`); `name: '*'` selects all. */
export interface SelectedEvent {
  readonly source: 'tracee';
  readonly name: string;
}

/** What a signature passes to the callback: the triggering event and its data. */
export interface FindingInput {
  /** The event that triggered it. */
  readonly event: EnrichedEnvelope;
  /** Free-form details (Tracee's `Data`). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Override the signature's metadata for this finding (rare). */
  readonly metadata?: SignatureMetadata;
}

/**
 * The triggering event of a finding: the original Tracee event's fields, unchanged, plus the
 * tree context as of the event's timestamp under `proctree`.
 */
export type FindingEvent = TraceeEvent & { readonly proctree: EventContext };

/**
 * A finding, shaped as Tracee's `detect.Finding`. `envelope` keeps the enriched envelope for
 * code (exact times, raw line); it is not part of the JSON (see `findingToJson`).
 */
export interface Finding {
  readonly SigMetadata: SignatureMetadata;
  readonly Event: FindingEvent;
  readonly Data: Readonly<Record<string, unknown>>;
  readonly envelope: EnrichedEnvelope;
}

/** Signals a signature can receive besides events (Tracee's `OnSignal`). */
export type SignatureSignal = { readonly kind: 'sourceComplete'; readonly source: 'tracee' };

/**
 * A problem with an event that a signature worked around instead of failing (malformed
 * arguments: `null` entries, wrong types, missing ones). The CLI prints it as
 * `FILE:LINE: warning: …`; the run goes on.
 */
export interface SignatureWarning {
  /** The reporting signature's id. */
  readonly signatureId: string;
  readonly event: EnrichedEnvelope;
  /** What was wrong, e.g. `args[0] is null, not an argument`. */
  readonly reason: string;
}

/** What `init` hands a signature (Tracee's `SignatureContext`). */
export interface SignatureContext {
  /** Report a finding. May be called during `onEvent`, `onSignal`, or later while subscribed. */
  callback(finding: FindingInput): void;
  /** A data source by namespace and id; only `tracee` / `process_tree` exists. */
  getDataSource(namespace: string, id: string): O.Option<ProcessTreeDataSource>;
  /** Report a malformed event the signature worked around (not Tracee's; see {@link SignatureWarning}). */
  warn(event: EnrichedEnvelope, reason: string): void;
}

/**
 * A Tracee-style signature. Run it with `fromSignature(sig, { dataSource })`.
 * @example
 * ```ts
 * class MySig implements Signature {
 *   private ctx!: SignatureContext;
 *   getMetadata() { return META; }
 *   getSelectedEventsToTrace() { return [{ source: 'tracee', name: 'sched_process_exec' }] as const; }
 *   init(ctx: SignatureContext) { this.ctx = ctx; }
 *   onEvent(e: EnrichedEnvelope) { if (e.context.process?.name === 'nc') this.ctx.callback({ event: e }); }
 *   close() {}
 * }
 * ```
 */
export interface Signature {
  getMetadata(): SignatureMetadata;
  getSelectedEventsToTrace(): readonly SelectedEvent[];
  /**
   * Called once per subscription, before any event. A throw errors the stream (with `onError`:
   * is reported, and the signature does not run).
   */
  init(ctx: SignatureContext): void;
  /**
   * Called for each selected event, in order. A throw errors the stream with a
   * `SignatureError` (with `onError`: is reported, and the event skipped).
   */
  onEvent(event: EnrichedEnvelope): void;
  /** Called with control signals (end of input). */
  onSignal?(signal: SignatureSignal): void;
  /** Called once when the stream completes, errors or is unsubscribed. */
  close(): void;
}

/** What an operator-style signature gets when it is subscribed. */
export interface SignatureEnv {
  /**
   * The process-tree data source: the one given to `runSignatures` / `runSignature` (share the
   * builder's), else one over the trees of the events seen so far, answering as of the time asked.
   */
  readonly dataSource: ProcessTreeDataSource;
  /** Report a malformed event the signature worked around (see {@link SignatureWarning}). */
  readonly warn: (event: EnrichedEnvelope, reason: string) => void;
}

/**
 * An RxJS-native signature: metadata plus an operator from enriched events to findings. Run it
 * with `runSignature` / `runSignatures`: an error of the operator then errors the stream with a
 * `SignatureError` naming the signature and the event it was processing (with `onError`: it is
 * reported, and the operator is subscribed again, with fresh state, for the events that follow).
 * @example
 * ```ts
 * import { createFinding, type SignatureOperator } from 'proctree-rx';
 * import { filter, map } from 'rxjs';
 * const sig: SignatureOperator = {
 *   metadata: META,
 *   operator: () => (events$) =>
 *     events$.pipe(
 *       filter((e) => e.event.eventName === 'sched_process_exec'),
 *       map((e) => createFinding(META, e)),
 *     ),
 * };
 * ```
 */
export interface SignatureOperator {
  readonly metadata: SignatureMetadata;
  readonly operator: (env: SignatureEnv) => OperatorFunction<EnrichedEnvelope, Finding>;
  /**
   * What the signature reads beyond the tree: `artifacts` = per-process artifacts
   * (`e.context.artifacts`). Runners that make the tree (`findings`, the marbles kit) turn them
   * on when a signature asks; `pipeline` needs `artifacts: true` for it.
   */
  readonly requires?: readonly 'artifacts'[];
}

/** Either kind of signature. */
export type AnySignature = Signature | SignatureOperator;

/** Makes a fresh signature (signatures keep state: one instance per run). */
export type SignatureFactory = () => AnySignature;

/** Does any of `signatures` read per-process artifacts (see {@link SignatureOperator.requires})? */
export const needsArtifacts = (signatures: readonly AnySignature[]): boolean =>
  signatures.some((s) => isSignatureOperator(s) && s.requires?.includes('artifacts') === true);

/** Tells a {@link SignatureOperator} from a {@link Signature}. */
export const isSignatureOperator = (s: AnySignature): s is SignatureOperator =>
  typeof (s as SignatureOperator).operator === 'function' && typeof (s as SignatureOperator).metadata === 'object';
