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
import { exactArgInteger } from './exactNumbers.js';
import { argsByName, type ArgsByName } from './argsOf.js';
import { readTime, type ArgTime } from './timeArg.js';
import { headOf, type EntityId, type Envelope, type Nanos } from './types.js';

/** One task as the fork arguments describe it. */
export interface ForkTask {
  readonly tid: number;
  readonly nsTid: number;
  readonly pid: number;
  readonly nsPid: number;
  /**
   * Start time as printed, when it was an integer (see {@link ForkArgs} for which clock); an
   * RFC3339 time (v0.24) gives its epoch ns. 0n when absent. Prefer {@link ForkTask.start}.
   */
  readonly startTime: Nanos;
  /** The start time with its clock, read from its own encoding; `undefined` when not sent. */
  readonly start?: ArgTime | undefined;
}

/**
 * Arguments of `sched_process_fork` / `signal_sched_process_fork`, read by name in every
 * release's layout (tracee-versions.md §1.1).
 *
 * Clocks differ by release: each time's {@link ForkTask.start} says which it is on. At the seed,
 * `parent.startTime`, `upParent.startTime`, `leader.startTime` are ns since boot and
 * `child.startTime` is epoch ns in a printed event, ns since boot in a signal.
 */
export interface ForkArgs {
  /** The task that called clone/fork (may be a non-leader thread). */
  readonly parent: ForkTask;
  readonly child: ForkTask;
  /**
   * Group leader of the real parent of the child's leader (`up_parent_*` up to v0.21,
   * `parent_process_*` from v0.22); absent when Tracee stripped it or did not send it.
   */
  readonly upParent: ForkTask | undefined;
  /** The child's thread-group leader; absent when Tracee stripped it or did not send it. */
  readonly leader: ForkTask | undefined;
  /** Signals only: the hook's time, ns since boot. */
  readonly hookTime: Nanos | undefined;
  /** Arguments that were missing or malformed and cost only the fields they feed. */
  readonly notes?: readonly string[];
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

/** A task as a v0.23+ exec/exit signal names it: host tid and start time (ids are computed). */
export interface SignalTask {
  readonly hostTid: number;
  readonly start: ArgTime | undefined;
}

/** The tasks a v0.23+ exec/exit signal carries instead of hashes (tracee-versions.md §1.5). */
export interface SignalTasks {
  readonly hookTime: Nanos;
  readonly task: SignalTask;
  readonly parent: SignalTask | undefined;
  readonly leader: SignalTask | undefined;
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
  /** Signals up to v0.22: the hashes they carry. */
  readonly signal: SignalHashes | undefined;
  /** Signals from v0.23: the tasks they name (hashes are computed with the release's rule). */
  readonly signalTasks?: SignalTasks | undefined;
  /** Arguments that were missing or malformed and cost only the fields they feed. */
  readonly notes?: readonly string[];
}

/** Arguments of `sched_process_exit` / `signal_sched_process_exit`. */
export interface ExitArgs {
  /**
   * The kernel's raw wait status, `status << 8 | signal`, whatever the release printed: up to
   * v0.22.6 `exit_code` is that raw value; from v0.23 it is the real status, with the signal in
   * `signal_code`, and is re-encoded here (see {@link decodeExitCode}). `undefined` when
   * `exit_code` is missing or malformed.
   */
  readonly exitCode: number | undefined;
  readonly processGroupExit: boolean;
  /** Signals up to v0.22: the hashes they carry. */
  readonly signal: SignalHashes | undefined;
  /** Signals from v0.23: the task they name. */
  readonly signalTasks?: SignalTasks | undefined;
  /** Arguments that were missing or malformed and cost only the fields they feed. */
  readonly notes?: readonly string[];
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
  switch (headOf(env).eventName) {
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


/** A required argument is missing or malformed: the event cannot be used. */
class MissingArg extends Error {}

/**
 * Reads one event's arguments by name (order and extras ignored, `argsNum` never read), in
 * every spelling of "absent" (missing, `null`, `0`, `""`, `[]`, 1970). Optional arguments that
 * are missing or malformed become a note and a default; required ones throw {@link MissingArg}.
 */
class ArgReader {
  readonly notes: string[] = [];
  private readonly m: ArgsByName;

  constructor(private readonly env: Envelope) {
    this.m = argsByName(env.event.args);
  }

  has(name: string): boolean {
    return this.m.has(name);
  }

  raw(name: string): unknown {
    return this.m.get(name);
  }

  private problem(name: string, v: unknown, expected: string, required: boolean): void {
    const reason = `argument "${name}" is ${v === undefined ? 'missing' : `not ${expected}`}`;
    if (required) throw new MissingArg(reason);
    this.notes.push(reason);
  }

  /** An integer; `null` reads as 0 (an unsent arg). */
  int(name: string, required: boolean, noteMissing = true): number {
    const v = this.m.get(name);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
    if (v === null || (v === undefined && !noteMissing && !required)) return 0;
    this.problem(name, v, 'a number', required);
    return 0;
  }

  /** An unsigned 64-bit integer, exact (digits read from the raw line when JSON.parse rounded them). */
  u64(name: string, required: boolean): bigint {
    const v = this.m.get(name);
    if (typeof v === 'number' && Number.isInteger(v)) {
      if (Number.isSafeInteger(v)) return BigInt(v);
      const exact = this.env.raw === undefined ? undefined : exactArgInteger(this.env.raw, name, v);
      return exact ?? BigInt(v);
    }
    if (typeof v === 'bigint') return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
    if (v === null) return 0n;
    this.problem(name, v, 'an integer', required);
    return 0n;
  }

  /** A time in any encoding, with its clock; `undefined` when not sent. */
  time(name: string, required: boolean, noteMissing = true): ArgTime | undefined {
    const v = this.m.get(name);
    let exact: bigint | undefined;
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) && this.env.raw !== undefined) exact = exactArgInteger(this.env.raw, name, v);
    const t = readTime(v, exact);
    if (t === 'malformed') {
      this.problem(name, v, 'a time', required);
      return undefined;
    }
    if (t === 'absent') {
      if (required) throw new MissingArg(`argument "${name}" is ${v === undefined ? 'missing' : 'zero'}`);
      if (v === undefined && noteMissing) this.notes.push(`argument "${name}" is missing`);
      return undefined;
    }
    return t;
  }

  str(name: string, required: boolean, noteMissing = true): string {
    const v = this.m.get(name);
    if (typeof v === 'string') return v;
    if (v === null || (v === undefined && !noteMissing && !required)) return '';
    this.problem(name, v, 'a string', required);
    return '';
  }

  strArray(name: string): readonly string[] | undefined {
    const v = this.m.get(name);
    if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? (v) : undefined;
    // main's empty str_array is {}
    return v !== null && typeof v === 'object' && Object.keys(v).length === 0 ? [] : undefined;
  }

  bool(name: string, required: boolean): boolean {
    const v = this.m.get(name);
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    if (v === null) return false;
    this.problem(name, v, 'a boolean', required);
    return false;
  }
}

const attempt = <A>(f: () => A): E.Either<string, A> => {
  try {
    return E.right(f());
  } catch (err) {
    if (err instanceof MissingArg) return E.left(err.message);
    throw err;
  }
};

const withNotes = <A extends object>(a: A, notes: readonly string[]): A => (notes.length > 0 ? { ...a, notes } : a);

/** A start of exactly 0 of a named task is a task started at boot (signals, synthetic streams), not "absent". */
const BOOT_ZERO: ArgTime = { ns: 0n, clock: 'boot' };

const forkTask = (r: ArgReader, prefix: string, start: string, required: boolean): ForkTask => {
  const tid = r.int(`${prefix}tid`, required);
  const v = r.raw(start);
  const t = r.time(start, false, required) ?? (tid !== 0 && (v === 0 || v === '0') ? BOOT_ZERO : undefined);
  return {
    tid,
    nsTid: r.int(`${prefix}ns_tid`, false),
    pid: r.int(`${prefix}pid`, required),
    nsPid: r.int(`${prefix}ns_pid`, false),
    startTime: t?.ns ?? 0n,
    start: t,
  };
};

/** A task named by optional args: absent when not sent (missing, null, tid 0). */
const optionalForkTask = (r: ArgReader, prefixes: readonly string[]): ForkTask | undefined => {
  for (const prefix of prefixes) {
    const tid = r.raw(`${prefix}tid`);
    if (tid === undefined) continue;
    if (tid === null || tid === 0 || tid === '0') return undefined;
    return forkTask(r, prefix, `${prefix}start_time`, false);
  }
  return undefined;
};

const signalHashes = (r: ArgReader): SignalHashes | undefined =>
  r.has('task_hash')
    ? { hookTime: r.u64('timestamp', true), taskHash: r.int('task_hash', true), parentHash: r.int('parent_hash', false), leaderHash: r.int('leader_hash', false) }
    : undefined;

const signalTask = (r: ArgReader, which: string): SignalTask | undefined => {
  const pid = r.int(`${which}_pid`, false, false);
  return pid === 0 ? undefined : { hostTid: pid, start: r.time(`${which}_start_time`, false) };
};

const signalTasks = (r: ArgReader): SignalTasks | undefined => {
  if (!r.has('task_start_time')) return undefined;
  const task = { hostTid: r.int('task_pid', true), start: r.time('task_start_time', true) };
  return { hookTime: r.u64('timestamp', true), task, parent: signalTask(r, 'parent'), leader: signalTask(r, 'leader') };
};

/**
 * Reads the fork arguments of a `sched_process_fork` or `signal_sched_process_fork` envelope.
 * Required: the child's and the forking task's tid and pid, and the child's start time.
 * @example
 * ```ts
 * const args = forkArgs(envelope); // Right({ parent, child, upParent, leader, hookTime })
 * ```
 */
export function forkArgs(env: Envelope): E.Either<string, ForkArgs> {
  if (env.preparsed?.kind === 'fork') return env.preparsed.args;
  const r = new ArgReader(env);
  return attempt(() => {
    // parent_start_time is not printed before v0.18: its absence is the format, not a problem
    const parent = forkTask(r, 'parent_', 'parent_start_time', false);
    const child = forkTask(r, 'child_', 'start_time', false);
    if (child.start === undefined) throw new MissingArg(`argument "start_time" is ${r.has('start_time') ? 'zero or malformed' : 'missing'}`);
    if (!child.tid || !child.pid) throw new MissingArg('arguments "child_tid" / "child_pid" are missing or zero');
    const args: ForkArgs = {
      parent,
      child,
      upParent: optionalForkTask(r, ['up_parent_', 'parent_process_']),
      leader: optionalForkTask(r, ['leader_']),
      hookTime: r.has('timestamp') ? r.u64('timestamp', true) : undefined,
    };
    return withNotes(args, r.notes);
  });
}

const fileArgs = (r: ArgReader, prefix: string, pathName: string, withMode: boolean): FileArgs => ({
  path: r.str(pathName, false),
  dev: r.int(`${prefix}dev`, false),
  inode: r.u64(`${prefix}inode`, false),
  ctime: r.u64(`${prefix}ctime`, false),
  mode: withMode ? r.int(`${prefix}inode_mode`, false) : undefined,
});

/**
 * Reads the exec arguments of a `sched_process_exec` or `signal_sched_process_exec` envelope.
 * Nothing is required: a missing or malformed argument costs the fields it feeds (noted).
 * @example
 * ```ts
 * import { execArgs, isRight } from 'proctree-rx';
 * const args = execArgs(envelope);
 * if (isRight(args)) console.log(args.right.file.path, args.right.argv);
 * ```
 */
export function execArgs(env: Envelope): E.Either<string, ExecArgs> {
  if (env.preparsed?.kind === 'exec') return env.preparsed.args;
  const r = new ArgReader(env);
  return attempt(() => {
    const interpPath = r.raw('interpreter_pathname');
    const stdinType = r.raw('stdin_type');
    const args: ExecArgs = {
      cmdpath: r.str('cmdpath', false),
      file: fileArgs(r, '', 'pathname', true),
      interpreter: typeof interpPath === 'string' && interpPath !== '' ? fileArgs(r, 'interpreter_', 'interpreter_pathname', false) : undefined,
      interp: r.str('interp', false, false),
      argv: r.strArray('argv'),
      env: r.strArray('env'),
      stdinType: typeof stdinType === 'string' || typeof stdinType === 'number' ? stdinType : undefined,
      stdinPath: ((v) => (typeof v === 'string' ? v : undefined))(r.raw('stdin_path')),
      invokedFromKernel: ((v) => v === true || v === 1)(r.raw('invoked_from_kernel')),
      signal: signalHashes(r),
      signalTasks: signalTasks(r),
    };
    return withNotes(args, r.notes);
  });
}

/**
 * Reads the exit arguments of a `sched_process_exit` or `signal_sched_process_exit` envelope.
 * `exitCode` is always the raw wait status (see {@link ExitArgs.exitCode}).
 * @example
 * ```ts
 * import { exitArgs, isRight } from 'proctree-rx';
 * const args = exitArgs(envelope);
 * if (isRight(args)) console.log(args.right.exitCode);
 * ```
 */
export function exitArgs(env: Envelope): E.Either<string, ExitArgs> {
  if (env.preparsed?.kind === 'exit') return env.preparsed.args;
  const r = new ArgReader(env);
  return attempt(() => {
    const code = r.raw('exit_code');
    const status = typeof code === 'number' && Number.isInteger(code) ? code : typeof code === 'string' && /^-?\d+$/.test(code) ? Number(code) : undefined;
    if (status === undefined) r.notes.push(`argument "exit_code" is ${code === undefined ? 'missing' : 'not an integer'}`);
    // v0.23+: the real status, and the signal apart (always printed, 0 when not signalled)
    const exitCode = status === undefined ? undefined : r.has('signal_code') ? encodeWaitStatus(status, r.int('signal_code', false)) : status;
    const args: ExitArgs = {
      exitCode,
      processGroupExit: r.bool('process_group_exit', false),
      signal: signalHashes(r),
      signalTasks: signalTasks(r),
    };
    return withNotes(args, r.notes);
  });
}

/** The raw wait status of an exit status and a terminating signal (0 when none). */
export const encodeWaitStatus = (status: number, signal: number): number => (signal & 0x7f ? signal & 0x7f : (status & 0xff) << 8);

/** Decodes a raw kernel exit code (`status << 8 | signal`). */
export function decodeExitCode(raw: number): { readonly status: number; readonly signal: number; readonly coreDumped: boolean } {
  return { status: (raw >> 8) & 0xff, signal: raw & 0x7f, coreDumped: (raw & 0x80) !== 0 };
}
