/**
 * The seam between the command line and the pipelines: {@link CommandRunner}.
 *
 * `main.ts` parses argv and hands every runnable command to {@link runCommand}. The pipeline
 * wiring replaces the body of `runCommand` (or passes another runner to `runCli`); nothing else
 * in the CLI needs to change.
 *
 * @module
 */
import type { CliCommand } from './cliTypes.js';

/** The process's streams and surroundings, injected so commands run in tests without spawning. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Which of the three streams is a terminal (progress only on a TTY stderr). */
  readonly isTTY: { readonly stdin: boolean; readonly stdout: boolean; readonly stderr: boolean };
  /**
   * Aborted when the command should stop early: the reader of stdout went away (EPIPE, e.g.
   * `| head`; the exit code is then 0) or the process got SIGINT/SIGTERM. Stop reading input.
   */
  readonly signal: AbortSignal;
}

/**
 * Runs one parsed command; resolves to the process exit code (see `exitCodeFor`). Should
 * report its own errors on `io.stderr`; a rejection is printed by `runCli` and exits 1.
 */
export type CommandRunner = (cmd: CliCommand, io: CliIo) => Promise<number>;

/**
 * The command runner `main.ts` uses. **Not wired yet**: it says so on stderr and resolves to 1.
 *
 * @example
 * ```ts
 * import { runCommand } from './commands.js';
 * const code = await runCommand(command, io);
 * ```
 */
export const runCommand: CommandRunner = (cmd, io) => {
  io.stderr.write(`proctree-rx: ${cmd.kind} is not wired yet\n`);
  return Promise.resolve(1);
};
