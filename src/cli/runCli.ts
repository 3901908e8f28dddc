/**
 * The whole command-line front end, minus the process: argv → help, version, usage error, or
 * a command handed to a {@link CommandRunner}.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { CliIo, CommandRunner } from './commands.js';
import { ExitCode } from './exitCodeFor.js';
import { helpText } from './help.js';
import { parseCommandLine } from './parseCommandLine.js';

/** What {@link runCli} needs besides argv and the streams. */
export interface RunCliOptions {
  /** Runs parsed commands (`runCommand` from `commands.ts` in the real CLI). */
  readonly runner: CommandRunner;
  /** The package version, printed by `--version`. */
  readonly version: string;
}

/**
 * Runs `proctree-rx` with `argv` (without `node` and the script) against injected streams and
 * resolves to the exit code; never touches `process`.
 *
 * - help (`-h`, `--help`, `help [TOPIC]`, `--proctree help`) → stdout, 0;
 * - `--version` → `proctree-rx <version>` on stdout, 0;
 * - usage error → `proctree-rx: <message>` and a pointer to the help on stderr, 2;
 * - a command → its `--proctree` warnings on stderr (unless `--quiet`), a note when events would
 *   be read from a terminal, then the runner's exit code; a rejected runner prints
 *   `proctree-rx: <message>` and gives 1.
 *
 * @example
 * ```ts
 * import { runCli } from './runCli.js';
 * process.exitCode = await runCli(process.argv.slice(2), io, { runner: runCommand, version: '0.1.0' });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo, options: RunCliOptions): Promise<number> {
  // the fleet's commands share none of the event commands' options: parsed on their own
  if (argv[0] === 'publish' || argv[0] === 'serve') return (await import('../fleet/fleetCli.js')).runFleetCli(argv, io);
  const parsed = parseCommandLine(argv);
  if (E.isLeft(parsed)) {
    const { message, command } = parsed.left;
    io.stderr.write(`proctree-rx: ${message}\nTry 'proctree-rx${command === undefined ? '' : ` ${command}`} --help' for more information.\n`);
    return ExitCode.usage;
  }
  const request = parsed.right;
  if (request.kind === 'help') {
    io.stdout.write(helpText(request.topic) + '\n');
    return ExitCode.ok;
  }
  if (request.kind === 'version') {
    io.stdout.write(`proctree-rx ${options.version}\n`);
    return ExitCode.ok;
  }
  if (!request.quiet) {
    for (const warning of request.proctree.warnings) io.stderr.write(`proctree-rx: warning: ${warning}\n`);
    const readsTerminal = io.isTTY.stdin && (request.inputs.includes('-') || request.signals === '-');
    if (readsTerminal) {
      io.stderr.write('proctree-rx: reading events from the terminal; pipe `tracee --output json` in or give a FILE (Ctrl-D ends)\n');
    }
  }
  try {
    return await options.runner(request, io);
  } catch (err) {
    io.stderr.write(`proctree-rx: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.failure;
  }
}
