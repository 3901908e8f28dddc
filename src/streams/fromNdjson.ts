/**
 * `fromNdjson`: the one way to read Tracee NDJSON — a path, several paths, a stream or stdin —
 * as an Observable of {@link Envelope}s.
 *
 * @module
 */
import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { catchError, concat, defer, Observable, tap, throwError } from 'rxjs';
import { fromNdjsonFile, type PreStartedParser } from './fromNdjsonFile.js';
import { InputError, inputErrorOf } from './InputError.js';
import { openInput, sourceName } from './openInput.js';
import { readNdjsonStream, type ReadNdjsonOptions } from './readNdjsonStream.js';
import type { Envelope } from './types.js';

/**
 * One NDJSON input: a path (`-` is stdin; a regular file, a FIFO or a device), or a stream
 * already open.
 */
export type NdjsonInput = string | Readable;

/** Options of {@link fromNdjson}. */
export interface FromNdjsonOptions extends Omit<ReadNdjsonOptions, 'source'> {
  /**
   * Name of the input in origins and issues. Default: the path (`<stdin>` for `-`), `<stream>`
   * for a stream. With several inputs each keeps its own name (this one names streams).
   */
  readonly source?: string;
  /** The stream `-` stands for (default `process.stdin`). */
  readonly stdin?: Readable;
  /**
   * Split and validate regular files on a parser thread (default `true`): `JSON.parse` leaves
   * the main thread. Streams, stdin and FIFOs are always read on the main thread.
   */
  readonly parserThread?: boolean;
  /** A parser thread started ahead of time, for the first regular file (see `PreStartedParser`). @internal */
  readonly parser?: PreStartedParser;
}

/** The error an input's reading ended with, as an {@link InputError} when it is about the input. */
const asInputError = (path: string, err: unknown): unknown => {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return err;
  // openInput's streams already word their errors as `cannot read PATH: …`
  const message = err instanceof Error ? err.message : '';
  return message.startsWith('cannot read ') ? new InputError(message, code) : inputErrorOf(path, err);
};

/** One path: a regular file on the parser thread, anything else as a stream. */
function fromPath(path: string, options: FromNdjsonOptions, firstSeq: number): Observable<Envelope> {
  return defer(() => {
    const read = { ...options, source: options.source ?? sourceName(path), firstSeq };
    if (path === '-') return readNdjsonStream(options.stdin ?? process.stdin, read);
    let isFile: boolean;
    try {
      isFile = statSync(path).isFile();
    } catch (err) {
      throw inputErrorOf(path, err);
    }
    return isFile && options.parserThread !== false ? fromNdjsonFile(path, read) : readNdjsonStream(openInput(path), read);
  }).pipe(catchError((err: unknown) => throwError(() => asInputError(path, err))));
}

/**
 * Reads Tracee NDJSON and emits one {@link Envelope} per event line: exact ns timestamps, the raw
 * line kept digit for digit, its origin (`source`, 1-based line) and `seq`.
 *
 * `input` is a path (`-` = stdin; a regular file is split and parsed on a parser thread, a FIFO
 * read without tying up a thread), several paths (read one after the other, `seq` going on
 * across them, each keeping its own name and line numbers), or an open `Readable`.
 *
 * Cold: reading starts on subscribe; unsubscribing stops it. A bad line never ends the stream: it
 * is reported through `onIssue` with its line number and skipped. An input that cannot be read
 * errors the stream with an {@link InputError} (`cannot read x.ndjson: no such file`).
 * Backpressure: with `flow` (shared with `writeNdjson`), no more input is read while the writer
 * is paused. Events come in file order: order them with `sortByTimestamp` (or use `pipeline`).
 *
 * @example
 * ```ts
 * import { fromNdjson } from 'proctree-rx';
 * fromNdjson(['day1.ndjson', 'day2.ndjson'], {
 *   onIssue: (i) => console.error(`${i.origin.source}:${i.origin.line}: ${i.reason}`),
 * }).subscribe((env) => console.log(env.timestamp, env.event.eventName));
 * ```
 * @see pipeline
 * @see writeNdjson
 */
export function fromNdjson(input: NdjsonInput | readonly NdjsonInput[], options: FromNdjsonOptions = {}): Observable<Envelope> {
  if (input instanceof Readable) return readNdjsonStream(input, { ...options, source: options.source ?? '<stream>' });
  if (typeof input === 'string') return fromPath(input, options, options.firstSeq ?? 0);
  let nextSeq = options.firstSeq ?? 0;
  return concat(
    ...input.map((one) =>
      defer(() => fromNdjson(one, { ...options, firstSeq: nextSeq, ...(typeof one === 'string' ? { source: undefined } : {}) })).pipe(
        tap((env) => {
          nextSeq = env.seq + 1;
        }),
      ),
    ),
  );
}
