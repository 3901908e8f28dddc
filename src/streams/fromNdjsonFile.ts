/**
 * NDJSON file → Observable of envelopes, parsed on a second thread.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import { Observable } from 'rxjs';
import { StreamFormat } from './eventReader.js';
import { LineEnvelope } from './lineEnvelope.js';
import { CREDITS, STOP, type ParseBatch, type ParseWorkerData, type ParseWorkerMessage, type StreamWord } from './parseProtocol.js';
import { ANY_FORMAT, formatSetOf } from './traceeFormat.js';
import { defaultParseWorkerScript } from './parseWorkerScript.js';
import { DEFAULT_MAX_LINE_BYTES } from './splitLines.js';
import { createTimeSlice } from './timeSlice.js';
import { EVENT_HEAD_KEYS, type Envelope, type EventHead } from './types.js';
import type { ReadNdjsonOptions } from './readNdjsonStream.js';
import { InputError, inputErrorOf } from './InputError.js';

/** Options of {@link fromNdjsonFile}. */
export interface FromNdjsonFileOptions extends ReadNdjsonOptions {
  /** Lines per batch handed from the parser thread (default 1024). */
  readonly batchLines?: number;
  /**
   * A batch is also handed over once its lines hold this many characters (default 256 Ki): with
   * `inFlight`, what bounds the read-ahead in bytes when lines are long (an exec storm with 40 KB
   * argv would otherwise put 4 × 1024 × 40 KB in flight).
   */
  readonly batchChars?: number;
  /** Batches in flight between the threads at most (default 2): what bounds the read-ahead. */
  readonly inFlight?: number;
  /**
   * The parser thread's young generation (MiB, V8's `maxYoungGenerationSizeMb`; default 8). Its
   * live data is a few batches, so V8's default (16 MiB semi-spaces: 32 MiB resident) was mostly
   * headroom. A `--max-semi-space-size` given to node overrides it.
   */
  readonly parserYoungGenerationMb?: number;
  /** The parser thread's script (default: the built `parseWorker.js` beside this module). */
  readonly workerScript?: string | URL;
  /** A thread started ahead of time, taken when it runs the same script (see {@link PreStartedParser}). */
  readonly parser?: PreStartedParser;
}

const HEAD_SIZE = EVENT_HEAD_KEYS.length;

/**
 * Defaults of the hand-over, chosen by peak RSS (issue 12: 60 k never-exiting processes, enrich,
 * two alternating runs each): 4 batches of ≤ 1 Mi characters in flight and V8's default young
 * generation in the parser thread, 337 / 337 MB; a young generation of 8 MiB, 319 / 318 MB; and
 * 2 batches of ≤ 256 Ki characters, 307 / 286 MB; CPU time within the runs' noise.
 */
const DEFAULT_BATCH_LINES = 1024;
const DEFAULT_BATCH_CHARS = 256 * 1024;
const DEFAULT_IN_FLIGHT = 2;
const DEFAULT_PARSER_YOUNG_MB = 8;

/** The parser thread's heap limits. */
const parserLimits = (youngMb: number | undefined): { maxYoungGenerationSizeMb: number } => ({ maxYoungGenerationSizeMb: Math.max(1, youngMb ?? DEFAULT_PARSER_YOUNG_MB) });

const headAt = (h: readonly unknown[], o: number): EventHead =>
  ({
    eventName: h[o],
    processName: h[o + 1],
    containerId: h[o + 2],
    userId: h[o + 3],
    processId: h[o + 4],
    threadId: h[o + 5],
    hostProcessId: h[o + 6],
    hostThreadId: h[o + 7],
    hostParentProcessId: h[o + 8],
    threadEntityId: h[o + 9],
    processEntityId: h[o + 10],
    parentEntityId: h[o + 11],
  }) as EventHead;

/**
 * A parser thread started before its file is known, so that loading it overlaps other start-up
 * work (the pipeline starts one before its pre-pass over the files). Owned by whoever started it:
 * the first {@link fromNdjsonFile} given it (`parser`, same script) takes the thread; `close()`
 * ends it when nothing did. Unused, it does not keep the process alive.
 */
export class PreStartedParser {
  #worker: Worker | undefined;
  readonly #script: string;

  constructor(workerScript: string | URL = defaultParseWorkerScript(), youngGenerationMb?: number) {
    this.#script = String(workerScript);
    const worker = new Worker(workerScript, { workerData: null, resourceLimits: parserLimits(youngGenerationMb) });
    worker.unref();
    worker.on('error', () => {
      if (this.#worker === worker) this.#worker = undefined;
    });
    this.#worker = worker;
  }

  /** The thread, once, for a job run by `workerScript`; `undefined` after that or for another script. */
  take(workerScript: string | URL): Worker | undefined {
    if (String(workerScript) !== this.#script) return undefined;
    const worker = this.#worker;
    this.#worker = undefined;
    return worker;
  }

  /** Ends the thread unless a reader took it. */
  close(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.terminate();
  }
}

/**
 * Reads a regular NDJSON file like `readNdjsonStream` — same lines, same envelopes (exact times,
 * raw line, origin, seq), same issues in the same order — but splits and validates the lines on
 * a worker thread, so the main thread only builds envelopes. Their `event` is parsed again on
 * first access (signatures, user code); the tree reads the task-context fields from `head` and a
 * lifecycle event's arguments from `preparsed`. On a machine with two cores this takes `JSON.parse` off the main thread's path.
 *
 * Backpressure: the parser thread runs at most `inFlight` batches ahead; while `flow` is paused
 * no envelope is emitted and no new batch is accepted. Unsubscribing stops the thread.
 *
 * @example
 * ```ts
 * import { fromNdjsonFile } from './fromNdjsonFile.js';
 * fromNdjsonFile('capture.ndjson', { source: 'capture.ndjson', onIssue: (i) => console.error(i.reason) })
 *   .subscribe((env) => console.log(env.timestamp, env.head?.eventName));
 * ```
 */
export function fromNdjsonFile(path: string, options: FromNdjsonFileOptions): Observable<Envelope> {
  const { source, onIssue, onFormat, flow } = options;
  const rank = options.rank ?? 0;
  return new Observable<Envelope>((subscriber) => {
    const forced = options.traceeFormat;
    // the stream's format as the parser thread reports it (shared by the stream's envelopes)
    const format = new StreamFormat(source, forced === undefined ? ANY_FORMAT : formatSetOf(forced.name), forced !== undefined);
    const hear = (word: StreamWord): void => {
      format.setCandidates(word.candidates === 0 ? format.candidates : word.candidates);
      if (word.formatNotice !== undefined) onFormat?.(word.formatNotice);
      for (const issue of word.notices) onIssue?.(issue);
    };
    const control = new Int32Array(new SharedArrayBuffer(8));
    control[CREDITS] = Math.max(1, options.inFlight ?? DEFAULT_IN_FLIGHT);
    const data: ParseWorkerData = {
      path,
      source,
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      batchLines: Math.max(1, options.batchLines ?? DEFAULT_BATCH_LINES),
      batchChars: Math.max(1, options.batchChars ?? DEFAULT_BATCH_CHARS),
      control: control.buffer,
      ...(forced === undefined ? {} : { format: forced.name }),
    };
    const script = options.workerScript ?? defaultParseWorkerScript();
    let worker = options.parser?.take(script);
    if (worker === undefined) worker = new Worker(script, { workerData: data, resourceLimits: parserLimits(options.parserYoungGenerationMb) });
    else {
      worker.ref();
      worker.postMessage(data);
    }
    let seq = options.firstSeq ?? 0;
    const queue: ParseBatch[] = [];
    let entry = 0; // next entry of queue[0]
    let event = 0; // next event (non-skipped entry) of queue[0]
    let reason = 0; // next reason of queue[0]
    let ended = false;
    let failure: Error | undefined;
    let draining = false;
    let cancelWait: (() => void) | undefined;
    // a batch of costly events must not hold the thread: signals and timers get a turn every slice
    const slice = createTimeSlice();
    let resumeLater: NodeJS.Immediate | undefined;

    const grant = (): void => {
      Atomics.add(control, CREDITS, 1);
      Atomics.notify(control, CREDITS);
    };

    const drain = (): void => {
      cancelWait = undefined;
      if (draining || resumeLater !== undefined) return;
      draining = true;
      slice.start();
      try {
        while (queue.length > 0) {
          const b = queue[0]!;
          while (entry < b.lines.length) {
            if (subscriber.closed) return;
            if (flow !== undefined && flow.isPaused) {
              cancelWait = flow.onResume(drain);
              return;
            }
            if (slice.expired()) {
              resumeLater = setImmediate(() => {
                resumeLater = undefined;
                drain();
              });
              return;
            }
            const line = b.lines[entry]!;
            const text = b.texts[entry++];
            if (text === null || text === undefined) {
              onIssue?.({ origin: { source, line }, reason: b.reasons[reason++]!, severity: 'error' });
              continue;
            }
            const k = event++;
            const pre = b.pre[k] ?? undefined;
            subscriber.next(new LineEnvelope(text, headAt(b.heads, k * HEAD_SIZE), b.ts[k]!, b.tst[k]!, { source, line }, seq++, rank, undefined, undefined, pre, format));
          }
          queue.shift();
          entry = 0;
          event = 0;
          reason = 0;
          grant();
        }
        if (failure !== undefined) subscriber.error(failure);
        else if (ended && !subscriber.closed) subscriber.complete();
      } finally {
        draining = false;
      }
    };

    worker.on('message', (m: ParseWorkerMessage) => {
      if (m.kind === 'batch') {
        hear(m.word);
        queue.push(m);
        drain();
      } else if (m.kind === 'end') {
        hear(m.word);
        ended = true;
        drain();
      } else {
        // what came before the failure is emitted first
        ended = true;
        failure = m.code === undefined ? new InputError(`${source}: ${m.message}`, undefined) : inputErrorOf(path, Object.assign(new Error(m.message), { code: m.code }));
        drain();
      }
    });
    worker.on('error', (err) => subscriber.error(err));
    worker.on('exit', (code) => {
      if (!ended && !subscriber.closed) subscriber.error(new Error(`${source}: the parser thread stopped (exit code ${code})`));
    });

    return () => {
      cancelWait?.();
      if (resumeLater !== undefined) clearImmediate(resumeLater);
      Atomics.store(control, STOP, 1);
      Atomics.notify(control, CREDITS);
      if (!ended) void worker.terminate();
    };
  });
}
