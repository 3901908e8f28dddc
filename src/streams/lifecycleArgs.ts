/**
 * Typed, exact accessors for the arguments of the lifecycle events
 * (`sched_process_fork|exec|exit`) and their signal twins (spec §1.2, decision 7).
 *
 * u64 arguments (times, inode, ctime) are returned as exact `bigint`s: read from the raw line
 * when `JSON.parse` could have rounded them. Missing or mistyped required arguments give a
 * `Left` with a reason; optional ones (the ELF interpreter) give `undefined`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { exactArgInteger, toNanos } from './exactNumbers.js';
import type { EntityId, Envelope, Nanos } from './types.js';

/** One task as the fork arguments describe it. */
export interface ForkTask {
  readonly tid: number;
  readonly nsTid: number;
  readonly pid: number;
  readonly nsPid: number;
  /** Start time exactly as printed (see {@link ForkArgs} for which clock). */
  readonly startTime: Nanos;
}

/**
 * Arguments of `sched_process_fork` / `signal_sched_process_fork`.
 *
 * Clocks: `parent.startTime`, `upParent.startTime`, `leader.startTime` are **ns since boot**;
 * `child.startTime` is **epoch ns** in a printed event and **ns since boot** in a signal.
 */
export interface ForkArgs {
  /** The task that called clone/fork (may be a non-leader thread). */
  readonly parent: ForkTask;
  readonly child: ForkTask;
  /** Group leader of the real parent of the child's leader; absent when Tracee stripped it. */
  readonly upParent: ForkTask | undefined;
  /** The child's thread-group leader; absent when Tracee stripped it. */
  readonly leader: ForkTask | undefined;
  /** Signals only: the hook's time, ns since boot. */
  readonly hookTime: Nanos | undefined;
}

/** A file as exec reports it. */
export interface FileArgs {
  readonly path: string;
  readonly dev: number;
  readonly inode: bigint;
  readonly ctime: Nanos;
  /** `inode_mode`; absent for the ELF interpreter. */
  readonly mode: number | undefined;
}

/** Hashes carried by exec/exit signals. */
export interface SignalHashes {
  readonly hookTime: Nanos;
  readonly taskHash: EntityId;
  readonly parentHash: EntityId;
  readonly leaderHash: EntityId;
}

/** Arguments of `sched_process_exec` / `signal_sched_process_exec`. */
export interface ExecArgs {
  readonly cmdpath: string;
  readonly file: FileArgs;
  /** The ELF interpreter (ld.so), when the loader recorded one. */
  readonly interpreter: FileArgs | undefined;
  /** `bprm->interp`: the binary really run (differs from the file for scripts). */
  readonly interp: string;
  readonly argv: readonly string[] | undefined;
  readonly env: readonly string[] | undefined;
  readonly stdinType: string | number | undefined;
  readonly stdinPath: string | undefined;
  readonly invokedFromKernel: boolean;
  readonly signal: SignalHashes | undefined;
}

/** Arguments of `sched_process_exit` / `signal_sched_process_exit`. */
export interface ExitArgs {
  /** Raw kernel exit code: `status << 8 | signal`. */
  readonly exitCode: number;
  readonly processGroupExit: boolean;
  readonly signal: SignalHashes | undefined;
}

/**
 * The typed arguments of a lifecycle event, read ahead of time (the file reader's parser thread
 * does it, where the event is parsed anyway) and carried on the envelope as `preparsed`;
 * {@link forkArgs}, {@link execArgs} and {@link exitArgs} return them instead of parsing the
 * event again.
 */
export type PreparsedArgs =
  | { readonly kind: 'fork'; readonly args: E.Either<string, ForkArgs> }
  | { readonly kind: 'exec'; readonly args: E.Either<string, ExecArgs> }
  | { readonly kind: 'exit'; readonly args: E.Either<string, ExitArgs> };

/** The typed arguments of a lifecycle event (by its name), or `undefined` for any other event. */
export function preparseArgs(env: Envelope): PreparsedArgs | undefined {
  switch (env.event.eventName) {
    case 'sched_process_fork':
    case 'signal_sched_process_fork':
      return { kind: 'fork', args: forkArgs(env) };
    case 'sched_process_exec':
    case 'signal_sched_process_exec':
      return { kind: 'exec', args: execArgs(env) };
    case 'sched_process_exit':
    case 'signal_sched_process_exit':
      return { kind: 'exit', args: exitArgs(env) };
    default:
      return undefined;
  }
}

type ArgMap = Map<string, unknown>;

const argMap = (env: Envelope): ArgMap => {
  const m: ArgMap = new Map();
  const args = env.event.args;
  if (Array.isArray(args)) for (const a of args) if (a && typeof a.name === 'string') m.set(a.name, a.value);
  return m;
};

class MissingArg extends Error {}

const num = (m: ArgMap, name: string): number => {
  const v = m.get(name);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new MissingArg(`argument "${name}" is ${v === undefined ? 'missing' : 'not a number'}`);
  return v;
};

const u64 = (env: Envelope, m: ArgMap, name: string): bigint => {
  const v = m.get(name);
  if (typeof v === 'number' && !Number.isSafeInteger(v) && env.raw !== undefined) {
    const exact = exactArgInteger(env.raw, name, v);
    if (exact !== undefined) return exact;
  }
  const n = toNanos(v);
  if (n === undefined) throw new MissingArg(`argument "${name}" is ${v === undefined ? 'missing' : 'not an integer'}`);
  return n;
};

const str = (m: ArgMap, name: string): string => {
  const v = m.get(name);
  if (typeof v !== 'string') throw new MissingArg(`argument "${name}" is ${v === undefined ? 'missing' : 'not a string'}`);
  return v;
};

const optStr = (m: ArgMap, name: string): string | undefined => {
  const v = m.get(name);
  return typeof v === 'string' ? v : undefined;
};

const strArray = (m: ArgMap, name: string): readonly string[] | undefined => {
  const v = m.get(name);
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
};

const attempt = <A>(f: () => A): E.Either<string, A> => {
  try {
    return E.right(f());
  } catch (err) {
    if (err instanceof MissingArg) return E.left(err.message);
    throw err;
  }
};

const forkTask = (env: Envelope, m: ArgMap, prefix: string, start: string): ForkTask => ({
  tid: num(m, `${prefix}tid`),
  nsTid: num(m, `${prefix}ns_tid`),
  pid: num(m, `${prefix}pid`),
  nsPid: num(m, `${prefix}ns_pid`),
  startTime: u64(env, m, start),
});

const optionalForkTask = (env: Envelope, m: ArgMap, prefix: string): ForkTask | undefined =>
  m.get(`${prefix}tid`) === undefined || m.get(`${prefix}tid`) === null ? undefined : forkTask(env, m, prefix, `${prefix}start_time`);

const signalHashes = (env: Envelope, m: ArgMap): SignalHashes | undefined =>
  m.has('task_hash')
    ? { hookTime: u64(env, m, 'timestamp'), taskHash: num(m, 'task_hash'), parentHash: num(m, 'parent_hash'), leaderHash: num(m, 'leader_hash') }
    : undefined;

/**
 * Reads the fork arguments of a `sched_process_fork` or `signal_sched_process_fork` envelope.
 * @example
 * ```ts
 * const args = forkArgs(envelope); // Right({ parent, child, upParent, leader, hookTime })
 * ```
 */
export function forkArgs(env: Envelope): E.Either<string, ForkArgs> {
  if (env.preparsed?.kind === 'fork') return env.preparsed.args;
  const m = argMap(env);
  return attempt(() => ({
    parent: forkTask(env, m, 'parent_', 'parent_start_time'),
    child: forkTask(env, m, 'child_', 'start_time'),
    upParent: optionalForkTask(env, m, 'up_parent_'),
    leader: optionalForkTask(env, m, 'leader_'),
    hookTime: m.has('timestamp') ? u64(env, m, 'timestamp') : undefined,
  }));
}

const fileArgs = (env: Envelope, m: ArgMap, prefix: string, pathName: string, withMode: boolean): FileArgs => ({
  path: str(m, pathName),
  dev: num(m, `${prefix}dev`),
  inode: u64(env, m, `${prefix}inode`),
  ctime: u64(env, m, `${prefix}ctime`),
  mode: withMode ? num(m, `${prefix}inode_mode`) : undefined,
});

/** Reads the exec arguments of a `sched_process_exec` or `signal_sched_process_exec` envelope. */
export function execArgs(env: Envelope): E.Either<string, ExecArgs> {
  if (env.preparsed?.kind === 'exec') return env.preparsed.args;
  const m = argMap(env);
  return attempt(() => {
    const interpPath = m.get('interpreter_pathname');
    const ifk = m.get('invoked_from_kernel');
    return {
      cmdpath: str(m, 'cmdpath'),
      file: fileArgs(env, m, '', 'pathname', true),
      interpreter:
        typeof interpPath === 'string' && interpPath !== '' ? fileArgs(env, m, 'interpreter_', 'interpreter_pathname', false) : undefined,
      interp: optStr(m, 'interp') ?? '',
      argv: strArray(m, 'argv'),
      env: strArray(m, 'env'),
      stdinType: ((v) => (typeof v === 'string' || typeof v === 'number' ? v : undefined))(m.get('stdin_type')),
      stdinPath: optStr(m, 'stdin_path'),
      invokedFromKernel: ifk === true || ifk === 1,
      signal: signalHashes(env, m),
    };
  });
}

/** Reads the exit arguments of a `sched_process_exit` or `signal_sched_process_exit` envelope. */
export function exitArgs(env: Envelope): E.Either<string, ExitArgs> {
  if (env.preparsed?.kind === 'exit') return env.preparsed.args;
  const m = argMap(env);
  return attempt(() => {
    const group = m.get('process_group_exit');
    if (typeof group !== 'boolean') throw new MissingArg(`argument "process_group_exit" is ${group === undefined ? 'missing' : 'not a boolean'}`);
    return { exitCode: num(m, 'exit_code'), processGroupExit: group, signal: signalHashes(env, m) };
  });
}

/** Decodes a raw kernel exit code (`status << 8 | signal`). */
export function decodeExitCode(raw: number): { readonly status: number; readonly signal: number; readonly coreDumped: boolean } {
  return { status: (raw >> 8) & 0xff, signal: raw & 0x7f, coreDumped: (raw & 0x80) !== 0 };
}
