/**
 * Opening inputs by name: `-` for stdin, else a file or FIFO (`fromNdjson` reads them).
 *
 * @module
 */
import { close, constants, createReadStream, open, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { InputError, inputErrorOf, reasonOfCode } from './InputError.js';

export { InputError } from './InputError.js';

/** Read size for files and FIFOs: larger than Node's 64 KiB default, fewer callbacks per MB. */
const READ_CHUNK_BYTES = 256 * 1024;

const describe = (path: string, err: unknown): InputError => inputErrorOf(path, err);

/** The source name `fromNdjson` gives an input path: `<stdin>` for `-`, else the path. */
export const sourceName = (path: string): string => (path === '-' ? '<stdin>' : path);

/**
 * Opens an input by name: `-` is `process.stdin`, anything else a file (or FIFO) read stream.
 *
 * A missing or unreadable file throws at once an {@link InputError} such as
 * `cannot read events.ndjson: no such file`; errors found later (while opening a FIFO, reading)
 * are emitted by the stream as the same kind of error.
 *
 * @throws InputError when the path does not exist, is a directory or cannot be reached.
 * @example
 * ```ts
 * import { openInput } from './openInput.js';
 * openInput('capture.ndjson').pipe(process.stdout);
 * ```
 */
export function openInput(path: string): Readable {
  if (path === '-') return process.stdin;
  let isDirectory = false;
  let isFifo = false;
  try {
    const st = statSync(path);
    isDirectory = st.isDirectory();
    isFifo = st.isFIFO();
  } catch (err) {
    throw describe(path, err);
  }
  if (isDirectory) throw new InputError(`cannot read ${path}: ${reasonOfCode('EISDIR') ?? 'is a directory'}`, 'EISDIR');
  if (isFifo) return openFifo(path);
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  // later errors (EACCES at open, EIO, …) reach listeners in the same words
  stream.prependListener('error', (err: NodeJS.ErrnoException) => {
    const clear = describe(path, err);
    err.message = clear.message;
  });
  return stream;
}

/**
 * A FIFO (named pipe) as a Readable that never ties up a thread-pool thread: it is opened in the
 * background (an open for reading waits for a writer), then read through a pipe handle on the
 * event loop (`net.Socket`, non-blocking). A plain `fs` read stream would leave a blocking read
 * pending on a FIFO whose writer is idle, and the process could not exit until the writer wrote
 * or closed (Node waits for its thread pool at exit). Destroying the stream ends it at once: a
 * pending open is released by opening the FIFO for writing for a moment.
 *
 * @example
 * ```ts
 * import { openFifo } from './openInput.js';
 * fromNdjson(openFifo('/run/tracee.fifo'), { source: '/run/tracee.fifo' });
 * ```
 */
export function openFifo(path: string): Readable {
  const out = new PassThrough({ highWaterMark: READ_CHUNK_BYTES });
  let socket: Socket | undefined;
  let gone = false;
  open(path, constants.O_RDONLY, (err, fd) => {
    if (err !== null) {
      if (!gone) out.destroy(describe(path, err));
      return;
    }
    if (gone) {
      close(fd, () => undefined);
      return;
    }
    socket = new Socket({ fd, readable: true, writable: false });
    socket.on('error', (e) => out.destroy(describe(path, e)));
    socket.pipe(out);
  });
  out.on('close', () => {
    gone = true;
    if (socket !== undefined) socket.destroy();
    else releasePendingOpen(path);
  });
  return out;
}

/** Wakes an open-for-reading of the FIFO `path` that waits for a writer (opens and closes it for writing, non-blocking). */
function releasePendingOpen(path: string): void {
  open(path, constants.O_WRONLY | constants.O_NONBLOCK, (err, fd) => {
    if (err === null) close(fd, () => undefined);
  });
}
