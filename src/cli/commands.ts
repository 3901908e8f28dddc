/**
 * The seam between the command line and the pipelines: {@link CommandRunner}, and the real
 * runner {@link runCommand}.
 *
 * `main.ts` parses argv and hands every runnable command to {@link runCommand}; tests can pass
 * another runner to `runCli`.
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
 * The command runner `main.ts` uses: dispatches each command to its pipeline
 * (`runEnrich`, `runQuery`, `runTree`, `runSnapshot`, `runFindings`) and resolves to its exit code.
 *
 * @example
 * ```ts
 * import { runCommand } from './commands.js';
 * const code = await runCommand(command, io);
 * ```
 */
export const runCommand: CommandRunner = async (cmd, io) => {
  // loaded on demand: `--help` and usage errors never pay for the pipelines
  switch (cmd.kind) {
    case 'enrich':
      return (await import('./runEnrich.js')).runEnrich(cmd, io);
    case 'query':
      return (await import('./runQuery.js')).runQuery(cmd, io);
    case 'tree':
      return (await import('./runTree.js')).runTree(cmd, io);
    case 'snapshot':
      return (await import('./runSnapshot.js')).runSnapshot(cmd, io);
    case 'findings':
      return (await import('./runFindings.js')).runFindings(cmd, io);
  }
};
