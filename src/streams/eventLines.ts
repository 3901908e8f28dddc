/**
 * Split → parse → report, once: NDJSON bytes to events and rejected lines, for every reader
 * (streams on the main thread, the parser thread, the Node-stream transform).
 *
 * @module
 */
import type { EventReader } from './eventReader.js';
import { createLineSplitter, formatBytes, type LineSplitter } from './splitLines.js';
import type { Envelope } from './types.js';

/** Options of {@link createEventLines}. */
export interface EventLinesOptions {
  /** Parses and validates one line (the stream's format detection lives in it). */
  readonly reader: EventReader;
  /** Longest accepted line in bytes; longer lines are rejected unbuffered. */
  readonly maxLineBytes: number;
  /** The `seq` the next event gets (asked once per line that parses). */
  readonly nextSeq: (line: number) => number;
  /** An event line, parsed: the envelope, its text and its 1-based line number. */
  readonly onEvent: (env: Envelope, text: string, line: number) => void;
  /** A line that is not an event (malformed, not an object, too long, invalid UTF-8), with why. */
  readonly onRejected: (line: number, reason: string) => void;
  /** Asked after each line: stop splitting the current chunk here (backpressure, a time slice). */
  readonly shouldStop?: () => boolean;
}

/** Why an over-long line was skipped. */
export const overlongReason = (line: number, max: number): string => `line ${line} exceeds ${formatBytes(max)}; skipped`;

/**
 * A line splitter whose lines go through `reader`: each event line to `onEvent`, every other
 * line to `onRejected` with its reason (blank lines are skipped silently by the splitter). The
 * one place where the three sources of a bad line meet; `end()` also tells the reader the input
 * ended (its format notice for a stream too short to decide).
 *
 * @example
 * ```ts
 * import { createEventReader } from './eventReader.js';
 * import { createEventLines } from './eventLines.js';
 * let seq = 0;
 * const lines = createEventLines({
 *   reader: createEventReader({ source: 'x', rank: 0, format: undefined }),
 *   maxLineBytes: 1 << 20,
 *   nextSeq: () => seq++,
 *   onEvent: (env) => console.log(env.timestamp),
 *   onRejected: (line, reason) => console.error(`x:${line}: ${reason}`),
 * });
 * lines.push(Buffer.from('{"timestamp":1}\n'));
 * lines.end();
 * ```
 */
export function createEventLines(options: EventLinesOptions): LineSplitter {
  const { reader, nextSeq, onEvent, onRejected } = options;
  const splitter = createLineSplitter({
    maxLineBytes: options.maxLineBytes,
    onLine: (text, line) => {
      const result = reader.read(text, line, nextSeq(line));
      if (result._tag === 'Right') onEvent(result.right, text, line);
      else onRejected(line, result.left);
    },
    onOverlong: (line, max) => onRejected(line, overlongReason(line, max)),
    onInvalidUtf8: onRejected,
    ...(options.shouldStop !== undefined ? { shouldStop: options.shouldStop } : {}),
  });
  return {
    push: (chunk, from) => splitter.push(chunk, from),
    end: () => {
      splitter.end();
      reader.end(splitter.lines);
    },
    get lines() {
      return splitter.lines;
    },
  };
}
