/**
 * Free-standing event builders: the same as the {@link World} methods, found through the task's
 * world, so a test reads `fork(bash, { pid: 101 })`.
 *
 * @module
 */
import type { Envelope } from '../src/streams/types.js';
import { worldOf, type ExecOptions, type ExitOptions, type ForkOptions, type Spawned, type SyscallOptions, type Task } from './world.js';

/**
 * `sched_process_fork` by `forker`; see {@link World.fork}.
 * @example
 * ```ts
 * import { fork, world } from 'proctree-rx/marbles';
 * const bash = world().process({ pid: 100, comm: 'bash' });
 * const { event, child } = fork(bash, { pid: 101 });
 * ```
 */
export const fork = (forker: Task, opts?: ForkOptions): Spawned => worldOf(forker).fork(forker, opts);
/** `sched_process_exec`; see {@link World.exec}. */
export const exec = (task: Task, opts: ExecOptions): Envelope => worldOf(task).exec(task, opts);
/** `sched_process_exit`; see {@link World.exit}. */
export const exit = (task: Task, opts?: ExitOptions): Envelope => worldOf(task).exit(task, opts);
/** Any other event of a task (`openat`, `connect`, …); see {@link World.syscall}. */
export const syscall = (task: Task, name: string, opts?: SyscallOptions): Envelope => worldOf(task).syscall(task, name, opts);
/** `signal_sched_process_fork`; see {@link World.signalFork}. */
export const signalFork = (forker: Task, opts?: ForkOptions): Spawned => worldOf(forker).signalFork(forker, opts);
/** `signal_sched_process_exec`; see {@link World.signalExec}. */
export const signalExec = (task: Task, opts: ExecOptions): Envelope => worldOf(task).signalExec(task, opts);
/** `signal_sched_process_exit`; see {@link World.signalExit}. */
export const signalExit = (task: Task, opts?: ExitOptions): Envelope => worldOf(task).signalExit(task, opts);
