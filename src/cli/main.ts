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
