/**
 * The kernel's ranges for the task ids and times proctree-rx uses: a value outside them cannot
 * come from a kernel, so the event is reported and never used.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { execArgs, exitArgs, forkArgs, type ForkTask } from './lifecycleArgs.js';
import { headOf, type Envelope, type Nanos } from './types.js';

/**
 * Linux's `PID_MAX_LIMIT` on 64-bit kernels (include/linux/threads.h: 4 × 1024 × 1024): the
 * largest value `/proc/sys/kernel/pid_max` can take. Pids and tids (host or namespace) are
 * allocated below `pid_max`, so every valid one is an integer from 0 to `PID_MAX_LIMIT - 1`.
 */
export const PID_MAX_LIMIT = 4_194_304;

/** One more than the largest u64: times (ns) are u64 in the kernel and in Tracee. */
export const U64_LIMIT: Nanos = 1n << 64n;

/** The task-id fields of an event's context (Tracee prints them at the top level). */
const HEAD_ID_FIELDS = ['processId', 'threadId', 'hostProcessId', 'hostThreadId', 'hostParentProcessId'] as const;

const FORK_TASKS = [
  ['parent_', 'parent'],
  ['child_', 'child'],
  ['up_parent_', 'upParent'],
  ['leader_', 'leader'],
] as const;

/** Why `value` is not a pid or tid, or `undefined` when it is one. */
export function pidProblem(value: unknown): string | undefined {
  if (typeof value !== 'number') return `is ${value === null ? 'null' : typeof value}, not a number`;
  if (!Number.isInteger(value)) return `is ${value}, not an integer`;
  if (value < 0 || value >= PID_MAX_LIMIT) return `is ${value}, outside the kernel's pid range 0..${PID_MAX_LIMIT - 1}`;
  return undefined;
}

/** Why `t` is not a time of the kernel (u64 ns), or `undefined`. */
export function timeProblem(t: Nanos): string | undefined {
  return t < 0n || t >= U64_LIMIT ? `is ${t}, outside the u64 range of kernel times (0..2^64-1 ns)` : undefined;
}

const forkTaskProblem = (task: ForkTask | undefined, prefix: string, startName: string): string | undefined => {
  if (task === undefined) return undefined;
  for (const [field, arg] of [
    ['tid', 'tid'],
    ['nsTid', 'ns_tid'],
    ['pid', 'pid'],
    ['nsPid', 'ns_pid'],
  ] as const) {
    const p = pidProblem(task[field]);
    if (p !== undefined) return `argument "${prefix}${arg}" ${p}`;
  }
  const t = timeProblem(task.startTime);
  return t === undefined ? undefined : `argument "${startName}" ${t}`;
};

/** Why a lifecycle event's typed arguments hold an impossible pid, tid or time, or `undefined`. */
function lifecycleProblem(env: Envelope): string | undefined {
  switch (headOf(env).eventName) {
    case 'sched_process_fork':
    case 'signal_sched_process_fork': {
      const args = forkArgs(env);
      if (E.isLeft(args)) return undefined; // unusable anyway: the tree reports why
      const a = args.right;
      for (const [prefix, key] of FORK_TASKS) {
        const p = forkTaskProblem(a[key], prefix, key === 'child' ? 'start_time' : `${prefix}start_time`);
        if (p !== undefined) return p;
      }
      const hook = a.hookTime === undefined ? undefined : timeProblem(a.hookTime);
      return hook === undefined ? undefined : `argument "timestamp" ${hook}`;
    }
    case 'sched_process_exec':
    case 'signal_sched_process_exec': {
      const args = execArgs(env);
      if (E.isLeft(args)) return undefined;
      const { file, interpreter, signal } = args.right;
      const checks: [string, Nanos | undefined][] = [
        ['ctime', file.ctime],
        ['interpreter_ctime', interpreter?.ctime],
        ['timestamp', signal?.hookTime],
      ];
      for (const [name, t] of checks) {
        const p = t === undefined ? undefined : timeProblem(t);
        if (p !== undefined) return `argument "${name}" ${p}`;
      }
      return undefined;
    }
    case 'sched_process_exit':
    case 'signal_sched_process_exit': {
      const args = exitArgs(env);
      const hook = E.isRight(args) && args.right.signal !== undefined ? timeProblem(args.right.signal.hookTime) : undefined;
      return hook === undefined ? undefined : `argument "timestamp" ${hook}`;
    }
    default:
      return undefined;
  }
}

/**
 * Why an event cannot come from a kernel — a pid or tid that is not an integer from 0 to
 * 4194303 ({@link PID_MAX_LIMIT}), a time outside 0..2^64-1 ns — or `undefined` when its ids
 * and times are in range. Checks the top-level task ids (when present: Tracee always prints
 * them, other producers may not), `timestamp` and `threadStartTime`, and the pids, tids and
 * times among a lifecycle event's arguments. Pure; never throws.
 *
 * @example
 * ```ts
 * import { kernelRangeProblem } from './kernelRanges.js';
 * kernelRangeProblem(env); // 'bad arguments: argument "child_pid" is 4294967296, outside the kernel\'s pid range 0..4194303'
 * ```
 */
export function kernelRangeProblem(env: Envelope): string | undefined {
  // the common case first, without building any message: plain reads of the five ids and the two times
  const h = headOf(env);
  if (
    isPidOrAbsent(h.processId) &&
    isPidOrAbsent(h.threadId) &&
    isPidOrAbsent(h.hostProcessId) &&
    isPidOrAbsent(h.hostThreadId) &&
    isPidOrAbsent(h.hostParentProcessId) &&
    env.timestamp >= 0n &&
    env.timestamp < U64_LIMIT &&
    env.threadStartTime >= 0n &&
    env.threadStartTime < U64_LIMIT &&
    !isLifecycle(h.eventName)
  ) {
    return undefined;
  }
  return describeProblem(env);
}

/** True for a pid or tid in range (0: the line printed none). */
const isPidOrAbsent = (v: number): boolean => v >= 0 && v < PID_MAX_LIMIT && Math.floor(v) === v;

/** The fork, exec and exit events and their signal twins (`sched_process_*`, `signal_sched_process_*`). */
const isLifecycle = (name: string): boolean => name.includes('sched_process_');

/** {@link kernelRangeProblem}'s slow path: which value is wrong, in words. */
function describeProblem(env: Envelope): string | undefined {
  const ts = timeProblem(env.timestamp) ?? timeProblem(env.threadStartTime);
  if (ts !== undefined) return `bad time: ${timeProblem(env.timestamp) === undefined ? '"threadStartTime"' : '"timestamp"'} ${ts}`;
  const head = headOf(env);
  for (const field of HEAD_ID_FIELDS) {
    const p = pidProblem(head[field]);
    if (p !== undefined) return `bad task id: "${field}" ${p}`;
  }
  const args = lifecycleProblem(env);
  return args === undefined ? undefined : `bad arguments: ${args}`;
}
