import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import {
  ErrDataNotFound,
  ErrKeyNotSupported,
  fixedTree,
  lineageKey,
  procKey,
  ProcessTreeDataSource,
  threadKey,
  type DataSourceAnswer,
} from '../../src/tree/dataSource.js';
import { emptyTree } from '../../src/tree/model.js';
import { lineageAt, processAt, threadAt } from '../../src/tree/queries.js';
import { VersionHistory } from '../../src/tree/versionHistory.js';
import { applyAll, at, context, exec, exit, forkProcess, forkThread, procfs } from '../support/treeRecords.js';

// init 100 (pid 1) ← bash 200 (pid 20) ← sleep 300 (pid 30, thread 301); bash exits at 10 s, sleep is reparented to init at 11 s
const trees = applyAll(emptyTree(), [
  procfs({ time: at(0.5), id: 100, pid: 1, startTime: at(0), name: 'init', exe: '/sbin/init' }),
  forkProcess({ time: at(1), id: 200, pid: 20, parentId: 100, parentPid: 1 }),
  exec({ time: at(1.5), id: 200, path: '/bin/bash' }),
  forkProcess({ time: at(2), id: 300, pid: 30, parentId: 200, parentPid: 20 }),
  exec({ time: at(2.5), id: 300, path: '/bin/sleep', argv: ['sleep', '100'] }),
  forkThread({ time: at(3), id: 301, tid: 31, leaderId: 300, pid: 30, parentId: 200, parentPid: 20 }),
  exit({ time: at(10), id: 200, group: true, code: 256 }),
  context({ time: at(11), threadId: 300, parentId: 100, tid: 30, ppid: 1, name: 'sleep' }),
]);
const final = trees[trees.length - 1]!;
const history = new VersionHistory();
trees.slice(1).forEach((t) => history.push(t));

const right = (e: E.Either<string, DataSourceAnswer>): DataSourceAnswer => {
  if (E.isLeft(e)) throw new Error(e.left);
  return e.right;
};

describe('ProcessTreeDataSource', () => {
  const ds = new ProcessTreeDataSource(history);

  it('identifies itself as Tracee does', () => {
    expect(ds.namespace()).toBe('tracee');
    expect(ds.id()).toBe('process_tree');
    expect(ds.version()).toBe(1);
    expect(ds.keys()).toEqual(['datasource.ProcKey', 'datasource.ThreadKey', 'datasource.LineageKey']);
    const schema = JSON.parse(ds.schema()) as Record<string, string>;
    expect(schema).toEqual({
      process_info: 'datasource.ProcessInfo',
      process_lineage: 'datasource.ProcessLineage',
      thread_info: 'datasource.ThreadInfo',
    });
    expect(Object.keys(schema)).toEqual([...Object.keys(schema)].sort());
  });

  describe('get(key) answer shapes', () => {
    it('ProcKey → { process_info }', () => {
      const a = right(ds.get(procKey(300, at(5))));
      expect(Object.keys(a)).toEqual(['process_info']);
      expect('process_info' in a && a.process_info).toMatchObject({
        entityId: 300,
        pid: 30,
        ppid: 20,
        parentEntityId: 200,
        cmd: ['sleep', '100'],
        isAlive: true,
        startTime: at(2),
        execTime: at(2.5),
        exitTime: undefined,
        threadsIds: new Map([
          [30, 300],
          [31, 301],
        ]),
        childProcessesIds: new Map(),
      });
      expect('process_info' in a && a.process_info.executionBinary).toMatchObject({ path: '/bin/sleep', hash: '' });
    });

    it('ThreadKey → { thread_info }', () => {
      const a = right(ds.get(threadKey(301, at(5))));
      expect(Object.keys(a)).toEqual(['thread_info']);
      expect('thread_info' in a && a.thread_info).toMatchObject({ entityId: 301, tid: 31, pid: 30, processEntityId: 300, isAlive: true, name: 'sleep' });
    });

    it('LineageKey → { process_lineage } (process first, then ancestors)', () => {
      const a = right(ds.get(lineageKey(300, at(5), 5)));
      expect(Object.keys(a)).toEqual(['process_lineage']);
      expect('process_lineage' in a && a.process_lineage.map((p) => p.entityId)).toEqual([300, 200, 100]);
    });

    it('answers equal the typed methods and the queries on the tree of that time', () => {
      const key = { entityId: 300, time: at(5) };
      expect(right(ds.get(procKey(300, at(5))))).toEqual({ process_info: O.toUndefined(ds.process(key)) });
      expect(ds.process(key)).toEqual(processAt(history.at(at(5))!, 300, at(5)));
      expect(ds.thread({ entityId: 301, time: at(5) })).toEqual(threadAt(history.at(at(5))!, 301, at(5)));
      expect(ds.lineage({ ...key, maxDepth: 5 })).toEqual(lineageAt(history.at(at(5))!, 300, at(5), 5));
    });
  });

  describe('errors', () => {
    it.each([
      ['unknown process', procKey(999, at(5))],
      ['unknown thread', threadKey(999, at(5))],
      ['unknown lineage root', lineageKey(999, at(5), 3)],
      ['a thread asked as a process', procKey(301, at(5))],
    ])('%s → Left("requested data was not found")', (_name, key) => {
      expect(ds.get(key)).toEqual(E.left(ErrDataNotFound));
      expect(ErrDataNotFound).toBe('requested data was not found');
    });

    it.each<[string, unknown]>([
      ['undefined', undefined],
      ['null', null],
      ['a number', 300],
      ['a string', 'process_info'],
      ['an unknown kind', { kind: 'container', entityId: 300, time: at(5) }],
      ['a time that is not a bigint', { kind: 'process', entityId: 300, time: 5 }],
      ['an entity id that is not a number', { kind: 'process', entityId: '300', time: at(5) }],
      ['a lineage key without maxDepth', { kind: 'lineage', entityId: 300, time: at(5) }],
      ['a key without kind', { entityId: 300, time: at(5) }],
    ])('%s → Left("queried key is not supported")', (_name, key) => {
      expect(ds.get(key)).toEqual(E.left(ErrKeyNotSupported));
      expect(ErrKeyNotSupported).toBe('queried key is not supported');
    });

    it('an empty history finds nothing', () => {
      const empty = new ProcessTreeDataSource(new VersionHistory());
      expect(empty.process({ entityId: 300, time: at(5) })).toEqual(O.none);
      expect(empty.thread({ entityId: 300, time: at(5) })).toEqual(O.none);
      expect(empty.lineage({ entityId: 300, time: at(5), maxDepth: 1 })).toEqual(O.none);
      expect(empty.processByPid(30, at(5))).toEqual(O.none);
      expect(empty.get(procKey(300, at(5)))).toEqual(E.left(ErrDataNotFound));
    });
  });

  describe('time', () => {
    it('over a history, a key before the process was known misses (that version did not hold it)', () => {
      expect(ds.get(procKey(300, at(1.5)))).toEqual(E.left(ErrDataNotFound));
    });

    it('over one fixed tree, a key before the process started misses too (it did not exist then)', () => {
      const fixed = new ProcessTreeDataSource(fixedTree(final));
      expect(fixed.process({ entityId: 300, time: at(1.5) })).toEqual(O.none);
      expect(fixed.get(procKey(300, at(1.5)))).toEqual(E.left(ErrDataNotFound));
    });

    it('answers change with the key time: alive, exit time and code of bash', () => {
      expect(O.toUndefined(ds.process({ entityId: 200, time: at(10, -1) }))).toMatchObject({ isAlive: true, exitTime: undefined, exitCode: undefined });
      expect(O.toUndefined(ds.process({ entityId: 200, time: at(10) }))).toMatchObject({ isAlive: false, exitTime: at(10), exitCode: 256 });
    });

    it('processByPid answers by time', () => {
      expect(O.map((p: { entityId: number }) => p.entityId)(ds.processByPid(30, at(5)))).toEqual(O.some(300));
      expect(ds.processByPid(30, at(1))).toEqual(O.none);
    });
  });

  describe('lineage options', () => {
    it("follows the spawn parent by default, the current parent with { follow: 'current' }", () => {
      const key = { entityId: 300, time: at(12), maxDepth: 5 };
      const ids = (o: O.Option<{ entityId: number }[]>): number[] => (O.isSome(o) ? o.value.map((p) => p.entityId) : []);
      expect(ids(ds.lineage(key))).toEqual([300, 200, 100]);
      expect(ids(ds.lineage(key, { follow: 'current' }))).toEqual([300, 100]);
      const current = new ProcessTreeDataSource(history, { follow: 'current' });
      expect(ids(current.lineage(key))).toEqual([300, 100]);
      const viaGet = right(current.get(lineageKey(300, at(12), 5)));
      expect('process_lineage' in viaGet && viaGet.process_lineage.map((p) => p.entityId)).toEqual([300, 100]);
      expect(ids(current.lineage(key, { follow: 'spawn' }))).toEqual([300, 200, 100]);
    });
  });
});

describe('queries: data-first and data-last forms agree', () => {
  it.each([
    [at(2.5)],
    [at(5)],
    [at(12)],
  ])('at %p', (t) => {
    expect(processAt(300, t)(final)).toEqual(processAt(final, 300, t));
    expect(threadAt(301, t)(final)).toEqual(threadAt(final, 301, t));
    expect(lineageAt(300, t, 5)(final)).toEqual(lineageAt(final, 300, t, 5));
    expect(lineageAt(300, t, 5, { follow: 'current' })(final)).toEqual(lineageAt(final, 300, t, 5, { follow: 'current' }));
  });
});
