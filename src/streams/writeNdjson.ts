/**
 * An Observable of lines → NDJSON on a Writable, batched, with backpressure and EPIPE handling.
 *
 * @module
 */
import type { Writable } from 'node:stream';
import type { Observable, Subscription } from 'rxjs';
import type { FlowControl } from './flowControl.js';

/** Options of {@link writeNdjson}. */
export interface WriteNdjsonOptions {
  /** Shared with the reader: paused while `output` is full, resumed on its `'drain'`. */
  readonly flow?: FlowControl;
  /** Lines are gathered into writes of about this many bytes. Default 64 KiB. */
  readonly batchSize?: number;
  /** Call `output.end()` when the lines complete, and wait for `'finish'`. Default false (stdout stays open). */
  readonly end?: boolean;
}

/** What {@link writeNdjson} did. */
export interface WriteNdjsonResult {
  /** Lines handed to `output` (each followed by `\n`). */
  readonly lines: number;
  /** UTF-8 bytes handed to `output`, newlines included. */
  readonly bytes: number;
  /** True when the reader of `output` went away (EPIPE, e.g. `| head`): writing stopped early. */
  readonly brokenPipe: boolean;
}

const DEFAULT_BATCH = 64 * 1024;

/**
 * One output line: a string, or its pieces in order (written one after another, never joined).
 * Pieces let a caller splice text into a long line without building a line-sized string: V8
 * then has no rope to flatten, which measured 3–6× faster to encode than one concatenated string.
 */
export type NdjsonLine = string | readonly string[];

/**
 * Encodes `s` as UTF-8 into `buf` at `offset`; returns the bytes written. `Buffer#utf8Write` is
 * what `Buffer#write` calls after sorting out its optional arguments: called directly it saves
 * that work on every piece (enriched lines are written in several pieces each).
 */
const utf8Write = (buf: Buffer, s: string, offset: number): number => (buf as unknown as { utf8Write(s: string, offset: number): number }).utf8Write(s, offset);

/** Upper bound of the UTF-8 size of a line (a UTF-16 unit is at most 3 bytes), newline included. */
function maxBytes(line: NdjsonLine): number {
  if (typeof line === 'string') return line.length * 3 + 1;
  let n = 1;
  for (let i = 0; i < line.length; i++) n += line[i]!.length * 3;
  return n;
}

const isBrokenPipe = (err: unknown): boolean => {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET';
};

/**
 * Writes each string of `lines$` followed by `\n` to `output`, and resolves when all of it was
 * written (or the pipe broke). Never throws for a closed pipe.
 *
 * - Batching: lines are encoded into one buffer per write of about `batchSize` bytes; a partial batch is
 *   written at the next turn of the event loop (`setImmediate`), so a live stream is not delayed.
 * - Backpressure: when `output.write()` returns false the `flow` is paused until `'drain'`.
 *   Without a `flow`, lines keep being buffered by `output` (RxJS cannot slow the source).
 * - Broken pipe (`EPIPE`, the reader exited, e.g. `| head -n 1`): writing stops, `lines$` is
 *   unsubscribed (the reader stops reading), and the promise resolves with `brokenPipe: true`.
 *   Later EPIPE errors of `output` are swallowed so the process does not crash or print a stack.
 * - An error of `lines$` rejects the promise (after handing what came before to `output`); any other
 *   `output` error rejects it too.
 *
 * @example
 * ```ts
 * import { createFlowControl, fromNdjson, writeNdjson } from 'proctree-rx';
 * import { filter, map } from 'rxjs';
 * const flow = createFlowControl();
 * const result = await writeNdjson(
 *   fromNdjson(process.stdin, { source: '<stdin>', flow }).pipe(
 *     filter((e) => e.event.eventName === 'sched_process_exec'),
 *     map((e) => e.raw ?? ''),
 *   ),
 *   process.stdout,
 *   { flow },
 * );
 * if (result.brokenPipe) process.exitCode = 0;
 * ```
 * @see fromNdjson
 */
export function writeNdjson(lines$: Observable<NdjsonLine>, output: Writable, options: WriteNdjsonOptions = {}): Promise<WriteNdjsonResult> {
  const { flow } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  return new Promise<WriteNdjsonResult>((resolve, reject) => {
    let batch: Buffer | undefined;
    let used = 0;
    let batchLines = 0;
    let lines = 0;
    let bytes = 0;
    let pendingWrites = 0;
    let upstreamDone = false;
    let settled = false;
    let waitingDrain = false;
    let flushScheduled: NodeJS.Immediate | undefined;
    // assigned once, but read by settle() while subscribe() may still be running (a const would be in its TDZ)
    // eslint-disable-next-line prefer-const
    let subscription: Subscription | undefined;
    let failure: { readonly error: unknown } | undefined;

    const cleanup = (): void => {
      if (flushScheduled !== undefined) clearImmediate(flushScheduled);
      flushScheduled = undefined;
      output.off('drain', onDrain);
      output.off('error', onError);
      output.off('close', onClose);
      if (waitingDrain) {
        waitingDrain = false;
        flow?.resume();
      }
    };

    const settle = (brokenPipe: boolean): void => {
      if (settled) return;
      settled = true;
      cleanup();
      subscription?.unsubscribe();
      if (brokenPipe) {
        // the reader is gone: later write errors of this output are expected, not crashes
        if (!output.listeners('error').includes(swallowBrokenPipe)) output.on('error', swallowBrokenPipe);
        resolve({ lines, bytes, brokenPipe: true });
      } else if (failure !== undefined) {
        reject(failure.error instanceof Error ? failure.error : new Error(String(failure.error)));
      } else {
        resolve({ lines, bytes, brokenPipe: false });
      }
    };

    const onWritten = (err?: Error | null): void => {
      pendingWrites--;
      if (err) return; // reported through 'error'
      if (upstreamDone && pendingWrites === 0 && !options.end) settle(false);
    };

    const flush = (): void => {
      flushScheduled = undefined;
      if (batch === undefined || used === 0 || settled) return;
      const buf = batch.subarray(0, used);
      batch = undefined;
      used = 0;
      lines += batchLines;
      batchLines = 0;
      bytes += buf.length;
      pendingWrites++;
      const ok = output.write(buf, onWritten);
      if (!ok && !waitingDrain && !settled) {
        waitingDrain = true;
        flow?.pause();
        output.once('drain', onDrain);
      }
    };

    const onDrain = (): void => {
      if (!waitingDrain) return;
      waitingDrain = false;
      flow?.resume();
    };
    const onError = (err: unknown): void => {
      if (isBrokenPipe(err)) {
        batch = undefined;
        used = 0;
        batchLines = 0;
        settle(true);
      } else {
        failure = { error: err };
        settle(false);
      }
    };
    const onClose = (): void => {
      // closed under us (the other end went away without an error being reported)
      if (!settled && !(upstreamDone && options.end)) settle(true);
    };

    const finishUp = (): void => {
      upstreamDone = true;
      flush();
      if (settled) return;
      if (options.end) {
        output.end(() => settle(false));
      } else if (pendingWrites === 0) {
        settle(false);
      }
    };

    output.on('error', onError);
    output.on('close', onClose);

    subscription = lines$.subscribe({
      next: (line) => {
        if (settled) return;
        // each line (or piece) is encoded straight into the batch buffer
        const need = maxBytes(line);
        if (batch !== undefined && used + need > batch.length) flush();
        batchLines++;
        batch ??= Buffer.allocUnsafeSlow(Math.max(batchSize, need));
        if (typeof line === 'string') used += utf8Write(batch, line, used);
        else for (let i = 0; i < line.length; i++) used += utf8Write(batch, line[i]!, used);
        batch[used++] = 10;
        if (used >= batchSize || used + 1024 >= batch.length) flush();
        else if (flushScheduled === undefined) flushScheduled = setImmediate(flush);
      },
      error: (err: unknown) => {
        failure = { error: err };
        finishUp();
      },
      complete: finishUp,
    });
    if (settled) subscription.unsubscribe();
  });
}

function swallowBrokenPipe(): void {
  // an output whose reader has gone: nothing to do, nothing to print
}
