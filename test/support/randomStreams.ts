/**
 * Random event streams for property tests (fast-check): forks, threads, execs, exits with
 * reparenting, pid reuse, late events, and each lifecycle event's signal twin on demand (for
 * `source=both`). Built with the marble kit's `world`.
 *
 * @module
 */
import fc from 'fast-check';
import type { Envelope } from '../../src/streams/types.js';
import { world, type Task, type WorldOptions } from '../../marbles/world.js';

/** What one step of a random run does. */
export type StepKind = 'fork' | 'thread' | 'exec' | 'exit' | 'groupExit' | 'syscall' | 'late' | 'reuse';

/** One step: its kind, which live task it picks, and whether a signal twin follows. */
export interface Step {
  readonly kind: StepKind;
  readonly pick: number;
  readonly twin: boolean;
}

/** Every kind once, forks twice (a tree grows). */
export const STEP_KINDS: readonly StepKind[] = ['fork', 'fork', 'thread', 'exec', 'exit', 'groupExit', 'syscall', 'late', 'reuse'];

/** Steps drawn from `kinds` (repeat a kind to weight it). */
export const stepArb = (kinds: readonly StepKind[] = STEP_KINDS): fc.Arbitrary<Step> =>
  fc.record({
    kind: fc.constantFrom<StepKind>(...kinds),
    pick: fc.nat({ max: 1000 }),
    twin: fc.boolean(),
  });

/**
 * The envelopes of a random run (each lifecycle event followed by its signal twin when `twin`;
 * late events 3 ms and more behind the newest one, line and envelope alike).
 */
export function streamOf(steps: readonly Step[], options: WorldOptions = {}): Envelope[] {
  const w = world(options);
  const shell = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const out: Envelope[] = [];
  const live = (): Task[] => w.allTasks.filter((t) => !t.exited && t.pid !== 1);
  const push = (e: Envelope, twin: boolean): void => {
    out.push(e);
    if (twin) out.push(w.twin(e));
  };
  let pid = 200;
  for (const s of steps) {
    const tasks = live();
    const task = tasks.length === 0 ? shell : tasks[s.pick % tasks.length]!;
    switch (s.kind) {
      case 'fork':
        if (!task.exited) push(w.fork(task.leader, { pid: pid += 7 }).event, s.twin);
        break;
      case 'reuse': {
        // the pid of an exited process taken again by a new one (the kernel never gives a live task's pid)
        const freed = w.allTasks.filter((t) => t.exited && !t.isThread && !tasks.some((l) => l.pid === t.pid));
        if (!task.exited && freed.length > 0) push(w.fork(task.leader, { pid: freed[s.pick % freed.length]!.pid }).event, s.twin);
        break;
      }
      case 'thread':
        if (!task.exited) push(w.fork(task, { thread: true, pid: pid += 7 }).event, s.twin);
        break;
      case 'exec':
        if (!task.exited && !task.isThread) push(w.exec(task, { path: ['/usr/bin/ls', '/usr/bin/curl', '/tmp/x'][s.pick % 3]! }), s.twin);
        break;
      case 'exit':
      case 'groupExit':
        if (!task.exited && task !== shell) push(w.exit(task, { groupExit: s.kind === 'groupExit', status: s.pick % 3 }), s.twin);
        break;
      case 'syscall':
        if (!task.exited) out.push(w.syscall(task, 'openat'));
        break;
      case 'late': {
        // an event stamped before the newest change (arrives late)
        const now = w.now;
        out.push(w.syscall(task, 'read', { at: now - 3_000_000n - BigInt(s.pick) * 1000n }));
        w.now = now;
        break;
      }
    }
  }
  return out;
}
