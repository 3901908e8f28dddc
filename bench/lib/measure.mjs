/**
 * Shared bench helpers: best-of-N timing, human-readable figures, a synchronous /dev/null.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

/**
 * Runs `fn` `runs` times (collecting garbage between runs when --expose-gc is on) and returns the
 * fastest run: `{ seconds, result }` where `result` is what that run returned.
 * @template T
 * @param {() => Promise<T> | T} fn
 * @param {number} [runs]
 * @returns {Promise<{ seconds: number, result: T }>}
 */
export async function best(fn, runs = 3) {
  let fastest;
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const t0 = process.hrtime.bigint();
    const result = await fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (fastest === undefined || seconds < fastest.seconds) fastest = { seconds, result };
  }
  return fastest;
}

/** `212.4 k` for 212_400. */
export const kilo = (n) => `${(n / 1000).toFixed(1)} k`;

/** Throughput line: `label: 212.4 k events/s, 201.3 MB/s (0.94 s)`. */
export const rate = (label, events, bytes, seconds) =>
  `${label}: ${kilo(events / seconds)} events/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s (${seconds.toFixed(2)} s)`;

/**
 * /dev/null written synchronously, as `process.stdout` writes to a file or device (what the CLI
 * gets with `> /dev/null`). An fs.WriteStream would write through the thread pool with a 16 KiB
 * high-water mark, pausing the pipeline on every batch: a cost of the bench, not of enrich.
 */
export const devNull = () => {
  const fd = openSync('/dev/null', 'w');
  return new Writable({
    write(chunk, _encoding, callback) {
      writeSync(fd, chunk);
      callback();
    },
    final(callback) {
      closeSync(fd);
      callback();
    },
  });
};
