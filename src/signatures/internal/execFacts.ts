/**
 * What built-in signatures read from an exec event, tolerant of missing or malformed arguments.
 *
 * @module
 */
import type { TraceeEvent } from '../../streams/types.js';
import { eventArgs, stringArg, stringsArg } from './eventArgs.js';

/** The exec arguments the built-ins use. */
export interface ExecFacts {
  /** `bprm->filename`: what was asked to run (the script for a `#!` script). */
  readonly cmdpath: string;
  /** The file really opened (the interpreter binary for a script). */
  readonly pathname: string;
  /** `bprm->interp`. */
  readonly interp: string;
  readonly argv: readonly string[];
  /** What was malformed (those arguments read as absent); empty for a well-formed exec. */
  readonly problems: readonly string[];
}

/**
 * The exec facts of an event, or `undefined` when it is not an exec. Never throws: a malformed
 * argument reads as absent and is named in `problems`, as is an exec naming no file at all.
 */
export function execFacts(e: TraceeEvent): ExecFacts | undefined {
  if (e.eventName !== 'sched_process_exec' && e.eventName !== 'signal_sched_process_exec') return undefined;
  const args = eventArgs(e);
  const facts = {
    cmdpath: stringArg(args, 'cmdpath'),
    pathname: stringArg(args, 'pathname'),
    interp: stringArg(args, 'interp'),
    argv: stringsArg(args, 'argv'),
  };
  if (!args.values.has('pathname') && !args.values.has('cmdpath')) args.problems.push('arguments "pathname" and "cmdpath" are missing');
  return { ...facts, problems: args.problems };
}

/** Last path component. */
export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The value of an argument by name (`undefined` when absent or when `args` is malformed). */
export function argValue(e: TraceeEvent, name: string): unknown {
  return eventArgs(e).values.get(name);
}
