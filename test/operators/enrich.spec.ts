import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createMarbleScheduler, world } from '../../marbles/index.js';
import { enrich, type EnrichedEnvelope } from '../../src/operators/enrich.js';
import type { Envelope } from '../../src/streams/types.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';

/** What a test looks at in an enriched event. */
const view = (e: EnrichedEnvelope) => ({
  name: e.event.eventName,
  pid: e.context.process?.pid,
  exe: e.context.process?.executionBinary.path,
  alive: e.context.process?.isAlive,
  exitCode: e.context.process?.exitCode,
  children: e.context.process === undefined ? undefined : [...e.context.process.childProcessesIds.keys()],
  ancestors: e.context.ancestors.map((a) => a.pid),
});
const viewOf = (o: Observable<EnrichedEnvelope>) => o.pipe(map(view));

function scenario() {
  const w = world();
  const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const f = w.fork(bash, { pid: 101 });
  const x = w.exec(f.child, { path: '/usr/bin/ls', argv: ['ls'] });
  const o = w.syscall(f.child, 'openat');
  const q = w.exit(f.child, { status: 2 });
  return { w, bash, child: f.child, values: { f: f.event, x, o, q } };
}

describe('enrich', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createMarbleScheduler();
  });

  it('completes an empty source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Envelope>('|');
      expectObservable(source.pipe(enrich())).toBe('|');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('stays silent on a source that never emits', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<Envelope>('-').pipe(enrich())).toBe('-');
    });
  });

  it('forwards an error after the events before it', () => {
    const { values } = scenario();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(viewOf(cold<Envelope>('-f-#', values).pipe(enrich())).pipe(map((v) => v.name))).toBe('-a-#', { a: 'sched_process_fork' });
    });
  });

  it('unsubscribes upstream on early unsubscribe', () => {
    const { values } = scenario();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Envelope>('-f-x-o-q-|', values);
      expectObservable(source.pipe(enrich(), map((e) => e.event.eventName)), '^--!').toBe('-a-', { a: 'sched_process_fork' });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('gives each event its context as of its own timestamp, the lifecycle change included (inclusive boundary)', () => {
    const { values } = scenario();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(viewOf(cold<Envelope>('-f-x-o-q-|', values).pipe(enrich()))).toBe('-F-X-O-Q-|', {
        // the fork's context is the forking task: bash, its new child already listed
        F: { name: 'sched_process_fork', pid: 100, exe: '', alive: true, exitCode: undefined, children: [101], ancestors: [1] },
        // the exec sees the new program at its own timestamp
        X: { name: 'sched_process_exec', pid: 101, exe: '/usr/bin/ls', alive: true, exitCode: undefined, children: [], ancestors: [100, 1] },
        O: { name: 'openat', pid: 101, exe: '/usr/bin/ls', alive: true, exitCode: undefined, children: [], ancestors: [100, 1] },
        // the exit sees the process exited, with its raw code
        Q: { name: 'sched_process_exit', pid: 101, exe: '/usr/bin/ls', alive: false, exitCode: 2 << 8, children: [], ancestors: [100, 1] },
      });
    });
  });

  it('keeps earlier contexts unchanged (each event holds its own tree version)', () => {
    const { values, child } = scenario();
    const out: EnrichedEnvelope[] = [];
    scheduler.run(({ cold }) => {
      cold<Envelope>('fxoq|', values).pipe(enrich()).subscribe((e) => out.push(e));
    });
    const [fork, exec, , exit] = out;
    expect(exec!.tree.version).toBeGreaterThan(fork!.tree.version);
    expect(exec!.context.process?.isAlive).toBe(true);
    expect(exit!.context.process?.isAlive).toBe(false);
    expect(exec!.context.thread).toMatchObject({ tid: 101, processEntityId: child.entityId, isAlive: true });
  });

  it('shares a given builder (one tree for enrichment and queries) and respects maxDepth', () => {
    const { values, child } = scenario();
    const builder = new TreeBuilder();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(viewOf(cold<Envelope>('fx|', values).pipe(enrich({ builder, maxDepth: 1 }))).pipe(map((v) => v.ancestors))).toBe('ab|', { a: [1], b: [100] });
    });
    expect(builder.tree.processes.size).toBeGreaterThan(0);
    expect(builder.dataSource().process({ entityId: child.entityId, time: values.x.timestamp })._tag).toBe('Some');
  });

  it('signals feed the tree but carry no task context', () => {
    const { w, values } = scenario();
    const sig = w.twin(values.f);
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(viewOf(cold<Envelope>('s|', { s: sig }).pipe(enrich({ source: 'signals' })))).toBe('v|', {
        v: { name: 'signal_sched_process_fork', pid: undefined, exe: undefined, alive: undefined, exitCode: undefined, children: undefined, ancestors: [] },
      });
    });
  });
});
