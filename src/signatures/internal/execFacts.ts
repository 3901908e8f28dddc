/**
 * What built-in signatures read from an exec event, tolerant of missing or malformed arguments.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { execArgs } from '../../streams/lifecycleArgs.js';
import type { Envelope, TraceeEvent } from '../../streams/types.js';
import { eventArgs } from './eventArgs.js';

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
 * The exec facts of an event, or `undefined` when it is not an exec. Read with `execArgs`, the
 * same reader the tree uses (release-aware; on the parser thread for files, so nothing is parsed
 * twice). Never throws: a malformed argument reads as absent and is named in `problems`, as is an
 * exec naming no file at all.
 */
export function execFacts(env: Envelope): ExecFacts | undefined {
  const name = env.head?.eventName ?? env.event.eventName;
  if (name !== 'sched_process_exec' && name !== 'signal_sched_process_exec') return undefined;
  const parsed = execArgs(env);
  if (E.isLeft(parsed)) return { cmdpath: '', pathname: '', interp: '', argv: [], problems: [parsed.left] };
  const a = parsed.right;
  return { cmdpath: a.cmdpath, pathname: a.file.path, interp: a.interp, argv: a.argv ?? [], problems: a.notes ?? [] };
}

/** Last path component. */
export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The value of an argument by name (`undefined` when absent or when `args` is malformed). */
export function argValue(e: TraceeEvent, name: string): unknown {
  return eventArgs(e).values.get(name);
}
