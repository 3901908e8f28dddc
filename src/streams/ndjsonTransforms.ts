/**
 * Node-stream adapters for users who prefer `pipeline()` to RxJS.
 *
 * `ndjsonStringify()` is the `ndjson` package's serializer, re-exported where users expect it.
 * The `ndjson` package's *parser* is deliberately not used for input: it is slower than our
 * splitter and drops or stops on a bad line without a line number (see bench/ingest.bench.mjs);
 * {@link envelopeParser} is the Node-stream form of {@link fromNdjson} instead.
 *
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';
import { stringify } from 'ndjson';
import { createEventReader, type FormatNotice } from './eventReader.js';
import type { TraceeFormatInfo } from './traceeFormat.js';
import { createEventLines } from './eventLines.js';
import { DEFAULT_MAX_LINE_BYTES } from './splitLines.js';
import type { InputIssue } from './types.js';

/**
 * An object-mode Transform (from the `ndjson` package): plain objects in, one JSON line each out.
 * Circular references are replaced by `"[Circular ~]"`. `bigint` values are not JSON: convert them
 * first (or write with `stringifyExact` and {@link writeNdjson}).
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * import { Readable } from 'node:stream';
 * import { ndjsonStringify } from 'proctree-rx';
 * await pipeline(Readable.from(findings), ndjsonStringify(), process.stdout);
 * ```
 */
export function ndjsonStringify(): Transform {
  return stringify();
}

/** Options of {@link envelopeParser}. */
export interface EnvelopeParserOptions {
  /** Name of the input in origins and issues. */
  readonly source: string;
  /** Tie-break rank stamped on every envelope. Default 0. */
  readonly rank?: number;
  /** Receives one issue per skipped line. Default: ignored. */
  readonly onIssue?: (issue: InputIssue) => void;
  /** Longest accepted line in bytes. Default 16 MiB. */
  readonly maxLineBytes?: number;
  /** Read every line as this Tracee format; detected from the lines when absent. */
  readonly traceeFormat?: TraceeFormatInfo;
  /** Told once which Tracee format the stream is read as. */
  readonly onFormat?: (notice: FormatNotice) => void;
}

/**
 * A Transform from NDJSON bytes (or strings) to {@link Envelope} objects, with the same rules as
 * `fromNdjson`: bad lines are reported through `onIssue` and skipped (never an error),
 * blank lines skipped, CRLF/BOM/last line without newline handled, exact timestamps, the
 * stream's Tracee format detected (see `createEventReader`).
 * Backpressure is Node's own (per chunk).
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { envelopeParser } from 'proctree-rx';
 * for await (const env of createReadStream('events.ndjson').pipe(envelopeParser({ source: 'events.ndjson' }))) {
 *   console.log(env.timestamp);
 * }
 * ```
 */
export function envelopeParser(options: EnvelopeParserOptions): Transform {
  const { source, onIssue } = options;
  const rank = options.rank ?? 0;
  let seq = 0;
  const reader = createEventReader({ source, rank, format: options.traceeFormat, onIssue, onFormat: options.onFormat });
  const target: Transform = new Transform({
    writableObjectMode: false,
    readableObjectMode: true,
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      callback();
    },
    flush(callback: TransformCallback) {
      splitter.end();
      callback();
    },
  });
  const splitter = createEventLines({
    reader,
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    nextSeq: () => seq,
    onEvent: (env) => {
      seq++;
      target.push(env);
    },
    onRejected: (line, reason) => onIssue?.({ origin: { source, line }, reason, severity: 'error' }),
  });
  return target;
}
