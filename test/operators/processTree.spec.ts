import * as O from 'fp-ts/lib/Option.js';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createMarbleScheduler, world } from '../../marbles/index.js';
import { processTree } from '../../src/operators/processTree.js';
import type { Envelope } from '../../src/streams/types.js';
import type { ProcessTree } from '../../src/tree/model.js';
import { processAt } from '../../src/tree/queries.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';

function scenario() {
  const w = world();
  const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const f = w.fork(bash, { pid: 101 });
  const x = w.exec(f.child, { path: '/usr/bin/ls' });
  const q = w.exit(f.child);
  return { w, child: f.child, values: { f: f.event, x, q, s: w.twin(f.event), t: w.twin(x), u: w.twin(q) } };
}

describe('processTree', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createMarbleScheduler();
  });

  it('completes an empty source without emitting', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Envelope>('|');
      expectObservable(source.pipe(processTree())).toBe('|');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('stays silent on a source that never emits', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<Envelope>('-').pipe(processTree())).toBe('-');
    });
  });

  it('forwards errors', () => {
    const { values } = scenario();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<Envelope>('f#', values).pipe(processTree(), map((t) => t.version > 0))).toBe('a#', { a: true });
    });
  });

  it('unsubscribes upstream on early unsubscribe', () => {
    const { values } = scenario();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Envelope>('-f-x-q-|', values);
      expectObservable(source.pipe(processTree(), map(() => 'v')), '^--!').toBe('-v-', { v: 'v' });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('emits one new version per effective change, none for an event that changes nothing', () => {
    const { values, w, child } = scenario();
    const noop = w.syscall(child, 'openat', { at: values.q.timestamp - w.bootEpochNs + 1n }); // after exit: context only, nothing new
    const trees: ProcessTree[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const out$ = cold<Envelope>('f-x-q-n-|', { ...values, n: noop }).pipe(processTree());
      out$.subscribe((t) => trees.push(t));
      expectObservable(out$.pipe(map(() => 'v'))).toBe('v-v-v---|', { v: 'v' });
    });
    expect(trees).toHaveLength(3);
    expect(trees[0]!.version).toBeLessThan(trees[1]!.version);
    expect(trees[1]!.version).toBeLessThan(trees[2]!.version);
    // persistence: an older version still answers as before
    const [afterFork, afterExec, afterExit] = trees;
    expect(O.toUndefined(processAt(afterFork!, child.entityId, values.q.timestamp))?.executionBinary.path).toBe('');
    expect(O.toUndefined(processAt(afterExec!, child.entityId, values.q.timestamp))).toMatchObject({ isAlive: true, executionBinary: { path: '/usr/bin/ls' } });
    expect(O.toUndefined(processAt(afterExit!, child.entityId, values.q.timestamp))?.isAlive).toBe(false);
  });

  it('under source=both applies each change once (the signal twin adds no version)', () => {
    const { values } = scenario();
    const versions = (input: string, source: 'events' | 'both'): number[] => {
      const out: number[] = [];
      createMarbleScheduler().run(({ cold, expectObservable }) => {
        const trees$ = cold<Envelope>(input, values).pipe(processTree({ source }));
        trees$.subscribe((t) => out.push(t.version));
        expectObservable(trees$.pipe(map(() => 'v'))).toBe(source === 'both' ? 'v-v-v-|' : 'vvv|', { v: 'v' });
      });
      return out;
    };
    expect(versions('fsxtqu|', 'both')).toEqual(versions('fxq|', 'events'));
  });

  it('shares a given builder: its history answers as of any time', () => {
    const { values, child } = scenario();
    const builder = new TreeBuilder();
    scheduler.run(({ cold }) => {
      cold<Envelope>('fxq|', values).pipe(processTree({ builder })).subscribe();
    });
    const ds = builder.dataSource();
    expect(O.toUndefined(ds.process({ entityId: child.entityId, time: values.f.timestamp }))?.executionBinary.path).toBe('');
    expect(O.toUndefined(ds.process({ entityId: child.entityId, time: values.x.timestamp }))?.executionBinary.path).toBe('/usr/bin/ls');
  });
});
