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

// Tree nodes live as long as the LRU keeps them, so most survive a default-sized young generation
// and are promoted, then die old. A larger one lets more of them die young (bench/tree: the
// builder +20-75 %). Only raises the cap; an explicit --max-semi-space-size from the user wins.
if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) && !(process.env['NODE_OPTIONS'] ?? '').includes('--max-semi-space-size')) {
  v8.setFlagsFromString('--max-semi-space-size=64');
}

const controller = new AbortController();
let stdoutClosed = false;
// `proctree-rx … | head`: the reader left. Not an error; stop reading and exit 0.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  stdoutClosed = true;
  controller.abort(err);
});
// First Ctrl-C / SIGTERM asks the command to stop (it flushes what it has); a second one kills
// (`once`: with no listener left, Node restores the default action).
let interruptedCode: number | undefined;
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
  process.once(signal, () => {
    interruptedCode = 128 + number;
    controller.abort(new Error(signal));
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
process.exitCode = stdoutClosed ? 0 : (interruptedCode ?? code);
