/**
 * The error a failing signature turns into: which signature, where, on which event, and why.
 *
 * @module
 */
import type { EnrichedEnvelope } from '../operators/enrich.js';

/**
 * Where a signature failed: a Tracee-style callback (`init`, `onEvent`, `onSignal`, `close`,
 * `callback`) or an operator-style signature's operator (`operator`).
 */
export type SignatureFailure = 'init' | 'onEvent' | 'onSignal' | 'close' | 'callback' | 'operator';

/** `FILE:LINE` of an envelope (`FILE` alone when the line is unknown). */
export const originText = (event: EnrichedEnvelope): string =>
  event.origin.line > 0 ? `${event.origin.source}:${event.origin.line}` : event.origin.source;

const causeText = (cause: unknown): string => (cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));

/** `eventName pid N (comm)`, read defensively (the event may be the malformed one). */
const eventText = (event: EnrichedEnvelope): string => {
  try {
    const e = event.event;
    return `${String(e.eventName)} pid ${String(e.hostProcessId)} (${String(e.processName)})`;
  } catch {
    return 'an unreadable event';
  }
};

/**
 * A signature threw (or its operator errored). The message names the signature, the place, the
 * event's `FILE:LINE` and name, and the cause:
 * `signature PRX-002 failed in onEvent on cap.ndjson:12 (sched_process_exec pid 101 (sh)): TypeError: …`.
 * The stack is this error's followed by the cause's (`Caused by: …`), so a failing test shows
 * the line of the signature that threw.
 *
 * @example
 * ```ts
 * import { SignatureError } from 'proctree-rx';
 * declare const err: unknown;
 * if (err instanceof SignatureError) console.error(err.signatureId, err.where, err.event?.origin, err.cause);
 * ```
 */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  /** The failing signature's `SignatureMetadata.id`. */
  readonly signatureId: string;
  readonly where: SignatureFailure;
  /** The event being processed when it failed (none for `init`, `onSignal`, `close`). */
  readonly event: EnrichedEnvelope | undefined;
  /** What the signature threw. */
  override readonly cause: unknown;

  constructor(signatureId: string, where: SignatureFailure, event: EnrichedEnvelope | undefined, cause: unknown) {
    const on = event === undefined ? '' : ` on ${originText(event)} (${eventText(event)})`;
    super(`signature ${signatureId} failed in ${where}${on}: ${causeText(cause)}`);
    this.signatureId = signatureId;
    this.where = where;
    this.event = event;
    this.cause = cause;
    if (cause instanceof Error && cause.stack !== undefined) this.stack = `${this.stack ?? this.message}\nCaused by: ${cause.stack}`;
  }

  /** The cause's text alone (`TypeError: …`), for one-line reports that give the place themselves. */
  get reason(): string {
    return causeText(this.cause);
  }
}

/** `err` as a {@link SignatureError} of `signatureId` (an existing one is returned as is). */
export const toSignatureError = (signatureId: string, where: SignatureFailure, event: EnrichedEnvelope | undefined, err: unknown): SignatureError =>
  err instanceof SignatureError ? err : new SignatureError(signatureId, where, event, err);
