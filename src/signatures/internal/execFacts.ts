/**
 * What built-in signatures read from an exec event, tolerant of missing arguments.
 *
 * @module
 */
import type { TraceeEvent } from '../../streams/types.js';

/** The exec arguments the built-ins use. */
export interface ExecFacts {
  /** `bprm->filename`: what was asked to run (the script for a `#!` script). */
  readonly cmdpath: string;
  /** The file really opened (the interpreter binary for a script). */
  readonly pathname: string;
  /** `bprm->interp`. */
  readonly interp: string;
  readonly argv: readonly string[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The exec facts of an event, or `undefined` when it is not an exec. */
export function execFacts(e: TraceeEvent): ExecFacts | undefined {
  if (e.eventName !== 'sched_process_exec' && e.eventName !== 'signal_sched_process_exec') return undefined;
  const m = new Map<string, unknown>();
  for (const a of e.args ?? []) m.set(a.name, a.value);
  const argv = m.get('argv');
  return {
    cmdpath: str(m.get('cmdpath')),
    pathname: str(m.get('pathname')),
    interp: str(m.get('interp')),
    argv: Array.isArray(argv) ? argv.filter((x): x is string => typeof x === 'string') : [],
  };
}

/** Last path component. */
export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The value of an argument by name. */
export function argValue(e: TraceeEvent, name: string): unknown {
  return e.args?.find((a) => a.name === name)?.value;
}
