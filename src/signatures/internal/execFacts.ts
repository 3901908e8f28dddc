/**
 * What signatures read from an exec event: the facts of `execArgs` — the one reader of exec
 * arguments, release by release, that the tree's reducers use too (read ahead by the reader as
 * `preparsed`) — so a signature sees the exec the tree recorded; and what was malformed in the
 * line's arguments, for the signature's warnings.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { execArgs, type ExecArgs } from '../../streams/lifecycleArgs.js';
import { headOf, type Envelope } from '../../streams/types.js';
import { checkString, checkStrings, eventArgs } from './eventArgs.js';

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
 * The exec facts of an envelope, or `undefined` when it is not an exec. Never throws: a
 * malformed argument reads as absent (`''`, `[]`) and is named in `problems`, as is an exec
 * naming no file at all.
 *
 * @example
 * ```ts
 * const x = execFacts(e);
 * if (x !== undefined && x.pathname.startsWith('/tmp/')) report(x.argv);
 * ```
 */
export function execFacts(env: Envelope): ExecFacts | undefined {
  const name = headOf(env).eventName;
  if (name !== 'sched_process_exec' && name !== 'signal_sched_process_exec') return undefined;
  const problems = execArgProblems(env);
  // execArgs requires no argument (a missing one costs the fields it feeds): Left is not expected
  return E.match(
    (reason: string): ExecFacts => ({ cmdpath: '', pathname: '', interp: '', argv: [], problems: [...problems, reason] }),
    (a: ExecArgs): ExecFacts => ({ cmdpath: a.cmdpath, pathname: a.file.path, interp: a.interp, argv: a.argv ?? [], problems }),
  )(execArgs(env));
}

/** What is malformed in an exec line's arguments, in the words the signatures' warnings use. */
function execArgProblems(env: Envelope): string[] {
  const args = eventArgs(env.event);
  checkString(args, 'cmdpath');
  checkString(args, 'pathname');
  checkString(args, 'interp');
  checkStrings(args, 'argv');
  if (!args.values.has('pathname') && !args.values.has('cmdpath')) args.problems.push('arguments "pathname" and "cmdpath" are missing');
  return [...args.problems];
}

/** Last path component. */
export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
