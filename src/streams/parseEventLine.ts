/**
 * One NDJSON line → one {@link Envelope}, or a reason why not. Pure; never throws.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { exactTopLevelInteger, toNanos } from './exactNumbers.js';
import { decodeHead, type Envelope, type Nanos, type Origin, type StreamFormatView, type TraceeEvent } from './types.js';
import { isV1Beta1, mapV1Beta1 } from './v1beta1.js';

/** Options for {@link parseEventLine}. */
export interface ParseOptions {
  /** Sequence number to stamp on the envelope (arrival order in its stream). */
  readonly seq?: number;
  /** Tie-break rank of the stream (0 = events, 1 = signals). */
  readonly rank?: number;
  /** The stream's format, stamped on the envelope (see `StreamFormat`). */
  readonly format?: StreamFormatView;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Exact value of a top-level time field: the digits of the raw line when they verify, else
 * the parsed value when it is a safe integer, else `undefined` (the caller reports it).
 */
function exactTime(raw: string, event: Record<string, unknown>, key: string): Nanos | undefined {
  const parsed = event[key];
  if (typeof parsed !== 'number') return toNanos(parsed);
  if (Number.isSafeInteger(parsed)) return BigInt(parsed);
  return exactTopLevelInteger(raw, key, parsed);
}

/**
 * Parses one line (already stripped of its newline, CR and BOM) into an {@link Envelope}.
 *
 * Rules: the line must be a JSON object with a numeric `timestamp` (or main's v1beta1 document,
 * with an RFC3339 `timestamp`: mapped onto the flat shape, see `mapV1Beta1`); `eventName`, when present,
 * must be a string; `args`, when present, must be an array; the pids and tids, when present,
 * numbers. The task context is decoded into the envelope's `head` (`decodeHead`). Anything else
 * is kept as is — unknown events pass through untouched.
 *
 * @returns `Right(envelope)` or `Left(reason)`.
 * @example
 * ```ts
 * import { parseEventLine } from 'proctree-rx';
 * const r = parseEventLine('{"timestamp":1795582946601880724,"eventName":"x"}', { source: 'a', line: 1 });
 * // r.right.timestamp === 1795582946601880724n (exact)
 * ```
 */
export function parseEventLine(raw: string, origin: Origin, options: ParseOptions = {}): E.Either<string, Envelope> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return E.left(`invalid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(parsed)) return E.left(`expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  if (typeof parsed['timestamp'] === 'string' && isV1Beta1(parsed)) return v1beta1Envelope(raw, parsed, origin, options);
  if (typeof parsed['timestamp'] !== 'number') {
    return E.left(parsed['timestamp'] === undefined ? 'missing "timestamp"' : '"timestamp" is not a number');
  }
  if (parsed['eventName'] !== undefined && typeof parsed['eventName'] !== 'string') return E.left('"eventName" is not a string');
  if (parsed['args'] !== undefined && parsed['args'] !== null && !Array.isArray(parsed['args'])) return E.left('"args" is not an array');
  const timestamp = exactTime(raw, parsed, 'timestamp');
  if (timestamp === undefined) return E.left('"timestamp" is not an integer');
  const head = decodeHead(parsed);
  if (head._tag === 'Left') return head;
  const threadStartTime = parsed['threadStartTime'] === undefined ? 0n : (exactTime(raw, parsed, 'threadStartTime') ?? 0n);
  return E.right({
    // checked above: a numeric timestamp, a string eventName and an array args when present; the
    // rest is optional in TraceeEvent, and the task context is read from the decoded head
    event: parsed as unknown as TraceeEvent,
    head: head.right,
    raw,
    timestamp,
    threadStartTime,
    origin,
    seq: options.seq ?? origin.line - 1,
    rank: options.rank ?? 0,
    format: options.format,
  });
}

/** main's v1beta1 document: mapped onto the flat shape (the raw line is kept as it is). */
function v1beta1Envelope(raw: string, doc: Record<string, unknown>, origin: Origin, options: ParseOptions): E.Either<string, Envelope> {
  const mapped = mapV1Beta1(doc);
  if (mapped.timestamp === undefined) return E.left('"timestamp" is not an RFC3339 time');
  return E.right({
    event: mapped.event,
    head: mapped.head,
    raw,
    timestamp: mapped.timestamp,
    threadStartTime: mapped.threadStartTime,
    origin,
    seq: options.seq ?? origin.line - 1,
    rank: options.rank ?? 0,
    format: options.format,
  });
}

/**
 * Wraps an event built in code (tests, the marble kit) in an {@link Envelope}. Time fields may be
 * `bigint`s, digit strings or safe numbers; they are taken exactly.
 */
export function envelopeOf(event: TraceeEvent, origin: Origin = { source: '<code>', line: 0 }, options: ParseOptions = {}): Envelope {
  const rec = event as unknown as Record<string, unknown>;
  return {
    event,
    raw: undefined,
    timestamp: toNanos(rec['timestamp']) ?? 0n,
    threadStartTime: toNanos(rec['threadStartTime']) ?? 0n,
    origin,
    seq: options.seq ?? 0,
    rank: options.rank ?? 0,
  };
}
