#!/usr/bin/env node
/**
 * The `proctree-rx` executable: wires the real process into {@link runCli}. Kept tiny; all
 * behaviour lives in `runCli.ts` (tested without spawning) and the runner in `commands.ts`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runCommand } from './commands.js';
import { runCli } from './runCli.js';
import { describeWriteError, isReaderGone } from './outputErrors.js';

/** After SIGINT/SIGTERM, the longest the process waits for the command to end (ms). */
const STOP_DEADLINE_MS = 950;

/** The same for `serve`, whose graceful stop checkpoints every host it holds and gives its partitions up. */
const SERVE_STOP_DEADLINE_MS = 15_000;

/** Settles when what was written to `stream` so far has been handed on (or the stream failed); at most 500 ms. */
const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.destroyed || stream.writableLength === 0) return resolve();
    const timer = setTimeout(resolve, 500);
    stream.write('', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** The version in the nearest package.json named proctree-rx above this file. */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'proctree-rx' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here; look further up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

// The heap's shape, chosen by measurement (README, Performance: peak RSS and CPU per setting).
// V8's defaults let the old generation grow to several times its live data between full
// collections; the live data here is bounded (the tree by count and program text, the reorder
// window by bytes), so that headroom is what decides the peak RSS. A 1.5× growth factor held the
// lifecycle file's enrich to 295 MB (default growth: 418–446 MB) for ~15 % more CPU. Only flags V8
// reads after start-up take effect here: `--max-semi-space-size` does not resize the running
// heap (it is fixed when the isolate starts; node 20's default is 16 MiB), it would only
// override the parser thread's smaller young generation (fromNdjsonFile), so it is not set.
// Flags the user gives node win; `PROCTREE_RX_V8_FLAGS` (e.g. "--heap-growing-percent=0" for
// speed over memory) is applied last (node refuses --heap-growing-percent in NODE_OPTIONS).
const userSet = (flag: string): boolean => process.execArgv.some((a) => a.startsWith(flag)) || (process.env['NODE_OPTIONS'] ?? '').includes(flag);
if (!userSet('--heap-growing-percent')) v8.setFlagsFromString('--heap-growing-percent=50');
for (const flag of (process.env['PROCTREE_RX_V8_FLAGS'] ?? '').split(/\s+/)) if (flag !== '') v8.setFlagsFromString(flag);

const controller = new AbortController();
let stdoutClosed = false;
/** A write error of stdout other than the reader leaving (ENOSPC, EIO, …). */
let outputError: unknown;
// `proctree-rx … | head`: the reader left. Not an error; stop reading and exit 0.
// Any other write error (a full disk: ENOSPC, EIO) stops the run too, and is reported once below.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (isReaderGone(err)) stdoutClosed = true;
  else outputError ??= err;
  controller.abort(err);
});
// stderr gone too: there is nowhere left to say anything
process.stderr.on('error', () => undefined);

// First Ctrl-C / SIGTERM asks the command to stop: it stops reading, writes the complete lines it
// has, prints its summary, and main exits (even when a FIFO read is still pending). A second one
// kills (`once`: with no listener left, Node restores the default action). Should the command not
// have ended after STOP_DEADLINE_MS, the process exits anyway.
let interruptedCode: number | undefined;
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
  process.once(signal, () => {
    interruptedCode = 128 + number;
    controller.abort(new Error(signal));
    setTimeout(() => {
      process.stderr.write(`proctree-rx: ${signal}: stopped before the run could finish\n`);
      process.exit(interruptedCode);
    }, process.argv[2] === 'serve' ? SERVE_STOP_DEADLINE_MS : STOP_DEADLINE_MS).unref();
  });
}

const code = await runCli(
  process.argv.slice(2),
  {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
    signal: controller.signal,
  },
  { runner: runCommand, version: packageVersion() },
);
// a write error of the last output is emitted after the command returned: let it arrive
await new Promise<void>((resolve) => setImmediate(resolve));
await flushed(process.stdout);
let exitCode = stdoutClosed ? 0 : (interruptedCode ?? code);
if (outputError !== undefined && !stdoutClosed) {
  // a command that wrote through writeNdjson has reported it and returned 1 already
  if (code === 0) process.stderr.write(`proctree-rx: ${describeWriteError(outputError, 'output')}\n`);
  if (interruptedCode === undefined) exitCode = 1;
}
process.exitCode = exitCode;
if (interruptedCode !== undefined || outputError !== undefined || stdoutClosed) {
  // A pending read (a FIFO whose writer is idle, stdin) would keep the process alive: exit once
  // what was written has been handed to the system.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(exitCode);
}
