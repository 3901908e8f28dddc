import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { exec, exit, fork, syscall } from '../../marbles/events.js';
import { world } from '../../marbles/world.js';
import { hashTaskId } from '../../src/streams/entityId.js';
import { forkArgs } from '../../src/streams/lifecycleArgs.js';
import { parseEventLine } from '../../src/streams/parseEventLine.js';
import type { Envelope } from '../../src/streams/types.js';
import { processAt, threadAt } from '../../src/tree/queries.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';

const BOOT = 1_795_576_595_000_000_000n;

const build = (source: 'events' | 'signals' | 'both', envs: readonly Envelope[]): TreeBuilder => {
  const b = new TreeBuilder({ source });
  for (const e of envs) b.applyEnvelope(e);
  return b;
};

describe('world', () => {
  it('computes entity ids as Tracee does (spec §1.3 scenario)', () => {
    const w = world({ bootEpochNs: 1696266000000000000n });
    const parent = w.process({ pid: 1037801, startSinceBoot: 2540000123456n });
    const bash = w.process({ pid: 1037836, comm: 'bash', parent, startSinceBoot: 2543210987654n });
    const { event, child } = w.fork(bash, { pid: 1094692, at: 3602811296936n });
    expect(parent.entityId).toBe(171899740);
    expect(bash.entityId).toBe(4208207516);
    expect(child.entityId).toBe(8370164);
    expect(event.event).toMatchObject({ threadEntityId: 4208207516, processEntityId: 4208207516, parentEntityId: 171899740, hostParentProcessId: 1037801 });
    // printed fork: start_time epoch, parent_start_time since boot, threadStartTime exact
    expect(event.threadStartTime).toBe(1696268543210987654n);
    const args = forkArgs(event);
    expect(E.isRight(args) && args.right.child.startTime).toBe(1696269602811296936n);
    expect(E.isRight(args) && args.right.parent.startTime).toBe(2543210987654n);
  });

  it('makes raw lines that parse back to the same envelope', () => {
    const w = world();
    const sh = w.process({ pid: 10, comm: 'sh', exe: '/bin/sh' });
    const e = syscall(sh, 'openat', { args: { dirfd: -100, pathname: '/etc/passwd', flags: 'O_RDONLY' } });
    expect(e.raw).toBeDefined();
    const again = parseEventLine(e.raw!, e.origin, { seq: e.seq });
    expect(E.isRight(again) && again.right.timestamp).toBe(e.timestamp);
    expect(e.event).toMatchObject({ eventName: 'openat', eventId: '257', hostProcessId: 10, processName: 'sh', executable: { path: '/bin/sh' } });
  });

  it('fork → exec → exit builds the tree the events describe, under events, signals and both', () => {
    const w = world({ bootEpochNs: BOOT });
    const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
    const f = fork(bash, { pid: 101, at: 2_000_000_000n });
    const x = exec(f.child, { path: '/usr/bin/ls', argv: ['ls', '-la'], at: 2_100_000_000n });
    const open = syscall(f.child, 'openat', { at: 2_200_000_000n });
    const q = exit(f.child, { status: 3, at: 2_300_000_000n });
    const events = [f.event, x, open, q];
    const signals = [w.twin(f.event), w.twin(x), w.twin(q)];
    const both = [f.event, signals[0]!, x, signals[1]!, open, q, signals[2]!];
    const id = hashTaskId(101, 2_000_000_000n);
    expect(f.child.entityId).toBe(id);
    expect(open.event.processEntityId).toBe(id);
    for (const [source, envs] of [['events', events], ['signals', signals], ['both', both]] as const) {
      const tree = build(source, envs).tree;
      const mid = O.toUndefined(processAt(tree, id, BOOT + 2_150_000_000n));
      expect(mid).toMatchObject({ pid: 101, ppid: 100, parentEntityId: bash.entityId, isAlive: true, cmd: ['ls', '-la'] });
      expect(mid?.executionBinary.path).toBe('/usr/bin/ls');
      const end = O.toUndefined(processAt(tree, id, BOOT + 2_300_000_000n));
      expect(end).toMatchObject({ isAlive: false, exitCode: 3 << 8 });
      expect(O.isSome(threadAt(tree, id, BOOT + 2_150_000_000n))).toBe(true);
    }
  });

  it('threads share the process; a leader exit reparents children to init', () => {
    const w = world({ bootEpochNs: BOOT });
    const py = w.process({ pid: 200, comm: 'python3', exe: '/usr/bin/python3.11' });
    const th = w.fork(py, { thread: true, pid: 201 });
    expect(th.child).toMatchObject({ pid: 200, tid: 201, isThread: true });
    expect(th.child.leader).toBe(py);
    const kid = w.fork(th.child, { pid: 202 });
    expect(kid.child.parent).toBe(py);
    w.exit(py);
    expect(kid.child.parent).toBe(w.init);
    expect(kid.child.spawnParent).toBe(py);
    const after = w.syscall(kid.child, 'connect');
    expect(after.event).toMatchObject({ hostParentProcessId: 1, parentEntityId: w.init.entityId });
    const tree = build('events', [th.event, kid.event, after]).tree;
    const info = O.toUndefined(processAt(tree, kid.child.entityId, after.timestamp));
    expect(info).toMatchObject({ parentEntityId: w.init.entityId, spawnParentEntityId: py.entityId });
  });

  it('refuses an exec from a thread and twin() of a non-lifecycle envelope', () => {
    const w = world();
    const p = w.process({ pid: 300 });
    const t = w.fork(p, { thread: true }).child;
    expect(() => w.exec(t, { path: '/bin/true' })).toThrow(/thread/);
    expect(() => w.twin(w.syscall(p, 'openat'))).toThrow(/twin/);
  });
});
