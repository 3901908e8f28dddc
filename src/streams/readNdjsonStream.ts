/**
 * NDJSON bytes of one stream → an Observable of {@link Envelope}s (what `fromNdjson` runs for
 * a stream, stdin or a FIFO; regular files go to the parser thread, `fromNdjsonFile`).
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import type { FlowControl } from './flowControl.js';
import { createEventReader, type FormatNotice } from './eventReader.js';
import type { TraceeFormatInfo } from './traceeFormat.js';
import { createEventLines } from './eventLines.js';
import { DEFAULT_MAX_LINE_BYTES } from './splitLines.js';
import { createTimeSlice } from './timeSlice.js';
import type { Envelope, InputIssue } from './types.js';

/** Options of {@link readNdjsonStream}. */
export interface ReadNdjsonOptions {
  /** Name of the input in origins and issues: a file path, `<stdin>`, … */
  readonly source: string;
  /** Tie-break rank stamped on every envelope (0 = events, 1 = signals). Default 0. */
  readonly rank?: number;
  /** Receives one issue per skipped line (malformed, not an event, too long). Default: ignored. */
  readonly onIssue?: (issue: InputIssue) => void;
  /** Longest accepted line in bytes; longer lines are reported and skipped unbuffered. Default 16 MiB. */
  readonly maxLineBytes?: number;
  /** Shared with the writer: while it is paused, no more input is pulled. */
  readonly flow?: FlowControl;
  /** `seq` of the first envelope (default 0); `fromNdjson` continues it across inputs. */
  readonly firstSeq?: number;
  /** Read every line as this Tracee format (see `formatByName`); detected from the lines when absent. */
  readonly traceeFormat?: TraceeFormatInfo;
  /** Told once which Tracee format the stream is read as (see `describeNotice`). */
  readonly onFormat?: (notice: FormatNotice) => void;
}

const toBuffer = (chunk: unknown): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);

/**
 * Reads NDJSON from `input` and emits one {@link Envelope} per event line, parsed with
 * {@link parseEventLine} (exact timestamps, raw line kept).
 *
 * Cold: reading starts on subscribe; unsubscribing stops it (the input is destroyed, except
 * `process.stdin`, which is only paused). A bad line never ends the stream: it is reported through
 * `onIssue` with its 1-based physical line number and skipped. Empty and whitespace-only lines are
 * skipped silently; CRLF, a leading UTF-8 BOM and a last line without newline are handled. A read
 * error of the input errors the Observable.
 *
 * Backpressure: with `flow`, the reader stops after the current line when the writer pauses the
 * flow, pauses `input`, and goes on from that very byte at the next resume.
 *
 * `seq` counts the emitted envelopes (0-based, from `firstSeq`), so `(timestamp, rank, seq)` is a
 * total order.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { readNdjsonStream } from './readNdjsonStream.js';
 * readNdjsonStream(createReadStream('events.ndjson'), { source: 'events.ndjson' }).subscribe((env) => console.log(env.timestamp));
 * ```
 * @see fromNdjson
 */
export function readNdjsonStream(input: Readable, options: ReadNdjsonOptions): Observable<Envelope> {
  const { source, onIssue, flow } = options;
  const rank = options.rank ?? 0;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  return new Observable<Envelope>((subscriber) => {
    let seq = options.firstSeq ?? 0;
    /** A chunk whose lines are not all emitted yet (the flow paused mid-chunk), and where to go on. */
    let held: Buffer | undefined;
    let heldAt = 0;
    let ended = false;
    let finished = false;
    let cancelWait: (() => void) | undefined;
    const reader = createEventReader({ source, rank, format: options.traceeFormat, onIssue, onFormat: options.onFormat });
    // a chunk of costly events must not hold the thread: signals and timers get a turn every slice
    const slice = createTimeSlice();
    let resumeLater: NodeJS.Immediate | undefined;

    const splitter = createEventLines({
      reader,
      maxLineBytes,
      nextSeq: () => seq,
      onEvent: (env) => {
        seq++;
        subscriber.next(env);
      },
      onRejected: (line, reason) => onIssue?.({ origin: { source, line }, reason, severity: 'error' }),
      shouldStop: flow === undefined ? () => subscriber.closed || slice.expired() : () => flow.isPaused || subscriber.closed || slice.expired(),
    });

    const complete = (): void => {
      if (finished) return;
      finished = true;
      splitter.end();
      subscriber.complete();
    };

    /** Runs the held chunk on; when it is used up, lets the input flow again (or completes). */
    const goOn = (): void => {
      cancelWait = undefined;
      resumeLater = undefined;
      if (subscriber.closed) return;
      if (held !== undefined) {
        const chunk = held;
        slice.start();
        const at = splitter.push(chunk, heldAt);
        if (subscriber.closed) return;
        if (at < chunk.length) {
          heldAt = at;
          waitForResume();
          return;
        }
        held = undefined;
      }
      if (flow !== undefined && flow.isPaused) {
        waitForResume();
        return;
      }
      if (ended) complete();
      else input.resume();
    };

    /** Stops the input until the writer resumes the flow or, when only the time slice ran out, until the next turn. */
    const waitForResume = (): void => {
      input.pause();
      if (flow !== undefined && flow.isPaused) cancelWait = flow.onResume(goOn);
      else resumeLater ??= setImmediate(goOn);
    };

    const onData = (data: unknown): void => {
      const chunk = toBuffer(data);
      slice.start();
      const at = splitter.push(chunk, 0);
      if (subscriber.closed) return;
      if (at < chunk.length) {
        held = chunk;
        heldAt = at;
        waitForResume();
      } else if (flow !== undefined && flow.isPaused) {
        waitForResume();
      }
    };
    const onEnd = (): void => {
      ended = true;
      if (held === undefined) complete();
    };
    const onError = (err: unknown): void => {
      finished = true;
      subscriber.error(err);
    };
    const onClose = (): void => {
      if (!ended && !finished) {
        finished = true;
        subscriber.error(new Error(`${source}: input closed before its end`));
      }
    };

    if (input.readableEnded) {
      // already read to its end (e.g. stdin named twice): nothing more will come
      complete();
      return undefined;
    }
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.on('close', onClose);
    // a stream paused by an earlier reader does not start flowing on its own
    if (input.isPaused()) input.resume();

    return () => {
      if (cancelWait !== undefined) cancelWait();
      if (resumeLater !== undefined) clearImmediate(resumeLater);
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.off('close', onClose);
      if (!ended) {
        if (input === process.stdin) input.pause();
        else input.destroy();
      }
    };
  });
}
