import { collectFindings, finding, marbleTest, summarizeFinding, world } from '../../../marbles/index.js';
import { enrich } from '../../../src/operators/enrich.js';
import { proctreeDataSource } from '../../../src/signatures/builtin/proctreeDataSource.js';
import { fromSignature } from '../../../src/signatures/fromSignature.js';
import type { Envelope } from '../../../src/streams/types.js';
import { TreeBuilder } from '../../../src/tree/treeBuilder.js';

/** Tracee's tester in miniature: a process forks threads and children that exec themselves. */
function tester() {
  const w = world();
  const sh = w.process({ pid: 50, comm: 'bash', exe: '/usr/bin/bash' });
  const t = w.fork(sh, { pid: 100 });
  const e0 = w.exec(t.child, { path: '/opt/proctreetester', argv: ['proctreetester'] });
  const th = w.fork(t.child, { thread: true, pid: 101 });
  const c1 = w.fork(th.child, { pid: 102 }); // forked from a non-leader thread
  const e1 = w.exec(c1.child, { path: '/opt/proctreetester', argv: ['proctreetester', '1'] });
  const c2 = w.fork(c1.child, { pid: 103 });
  const e2 = w.exec(c2.child, { path: '/usr/bin/ls' });
  return { w, events: [t.event, e0, th.event, c1.event, e1, c2.event, e2] as const };
}

describe('PROCTREE_DATA_SOURCE', () => {
  it('reports every exec consistent (Tracee e2e, adapted): thread, process, lineage', () => {
    const { events } = tester();
    const [t, e0, th, c1, e1, c2, e2] = events;
    const builder = new TreeBuilder();
    marbleTest(({ cold, expectFindings }) => {
      const events$ = cold<Envelope>('abcdefg|', { a: t, b: e0, c: th, d: c1, e: e1, f: c2, g: e2 });
      expectFindings(events$.pipe(enrich({ builder }), fromSignature(proctreeDataSource({ reportConsistent: true }), { dataSource: builder.dataSource() }))).toBe('-b--e-g|', {
        b: finding('PROCTREE_DATA_SOURCE', { pid: 100, data: { consistent: true, depth: 3 } }),
        e: finding('PROCTREE_DATA_SOURCE', { pid: 102, data: { consistent: true, depth: 4 } }),
        g: finding('PROCTREE_DATA_SOURCE', { pid: 103, data: { consistent: true, depth: 5 } }),
      });
    });
  });

  it('filters by path suffix as Tracee does', () => {
    const { events } = tester();
    const found = collectFindings(events, [proctreeDataSource({ pathSuffix: 'proctreetester', reportConsistent: true })]);
    expect(found.map((f) => f.Event.hostProcessId)).toEqual([100, 102]);
  });

  it('flags a data source that disagrees with the events (lagging: it never saw the exec)', () => {
    const { events } = tester();
    const lagging = new TreeBuilder();
    lagging.applyEnvelope(events[0]); // only the fork
    const sig = proctreeDataSource({ reportConsistent: false });
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('ab|', { a: events[0], b: events[1] }).pipe(enrich(), fromSignature(sig, { dataSource: lagging.dataSource() }))).toBe('-b|', {
        b: finding('PROCTREE_DATA_SOURCE', { pid: 100, data: { consistent: false, problems: ['process executable "" != pathname "/opt/proctreetester"'] } }),
      });
    });
  });

  it('by default reports nothing for a consistent stream', () => {
    const { events } = tester();
    expect(collectFindings(events, [proctreeDataSource()]).map(summarizeFinding)).toEqual([]);
  });

  it('flags missing entities (an empty data source), and stays silent when consistent and reportConsistent is false', () => {
    const { events } = tester();
    const empty = new TreeBuilder().dataSource();
    const errors: unknown[] = [];
    marbleTest(({ cold, expectFindings }) => {
      const events$ = cold<Envelope>('ab|', { a: events[0], b: events[1] }).pipe(enrich());
      expectFindings(events$.pipe(fromSignature(proctreeDataSource(), { dataSource: empty, onError: (e) => errors.push(e) }))).toBe('-b|', {
        b: finding('PROCTREE_DATA_SOURCE', { data: { consistent: false } }),
      });
      expectFindings(events$.pipe(fromSignature(proctreeDataSource({ reportConsistent: false })))).toBe('--|');
    });
    expect(errors).toEqual([]);
  });
});
