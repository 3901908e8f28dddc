/**
 * The parser thread of {@link fromNdjsonFile}: reads one file, splits and validates its lines
 * (`JSON.parse`, exact times: {@link parseEventLine}), and posts them to the main thread in
 * batches with their exact times and task-context fields. Started as a worker; not a library
 * entry point.
 *
 * Flow: the main thread hands out credits (one per batch it is ready for) through a shared
 * Int32Array; with none left this thread sleeps (`Atomics.wait`), so at most a few batches are
 * ever in flight whatever the file size. A stop flag in the same array ends it early.
 *
 * @module
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createEventReader, type FormatNotice } from './eventReader.js';
import { createEventLines } from './eventLines.js';
import { formatByName } from './traceeFormat.js';
import { EVENT_HEAD_KEYS, headOf, type InputIssue } from './types.js';
import { CREDITS, STOP, type ParseBatch, type ParseWorkerData, type ParseWorkerMessage, type StreamWord } from './parseProtocol.js';

const READ_BYTES = 1 << 20;
const LF = 0x0a;

function run(data: ParseWorkerData): void {
  const port = parentPort!;
  const control = new Int32Array(data.control);
  const post = (m: ParseWorkerMessage): void => port.postMessage(m);

  /** Waits for a credit; false when the main thread asked to stop. */
  const takeCredit = (): boolean => {
    for (;;) {
      if (Atomics.load(control, STOP) !== 0) return false;
      const c = Atomics.load(control, CREDITS);
      if (c > 0) {
        if (Atomics.compareExchange(control, CREDITS, c, c - 1) === c) return true;
        continue;
      }
      Atomics.wait(control, CREDITS, c, 1000);
    }
  };

  let notices: InputIssue[] = [];
  let formatNotice: FormatNotice | undefined;
  const reader = createEventReader({
    source: data.source,
    format: data.format === undefined ? undefined : formatByName(data.format),
    onIssue: (issue) => notices.push(issue),
    onFormat: (notice) => {
      formatNotice = notice;
    },
  });
  /** What the reader said since the last word (taken once). */
  const word = (): StreamWord => {
    const w = { candidates: reader.format.candidates, notices, formatNotice };
    notices = [];
    formatNotice = undefined;
    return w;
  };
  const fresh = (): ParseBatch => ({ kind: 'batch', texts: [], lines: [], ts: [], tst: [], heads: [], pre: [], reasons: [], word: { candidates: 0, notices: [], formatNotice: undefined } });
  let batch = fresh();
  /** Text held in `batch` (UTF-16 units): a batch of long lines is handed over early. */
  let batchChars = 0;
  let stopped = false;
  const flush = (): void => {
    if (batch.lines.length === 0 || stopped) return;
    if (!takeCredit()) {
      stopped = true;
      return;
    }
    post({ ...batch, word: word() });
    batch = fresh();
    batchChars = 0;
  };
  const full = (): boolean => batch.lines.length >= data.batchLines || batchChars >= data.batchChars;

  const splitter = createEventLines({
    reader,
    maxLineBytes: data.maxLineBytes,
    nextSeq: (line) => line - 1,
    onEvent: (env, text, line) => {
      const head = headOf(env);
      batch.texts.push(text);
      batchChars += text.length;
      batch.ts.push(env.timestamp);
      batch.tst.push(env.threadStartTime);
      for (const key of EVENT_HEAD_KEYS) batch.heads.push(head[key]);
      // a lifecycle event's arguments are read here, where the event is parsed anyway
      batch.pre.push(env.preparsed ?? null);
      batch.lines.push(line);
      if (full()) flush();
    },
    onRejected: (line, reason) => {
      batch.texts.push(null);
      batch.reasons.push(reason);
      batch.lines.push(line);
      if (full()) flush();
    },
    shouldStop: () => stopped,
  });

  const fd = openSync(data.path, 'r');
  try {
    // One read buffer, reused: only whole lines are pushed (the splitter then keeps no piece of
    // it), the unfinished last line moves to the front for the next read. A buffer with no
    // newline at all (a line longer than it) is pushed whole and replaced, as the splitter keeps it.
    let buf = Buffer.allocUnsafe(READ_BYTES);
    let carry = 0;
    while (!stopped) {
      const n = readSync(fd, buf, carry, buf.length - carry, null);
      if (n === 0) break;
      const end = carry + n;
      const lastLf = buf.lastIndexOf(LF, end - 1);
      if (lastLf < 0) {
        splitter.push(buf.subarray(0, end));
        buf = Buffer.allocUnsafe(READ_BYTES);
        carry = 0;
        continue;
      }
      splitter.push(buf.subarray(0, lastLf + 1));
      carry = end - (lastLf + 1);
      buf.copyWithin(0, lastLf + 1, end);
    }
    if (carry > 0 && !stopped) splitter.push(Buffer.from(buf.subarray(0, carry)));
    if (!stopped) {
      splitter.end();
      flush();
      post({ kind: 'end', lines: splitter.lines, word: word() });
    }
  } finally {
    closeSync(fd);
  }
}

const runReporting = (data: ParseWorkerData): void => {
  try {
    run(data);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    parentPort?.postMessage({ kind: 'error', message: e?.message ?? String(err), code: e?.code } satisfies ParseWorkerMessage);
  }
};

// started with its job, or started ahead of time (warmUpFileParser) and given its job later
if (workerData !== null && workerData !== undefined) runReporting(workerData as ParseWorkerData);
else parentPort?.once('message', (job: ParseWorkerData) => runReporting(job));
