/**
 * Scenarios from the spec (§3.3, §8.1, §8.2) and the deliberate cases of issue 3, against the
 * pure reducers, the queries, the data source and the builder. Boundary rule: INCLUSIVE — a change
 * at T is visible to a query at T (the seed's strictly-before rule, quirk Q3, is not kept).
 *
 * Ids and pids differ on purpose (process id 2000 has pid 200) so a mix-up shows.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { decodeExitCode } from '../../src/streams/lifecycleArgs.js';
import { parseEventLine } from '../../src/streams/parseEventLine.js';
import type { Envelope, InputIssue } from '../../src/streams/types.js';
import { applyEnvelope, applyRecord } from '../../src/tree/applyRecord.js';
import { ErrDataNotFound, ErrKeyNotSupported, fixedTree, lineageKey, procKey, ProcessTreeDataSource, threadKey } from '../../src/tree/dataSource.js';
import { feedFromEnvelope } from '../../src/tree/feedFromEvents.js';
import { emptyTree, type ProcessTree } from '../../src/tree/model.js';
import { idsHas, type IdSet } from '../../src/tree/idSet.js';

/** `true` when the id set holds `id`, else `undefined` (the shape a map lookup gives). */
const inSet = (set: IdSet, id: number): true | undefined => (idsHas(set, id) ? true : undefined);
import { entityIdOfPid, lineageAt, processAt, processByPidAt, threadAt, type ProcessInfo, type ThreadInfo } from '../../src/tree/queries.js';
import type { TreeRecord } from '../../src/tree/records.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { applyAll, applyEach, at, context, evict, exec, exit, forkProcess, forkThread, procfs } from '../support/treeRecords.js';

const proc = (tree: ProcessTree, id: number, t: bigint): ProcessInfo => {
  const p = processAt(tree, id, t);
  if (O.isNone(p)) throw new Error(`process ${id} not found`);
  return p.value;
};
const thr = (tree: ProcessTree, id: number, t: bigint): ThreadInfo => {
  const p = threadAt(tree, id, t);
  if (O.isNone(p)) throw new Error(`thread ${id} not found`);
  return p.value;
};
const lineagePids = (tree: ProcessTree, id: number, t: bigint, depth: number, follow?: 'spawn' | 'current'): number[] => {
  const l = lineageAt(tree, id, t, depth, follow === undefined ? undefined : { follow });
  return O.isSome(l) ? l.value.map((p) => p.pid) : [];
};
const tids = (p: ProcessInfo): number[] => [...p.threadsIds.keys()].sort((a, b) => a - b);
const childPids = (p: ProcessInfo): number[] => [...p.childProcessesIds.keys()].sort((a, b) => a - b);

// a parent known from procfs: id 1000, pid 100, running /bin/bash
const PARENT = procfs({ time: at(1), id: 1000, pid: 100, startTime: at(0.5), name: 'bash', exe: '/bin/bash', uid: 1000, gid: 1000 });

describe('spec §3.3 visibility table (fork 2 s, exec 3 s, exit 4 s) — adapted to the INCLUSIVE boundary', () => {
  const records: TreeRecord[] = [
    PARENT,
    forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100, name: 'bash' }),
    exec({ time: at(3), id: 2000, path: '/usr/bin/ls', argv: ['ls', '-la'] }),
    exit({ time: at(4), id: 2000, group: true }),
  ];
  const tree = applyEach(emptyTree(), records);

  it('at the fork instant 2 s the parent is already visible (inclusive; the seed answers ppid 0 at 2 s)', () => {
    const p = proc(tree, 2000, at(2));
    expect(p).toMatchObject({ ppid: 100, parentEntityId: 1000, isAlive: true, startTime: at(2), pid: 200 });
  });

  it('one ns before the fork the child does not exist: a miss (None), whatever history is kept', () => {
    expect(processAt(tree, 2000, at(2, -1))).toEqual(O.none);
    expect(threadAt(tree, 2000, at(2, -1))).toEqual(O.none);
    expect(lineageAt(tree, 2000, at(2, -1), 5)).toEqual(O.none);
    expect(tids(proc(tree, 2000, at(2)))).toEqual([200]);
  });

  it('at the exec instant 3 s the new executable is visible (inclusive; the seed shows it from 3 s + 1 ns)', () => {
    expect(proc(tree, 2000, at(3)).executionBinary.path).toBe('/usr/bin/ls');
    expect(proc(tree, 2000, at(3)).cmd).toEqual(['ls', '-la']);
    expect(proc(tree, 2000, at(3)).execTime).toBe(at(3));
    // before: the program inherited from the parent at fork
    const before = proc(tree, 2000, at(3, -1));
    expect(before.executionBinary.path).toBe('/bin/bash');
    expect(before.execInherited).toBe(true);
    expect(before.execTime).toBe(0n);
  });

  it('at the exit instant 4 s the child is dead (inclusive; the seed says alive at 4 s, dead at 4 s + 1 ns)', () => {
    expect(proc(tree, 2000, at(4))).toMatchObject({ isAlive: false, exitTime: at(4), exitCode: 0 });
    expect(tids(proc(tree, 2000, at(4)))).toEqual([]); // the exited leader thread is dropped
    const before = proc(tree, 2000, at(4, -1));
    expect(before).toMatchObject({ isAlive: true, exitTime: undefined, exitCode: undefined });
    expect(before.threadsIds).toEqual(new Map([[200, 2000]]));
  });

  it('before the start (1 s) the child is a miss, in the newest tree and in a tree keeping one field entry', () => {
    expect(processAt(tree, 2000, at(1))).toEqual(O.none);
    expect(processAt(applyEach(emptyTree({ maxFieldHistory: 1 }), records), 2000, at(1))).toEqual(O.none);
  });

  it("the parent lists the child only while it is alive: [2 s, 4 s)", () => {
    expect(childPids(proc(tree, 1000, at(2, -1)))).toEqual([]);
    expect(proc(tree, 1000, at(2)).childProcessesIds).toEqual(new Map([[200, 2000]]));
    expect(childPids(proc(tree, 1000, at(4, -1)))).toEqual([200]);
    expect(childPids(proc(tree, 1000, at(4)))).toEqual([]);
  });

  it('a live task has no exit time (not boot time, quirk Q12)', () => {
    expect(proc(tree, 1000, at(10)).exitTime).toBeUndefined();
    expect(thr(tree, 1000, at(10)).exitTime).toBeUndefined();
  });
});

describe('spec §8.1 seed scenarios', () => {
  describe('thread fork', () => {
    const tree = applyEach(emptyTree(), [
      PARENT,
      forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100, name: 'bash' }),
      exec({ time: at(3), id: 2000, path: '/usr/bin/python3' }),
      forkThread({ time: at(5), id: 2001, tid: 201, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
    ]);

    it("adds the thread to the leader's threadsIds (from its start on)", () => {
      expect(proc(tree, 2000, at(5)).threadsIds).toEqual(new Map([[200, 2000], [201, 2001]]));
      expect(proc(tree, 2000, at(5, -1)).threadsIds).toEqual(new Map([[200, 2000]]));
    });

    it("names the thread with the leader's current name", () => {
      expect(thr(tree, 2001, at(5)).name).toBe('python3');
    });

    it('creates no Process entry for the thread, and no child link in the parent', () => {
      expect(processAt(tree, 2001, at(6))).toEqual(O.none);
      expect(proc(tree, 1000, at(6)).childProcessesIds).toEqual(new Map([[200, 2000]]));
    });

    it('fills ThreadInfo.processEntityId (Tracee leaves it 0, quirk Q10)', () => {
      expect(thr(tree, 2001, at(5))).toMatchObject({ tid: 201, pid: 200, processEntityId: 2000, isAlive: true });
      expect(thr(tree, 2000, at(5)).processEntityId).toBe(2000);
    });
  });

  describe('exec before fork (out of order)', () => {
    const execFirst = exec({ time: at(5), id: 2000, path: '/usr/bin/ls', argv: ['ls'] });
    const late = forkProcess({ time: at(4), id: 2000, pid: 200, parentId: 1000, parentPid: 100, name: 'bash' });
    const [, t1, t2, t3] = applyAll(emptyTree(), [PARENT, execFirst, late]);

    it('the exe is visible from the exec time, ids still unknown before the fork arrives', () => {
      expect(proc(t2!, 2000, at(5))).toMatchObject({ pid: 0, ppid: 0, placeholder: true });
      expect(proc(t2!, 2000, at(5)).executionBinary.path).toBe('/usr/bin/ls');
    });

    it('pid / ppid / start are filled once the fork arrives; the exec stays', () => {
      expect(proc(t3!, 2000, at(5))).toMatchObject({ pid: 200, ppid: 100, parentEntityId: 1000, startTime: at(4), placeholder: false });
      expect(proc(t3!, 2000, at(5)).executionBinary.path).toBe('/usr/bin/ls');
      expect(proc(t3!, 1000, at(5)).childProcessesIds).toEqual(new Map([[200, 2000]]));
    });

    it('the late fork does not overwrite the exec with the inherited program', () => {
      expect(proc(t3!, 2000, at(6)).execInherited).toBe(false);
      expect(t1).not.toBe(t3);
    });
  });

  describe('lineage of a 3-level chain ending at ns pid 1', () => {
    const tree = applyEach(emptyTree(), [
      procfs({ time: at(1), id: 100, pid: 1, startTime: at(0), name: 'init', exe: '/sbin/init' }),
      forkProcess({ time: at(2), id: 200, pid: 1000, parentId: 100, parentPid: 1 }),
      forkProcess({ time: at(3), id: 300, pid: 2000, parentId: 200, parentPid: 1000 }),
    ]);

    it.each([
      [0, [2000]],
      [1, [2000, 1000]],
      [5, [2000, 1000, 1]],
    ])('maxDepth %i → %j', (depth, pids) => {
      expect(lineagePids(tree, 300, at(4), depth)).toEqual(pids);
    });

    it('stops at ns pid 1 even when that process has a known parent', () => {
      const withInitParent = applyRecord(tree, procfs({ time: at(1), id: 50, pid: 0, startTime: at(0), name: 'swapper' }));
      const linked = applyRecord(withInitParent, context({ time: at(3.5), threadId: 100, parentId: 50, tid: 1, ppid: 0, name: 'init' }));
      expect(lineagePids(linked, 300, at(4), 10)).toEqual([2000, 1000, 1]);
    });
  });

  describe('data source misses and bad keys', () => {
    const ds = new ProcessTreeDataSource(fixedTree(applyEach(emptyTree(), [PARENT])));

    it('unknown id → none / "requested data was not found"', () => {
      expect(ds.process({ entityId: 999, time: at(2) })).toEqual(O.none);
      expect(ds.get(procKey(999, at(2)))).toEqual(E.left('requested data was not found'));
      expect(ds.get(threadKey(999, at(2)))).toEqual(E.left(ErrDataNotFound));
      expect(ds.get(lineageKey(999, at(2), 5))).toEqual(E.left(ErrDataNotFound));
    });

    it('unsupported key → "queried key is not supported"', () => {
      expect(ds.get({ kind: 'container', entityId: 1000, time: at(2) })).toEqual(E.left('queried key is not supported'));
      expect(ds.get('1000')).toEqual(E.left(ErrKeyNotSupported));
    });
  });

  describe('LRU size 2 (TreeBuilder processCacheSize 2 / threadCacheSize 2)', () => {
    const builder = new TreeBuilder({ processCacheSize: 2, threadCacheSize: 2 });
    builder.applyRecord(procfs({ time: at(1), id: 11, pid: 1, startTime: at(0), name: 'one' }));
    builder.applyRecord(procfs({ time: at(2), id: 22, pid: 2, startTime: at(0), name: 'two' }));
    const beforeThird = builder.tree;
    // use 11 again: an event of it (its context agrees with the tree: no change, but it counts as a use)
    const touched = builder.applyRecord(context({ time: at(3), threadId: 11, tid: 1, name: 'one' }));
    builder.applyRecord(procfs({ time: at(4), id: 33, pid: 3, startTime: at(0), name: 'three' }));

    it('a use that changes nothing keeps the identical tree', () => {
      expect(touched).toBe(beforeThird);
      expect(builder.stats.unchanged).toBe(1);
    });

    it('evicts the least recently used entity (22), not the oldest (11)', () => {
      const now = builder.tree.time;
      expect(O.isSome(processAt(builder.tree, 11, now))).toBe(true);
      expect(processAt(builder.tree, 22, now)).toEqual(O.none);
      expect(O.isSome(processAt(builder.tree, 33, now))).toBe(true);
      expect(threadAt(builder.tree, 22, now)).toEqual(O.none);
      expect(builder.stats).toMatchObject({ evictedProcesses: 1, evictedThreads: 1 });
      expect(builder.tree.counters).toEqual({ evictedProcesses: 1, evictedThreads: 1 });
      expect(processByPidAt(builder.tree, 2, now)).toEqual(O.none);
    });

    it('older retained versions still know the evicted entity (persistence)', () => {
      const ds = builder.dataSource();
      expect(O.isSome(ds.process({ entityId: 22, time: at(2) }))).toBe(true);
      expect(ds.get(procKey(22, at(4)))).toEqual(E.left(ErrDataNotFound));
    });
  });

  describe("head's TestProcessStore_GetAncestry, ported (init 100 ← bash 200 ← python 300)", () => {
    // head feeds {pid, nspid, ppid, name, parent}: init (1, 1, 0), bash (1000, 1, 1), python (2000, 100, 1000)
    const tree = applyEach(emptyTree(), [
      procfs({ time: at(1), id: 100, pid: 1, nsPid: 1, ppid: 0, startTime: at(0), name: 'init' }),
      procfs({ time: at(1), id: 200, pid: 1000, nsPid: 1, ppid: 1, parentId: 100, startTime: at(0.2), name: 'bash' }),
      procfs({ time: at(1), id: 300, pid: 2000, nsPid: 100, ppid: 1000, parentId: 200, startTime: at(0.4), name: 'python' }),
      procfs({ time: at(2), id: 999, pid: 999, startTime: at(0.5), name: 'gone', zombie: true }),
    ]);
    const ds = new ProcessTreeDataSource(fixedTree(tree));
    const lineage = (id: number, depth: number): ProcessInfo[] => {
      const r = ds.lineage({ entityId: id, time: at(3), maxDepth: depth });
      return O.isSome(r) ? r.value : [];
    };

    it('(300, 5): head gives [python, bash, init]; we stop at bash, whose ns pid is 1 (seed LineageKey rule we keep)', () => {
      const l = lineage(300, 5);
      expect(l.map((p) => [p.entityId, p.parentEntityId, p.name])).toEqual([
        [300, 200, 'python'],
        [200, 100, 'bash'],
      ]);
      expect(l[0]!.pid).not.toBe(0);
      expect(l[0]!.nsPid).not.toBe(0);
    });

    it('(300, 5) with bash in the root pid namespace: all three, init last with parent 0', () => {
      const rooted = applyEach(emptyTree(), [
        procfs({ time: at(1), id: 100, pid: 1, startTime: at(0), name: 'init' }),
        procfs({ time: at(1), id: 200, pid: 1000, ppid: 1, parentId: 100, startTime: at(0.2), name: 'bash' }),
        procfs({ time: at(1), id: 300, pid: 2000, ppid: 1000, parentId: 200, startTime: at(0.4), name: 'python' }),
      ]);
      const l = lineageAt(rooted, 300, at(3), 5);
      expect(O.isSome(l) && l.value.map((p) => [p.entityId, p.parentEntityId, p.name])).toEqual([
        [300, 200, 'python'],
        [200, 100, 'bash'],
        [100, 0, 'init'],
      ]);
    });

    it('(300, 1): head counts elements ([python]); our maxDepth counts ancestors, as the seed LineageKey: [python, bash]', () => {
      expect(lineage(300, 1).map((p) => p.entityId)).toEqual([300, 200]);
    });

    it('(999, 5) unknown: head [] without error; ours None → "requested data was not found"', () => {
      expect(ds.lineage({ entityId: 12345, time: at(3), maxDepth: 5 })).toEqual(O.none);
      expect(ds.get(lineageKey(12345, at(3), 5))).toEqual(E.left(ErrDataNotFound));
    });

    it('(300, 0): head []; ours the process alone (maxDepth 0 → 1 element)', () => {
      expect(lineage(300, 0).map((p) => p.entityId)).toEqual([300]);
    });

    it('an exited process (999) has an exit time', () => {
      expect(proc(tree, 999, at(3))).toMatchObject({ exitTime: at(2), isAlive: false });
    });
  });
});

describe('issue 3 deliberate cases', () => {
  describe('thread vs process fork', () => {
    const tree = applyEach(emptyTree(), [
      PARENT,
      forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100, name: 'bash' }),
      forkThread({ time: at(3), id: 2001, tid: 201, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
      forkProcess({ time: at(4), id: 3000, pid: 300, parentId: 2000, parentPid: 200 }),
    ]);

    it('a process fork creates a process and its leader thread; a thread fork only a thread', () => {
      expect(tree.processes.get(2000)).toBeDefined();
      expect(tree.threads.get(2000)).toBeDefined();
      expect(tree.processes.get(2001)).toBeUndefined();
      expect(tree.threads.get(2001)).toBeDefined();
    });

    it('a process fork links the parent → child; a thread fork links leader → thread', () => {
      expect(childPids(proc(tree, 1000, at(5)))).toEqual([200]);
      expect(childPids(proc(tree, 2000, at(5)))).toEqual([300]);
      expect(tids(proc(tree, 2000, at(5)))).toEqual([200, 201]);
      expect(tids(proc(tree, 3000, at(5)))).toEqual([300]);
    });

    it("a new process's program and name are inherited from its parent", () => {
      expect(proc(tree, 3000, at(5))).toMatchObject({ name: 'bash', execInherited: true, spawnParentEntityId: 2000 });
      expect(proc(tree, 3000, at(5)).executionBinary.path).toBe('/bin/bash');
    });

    it('uid is fed (quirk Q10 not kept): procfs for the parent, inherited by the child', () => {
      expect(proc(tree, 1000, at(5))).toMatchObject({ userId: 1000, groupId: 1000 });
      expect(proc(tree, 2000, at(5)).userId).toBe(1000);
      expect(thr(tree, 2001, at(5)).userId).toBe(1000);
    });
  });

  describe('exec from a non-leader thread', () => {
    const line = (hostTid: number): string =>
      `{"timestamp":1696269602812004331,"threadStartTime":1696269602811296936,"processId":1094692,"threadId":${hostTid},"parentProcessId":1037836,"hostProcessId":1094692,"hostThreadId":${hostTid},"hostParentProcessId":1037836,"userId":1000,"processName":"ls","executable":{"path":""},"containerId":"","eventId":"713","eventName":"sched_process_exec","threadEntityId":8370164,"processEntityId":8370164,"parentEntityId":4208207516,"args":[{"name":"cmdpath","type":"const char*","value":"/usr/bin/ls"},{"name":"pathname","type":"const char*","value":"/usr/bin/ls"},{"name":"dev","type":"dev_t","value":271581186},{"name":"inode","type":"unsigned long","value":1048901},{"name":"ctime","type":"unsigned long","value":1695135789123456789},{"name":"inode_mode","type":"umode_t","value":33261},{"name":"argv","type":"const char**","value":["ls"]},{"name":"interp","type":"const char*","value":"/usr/bin/ls"},{"name":"stdin_type","type":"string","value":"S_IFCHR"},{"name":"stdin_path","type":"char*","value":"/dev/pts/3"},{"name":"invoked_from_kernel","type":"int","value":0}]}`;

    it('the feed ignores an exec event whose hostProcessId != hostThreadId and says why', () => {
      const feed = feedFromEnvelope(parse(line(1094693)), 'events');
      expect(feed.records).toEqual([]);
      expect(feed.problem).toMatch(/non-leader thread/);
      // the same event from the leader feeds an exec record
      expect(feedFromEnvelope(parse(line(1094692)), 'events').records.map((r) => r.kind)).toEqual(['exec']);
    });

    it('the builder reports it as a warning and leaves the tree unchanged', () => {
      const issues: InputIssue[] = [];
      const builder = new TreeBuilder({ onIssue: (i) => issues.push(i) });
      const before = builder.tree;
      builder.applyEnvelope(parse(line(1094693)));
      expect(builder.tree).toBe(before);
      expect(builder.stats.unusable).toBe(1);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ severity: 'warning', origin: { source: 'scenario', line: 1 } });
      expect(issues[0]!.reason).toMatch(/^sched_process_exec: exec reported by a non-leader thread/);
    });

    it('a signal exec whose leader_hash differs from task_hash is ignored too', () => {
      const sig = parse(
        `{"timestamp":1696269602812005000,"eventId":"5003","eventName":"signal_sched_process_exec","args":[{"name":"timestamp","type":"u64","value":3602812005000},{"name":"task_hash","type":"u32","value":1111},{"name":"parent_hash","type":"u32","value":4208207516},{"name":"leader_hash","type":"u32","value":8370164},{"name":"cmdpath","type":"const char*","value":"/usr/bin/ls"},{"name":"pathname","type":"const char*","value":"/usr/bin/ls"},{"name":"dev","type":"dev_t","value":1},{"name":"inode","type":"unsigned long","value":2},{"name":"ctime","type":"unsigned long","value":3},{"name":"inode_mode","type":"umode_t","value":33261}]}`,
      );
      const feed = feedFromEnvelope(sig, 'signals');
      expect(feed.records).toEqual([]);
      expect(feed.problem).toMatch(/non-leader/);
    });
  });

  describe('exec by the leader ends the other live threads (de_thread)', () => {
    const tree = applyEach(emptyTree(), [
      PARENT,
      forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
      forkThread({ time: at(3), id: 2001, tid: 201, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
      forkThread({ time: at(3.1), id: 2002, tid: 202, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
      exit({ time: at(4), id: 2002, leaderId: 2000, code: 0 }),
      exec({ time: at(5), id: 2000, path: '/usr/bin/env' }),
    ]);

    it('the live sibling is exited at the exec time; the already exited one keeps its own exit time', () => {
      expect(thr(tree, 2001, at(6))).toMatchObject({ isAlive: false, exitTime: at(5) });
      expect(thr(tree, 2002, at(6))).toMatchObject({ isAlive: false, exitTime: at(4), exitCode: 0 });
    });

    it('the process and its leader thread stay alive, alone from the exec on', () => {
      expect(proc(tree, 2000, at(5))).toMatchObject({ isAlive: true, name: 'env' });
      expect(proc(tree, 2000, at(5)).threadsIds).toEqual(new Map([[200, 2000]]));
      expect(tids(proc(tree, 2000, at(5, -1)))).toEqual([200, 201]);
      expect(thr(tree, 2000, at(5))).toMatchObject({ isAlive: true, name: 'env' });
    });
  });

  describe('thread exit vs group exit', () => {
    const base = [
      PARENT,
      forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
      forkThread({ time: at(3), id: 2001, tid: 201, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
      forkThread({ time: at(3), id: 2002, tid: 202, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
    ];

    it('a thread exit ends the thread only', () => {
      const tree = applyEach(emptyTree(), [...base, exit({ time: at(4), id: 2001, leaderId: 2000, code: 0 })]);
      expect(thr(tree, 2001, at(4))).toMatchObject({ isAlive: false, exitTime: at(4) });
      expect(proc(tree, 2000, at(4))).toMatchObject({ isAlive: true, exitTime: undefined });
      expect(tids(proc(tree, 2000, at(4)))).toEqual([200, 202]);
    });

    it('a group exit (from any thread) ends every thread and the process at that instant (quirk Q13 not kept)', () => {
      const tree = applyEach(emptyTree(), [...base, exit({ time: at(4), id: 2001, leaderId: 2000, code: 2 << 8, group: true })]);
      for (const id of [2000, 2001, 2002]) expect(thr(tree, id, at(4))).toMatchObject({ isAlive: false, exitTime: at(4) });
      expect(proc(tree, 2000, at(4))).toMatchObject({ isAlive: false, exitTime: at(4), exitCode: 512 });
      expect(proc(tree, 2000, at(4)).threadsIds).toEqual(new Map());
      expect(tids(proc(tree, 2000, at(4, -1)))).toEqual([200, 201, 202]);
    });

    it('the leader exits while other threads live: the process stays alive; the last thread ends it with a group exit', () => {
      const [, , , , , leaderGone, oneLeft, allGone] = applyAll(emptyTree(), [
        ...base,
        exit({ time: at(4), id: 2000, leaderId: 2000, code: 0 }),
        exit({ time: at(5), id: 2001, leaderId: 2000, code: 0 }),
        exit({ time: at(6), id: 2002, leaderId: 2000, code: 3 << 8, group: true }),
      ]);
      expect(proc(leaderGone!, 2000, at(4))).toMatchObject({ isAlive: true, exitTime: undefined });
      expect(thr(leaderGone!, 2000, at(4)).isAlive).toBe(false);
      expect(tids(proc(leaderGone!, 2000, at(4)))).toEqual([201, 202]);
      expect(proc(oneLeft!, 2000, at(5)).isAlive).toBe(true);
      expect(tids(proc(oneLeft!, 2000, at(5)))).toEqual([202]);
      expect(proc(allGone!, 2000, at(6))).toMatchObject({ isAlive: false, exitTime: at(6), exitCode: 768 });
      expect(proc(allGone!, 2000, at(6, -1)).isAlive).toBe(true);
      expect(thr(allGone!, 2000, at(6)).exitTime).toBe(at(4)); // the leader thread keeps its own exit time
    });

    it('the leader exiting as the last live thread ends the process even without the group flag', () => {
      const tree = applyEach(emptyTree(), [
        PARENT,
        forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
        exit({ time: at(4), id: 2000, code: 0 }),
      ]);
      expect(proc(tree, 2000, at(4)).isAlive).toBe(false);
    });
  });

  describe('unknown parent → placeholder, upgraded in place when its own data arrives', () => {
    const orphanFork = forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 });
    const withPlaceholder = applyEach(emptyTree(), [orphanFork]);

    it('the fork creates a placeholder parent with what the fork knows (pid, the child link)', () => {
      expect(proc(withPlaceholder, 1000, at(3))).toMatchObject({ placeholder: true, pid: 100, startTime: 0n, isAlive: true });
      expect(proc(withPlaceholder, 1000, at(3)).childProcessesIds).toEqual(new Map([[200, 2000]]));
      expect(proc(withPlaceholder, 2000, at(3))).toMatchObject({ parentEntityId: 1000, ppid: 100, placeholder: false });
    });

    it.each<[string, TreeRecord]>([
      ['its own fork', forkProcess({ time: at(1), id: 1000, pid: 100, parentId: 1, parentPid: 1, name: 'bash' })],
      ['an event context', context({ time: at(2.5), threadId: 1000, parentId: 1, tid: 100, ppid: 1, threadStartTime: at(1), name: 'bash' })],
      ['a procfs record', procfs({ time: at(2.5), id: 1000, pid: 100, parentId: 1, ppid: 1, startTime: at(1), name: 'bash', exe: '/bin/bash' })],
    ])('upgraded by %s: same id, no longer a placeholder, children kept, parent known', (_name, record) => {
      const tree = applyRecord(withPlaceholder, record);
      const p = proc(tree, 1000, at(3));
      expect(p).toMatchObject({ entityId: 1000, placeholder: false, pid: 100, name: 'bash', parentEntityId: 1, ppid: 1, startTime: at(1) });
      expect(p.childProcessesIds).toEqual(new Map([[200, 2000]]));
      expect(lineagePids(tree, 2000, at(3), 1)).toEqual([200, 100]);
      expect(proc(withPlaceholder, 1000, at(3)).placeholder).toBe(true); // the old version is untouched
    });
  });

  describe('duplicates (source=both: the same change as event and as signal) are applied once', () => {
    const fork1 = forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100, name: 'bash', uid: 1000 });
    const fork2: TreeRecord = { ...fork1, source: 'signal', time: at(2, 3_000), name: undefined, uid: undefined };
    const exec1 = exec({ time: at(3), id: 2000, path: '/usr/bin/ls', argv: ['ls'], parentId: 1000, task: { pid: 200, ppid: 100, startTime: at(2) } });
    const exec2 = exec({ time: at(3, 2_000), id: 2000, path: '/usr/bin/ls', argv: ['ls'], parentId: 1000 });
    const exit1 = exit({ time: at(4), id: 2000, leaderId: 2000, code: 256, group: true });
    const exit2 = exit({ time: at(4, 5_000), id: 2000, leaderId: 2000, code: 256, group: true, source: 'signal' });

    it.each<[string, TreeRecord[], TreeRecord]>([
      ['fork', [PARENT, fork1], fork2],
      ['exec', [PARENT, fork1, exec1], exec2],
      ['exit', [PARENT, fork1, exec1, exit1], exit2],
    ])('a second %s report returns the identical tree (same reference, same version)', (_kind, first, second) => {
      const tree = applyEach(emptyTree(), first);
      const again = applyRecord(tree, second);
      expect(again).toBe(tree);
      expect(again.version).toBe(tree.version);
      expect(applyRecord(tree, first[first.length - 1]!)).toBe(tree); // the exact same record again, too
    });

    it('a second exec report in the other order (signal first, then the earlier event) moves the exec back to the earlier time, once', () => {
      const tree = applyEach(emptyTree(), [PARENT, fork1, exec2]);
      const moved = applyRecord(tree, { ...exec1, task: undefined });
      expect(moved).not.toBe(tree);
      expect(proc(moved, 2000, exec1.time).execTime).toBe(exec1.time);
      expect(proc(tree, 2000, exec1.time).execTime).not.toBe(exec1.time); // the old version answers as before
      // every further report of it changes nothing
      expect(applyRecord(moved, exec2)).toBe(moved);
      expect(applyRecord(moved, { ...exec1, task: undefined })).toBe(moved);
    });

    it('a second exec of the same program more than 1 ms later is a new exec, not a duplicate', () => {
      const tree = applyEach(emptyTree(), [PARENT, fork1, exec1]);
      const rerun = applyRecord(tree, exec({ time: at(3.5), id: 2000, path: '/usr/bin/ls', argv: ['ls'] }));
      expect(rerun).not.toBe(tree);
      expect(proc(rerun, 2000, at(3.5)).execTime).toBe(at(3.5));
    });
  });

  describe('out-of-order records', () => {
    it('an older exit arriving after a newer report of the same exit moves the exit time back (earliest report wins)', () => {
      const base = applyEach(emptyTree(), [PARENT, forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 })]);
      const newer = exit({ time: at(10), id: 2000, leaderId: 2000, code: 9, group: true, source: 'signal' });
      const older = exit({ time: at(9), id: 2000, leaderId: 2000, code: 9, group: true });
      const inOrder = applyEach(base, [older, newer]);
      const reversed = applyEach(base, [newer, older]);
      for (const tree of [inOrder, reversed]) {
        expect(proc(tree, 2000, at(9.5))).toMatchObject({ isAlive: false, exitTime: at(9), exitCode: 9 });
        expect(thr(tree, 2000, at(9.5))).toMatchObject({ isAlive: false, exitTime: at(9) });
      }
      // and a newer duplicate after the older one changes nothing
      const first = applyRecord(base, older);
      expect(applyRecord(first, newer)).toBe(first);
    });

    it('an older group exit also moves back the threads it ended, not those that ended on their own earlier', () => {
      const tree = applyEach(emptyTree(), [
        PARENT,
        forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
        forkThread({ time: at(3), id: 2001, tid: 201, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
        forkThread({ time: at(3), id: 2002, tid: 202, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
        exit({ time: at(7), id: 2002, leaderId: 2000 }),
        exit({ time: at(10), id: 2001, leaderId: 2000, group: true, source: 'signal' }),
        exit({ time: at(8), id: 2001, leaderId: 2000, group: true }),
      ]);
      expect(thr(tree, 2000, at(9)).exitTime).toBe(at(8));
      expect(thr(tree, 2001, at(9)).exitTime).toBe(at(8));
      expect(thr(tree, 2002, at(9)).exitTime).toBe(at(7));
      expect(proc(tree, 2000, at(8))).toMatchObject({ isAlive: false, exitTime: at(8) });
    });

    it('a leader exit replayed after the group is gone changes nothing (regression: it moved the group exit back to the leader exit)', () => {
      const leaderExit = exit({ time: at(4), id: 2000, leaderId: 2000 });
      const tree = applyEach(emptyTree(), [
        PARENT,
        forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
        forkThread({ time: at(3), id: 2001, tid: 201, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
        leaderExit,
        exit({ time: at(5), id: 2001, leaderId: 2000, group: true }),
      ]);
      expect(applyRecord(tree, leaderExit)).toBe(tree);
      expect(proc(tree, 2000, at(4.5)).isAlive).toBe(true);
      expect(proc(tree, 2000, at(5))).toMatchObject({ isAlive: false, exitTime: at(5) });
    });

    it('exec before fork yields the same answers as fork before exec', () => {
      const f = forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 });
      const x = exec({ time: at(3), id: 2000, path: '/usr/bin/ls' });
      const a = applyEach(emptyTree(), [PARENT, f, x]);
      const b = applyEach(emptyTree(), [PARENT, x, f]);
      for (const t of [at(3), at(4)]) {
        const pa = proc(a, 2000, t);
        const pb = proc(b, 2000, t);
        expect(pb).toMatchObject({ pid: pa.pid, ppid: pa.ppid, parentEntityId: pa.parentEntityId, startTime: pa.startTime, name: pa.name });
        expect(pb.executionBinary).toEqual(pa.executionBinary);
      }
    });
  });

  describe('reparenting after the parent exits', () => {
    const tree = applyEach(emptyTree(), [
      procfs({ time: at(0.5), id: 100, pid: 1, startTime: at(0), name: 'init', exe: '/sbin/init' }),
      forkProcess({ time: at(1), id: 200, pid: 20, parentId: 100, parentPid: 1, name: 'init' }),
      exec({ time: at(1.5), id: 200, path: '/bin/bash' }),
      forkProcess({ time: at(2), id: 300, pid: 30, parentId: 200, parentPid: 20, name: 'bash' }),
      exec({ time: at(2.5), id: 300, path: '/bin/sleep' }),
      exit({ time: at(10), id: 200, group: true }),
      // the next event of 300 shows its new parent: init
      context({ time: at(11), threadId: 300, parentId: 100, tid: 30, ppid: 1, name: 'sleep' }),
    ]);

    it('the current parent changes at the context time; the spawn parent stays', () => {
      expect(proc(tree, 300, at(11))).toMatchObject({ parentEntityId: 100, ppid: 1, spawnParentEntityId: 200 });
      expect(proc(tree, 300, at(11, -1))).toMatchObject({ parentEntityId: 200, ppid: 20, spawnParentEntityId: 200 });
    });

    it("lineage 'spawn' (default) and 'current' differ", () => {
      expect(lineagePids(tree, 300, at(11), 5)).toEqual([30, 20, 1]);
      expect(lineagePids(tree, 300, at(11), 5, 'spawn')).toEqual([30, 20, 1]);
      expect(lineagePids(tree, 300, at(11), 5, 'current')).toEqual([30, 1]);
      expect(lineagePids(tree, 300, at(9), 5, 'current')).toEqual([30, 20, 1]);
    });

    it("spawn lineage reads ancestors at the child's start time (bash is shown alive, as it was then)", () => {
      const l = lineageAt(tree, 300, at(11), 5);
      expect(O.isSome(l) && l.value.map((p) => [p.pid, p.isAlive, p.name])).toEqual([
        [30, true, 'sleep'],
        [20, true, 'bash'],
        [1, true, 'init'],
      ]);
    });

    it('init lists the reparented child', () => {
      expect(proc(tree, 100, at(11)).childProcessesIds.get(30)).toBe(300);
    });
  });

  describe('pid reuse', () => {
    const tree = applyEach(emptyTree(), [
      PARENT,
      forkProcess({ time: at(1), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
      exit({ time: at(2), id: 2000, group: true }),
      forkProcess({ time: at(3), id: 9000, pid: 200, parentId: 1000, parentPid: 100 }),
    ]);

    it('processByPidAt answers by time: the newest holder started at or before t', () => {
      expect(processByPidAt(tree, 200, at(0.5))).toEqual(O.none);
      expect(O.map((p: ProcessInfo) => [p.entityId, p.isAlive])(processByPidAt(tree, 200, at(1.5)))).toEqual(O.some([2000, true]));
      expect(O.map((p: ProcessInfo) => [p.entityId, p.isAlive])(processByPidAt(tree, 200, at(2.5)))).toEqual(O.some([2000, false]));
      expect(entityIdOfPid(tree, 200, at(3))).toEqual(O.some(9000));
      expect(entityIdOfPid(tree, 200, at(30))).toEqual(O.some(9000));
      expect(entityIdOfPid(tree, 4242, at(30))).toEqual(O.none);
    });

    it('remembers at most maxIdsPerPid holders per pid (the oldest are forgotten)', () => {
      const recs: TreeRecord[] = [PARENT];
      for (let i = 0; i < 3; i++) {
        recs.push(forkProcess({ time: at(1 + i), id: 5000 + i, pid: 500, parentId: 1000, parentPid: 100 }));
        recs.push(exit({ time: at(1.5 + i), id: 5000 + i, group: true }));
      }
      const small = applyEach(emptyTree({ maxIdsPerPid: 2 }), recs);
      expect(small.pids.get(500)).toEqual([5001, 5002]);
      expect(entityIdOfPid(small, 500, at(1.2))).toEqual(O.none);
      expect(entityIdOfPid(small, 500, at(2.2))).toEqual(O.some(5001));
    });
  });

  describe('exit codes, raw and decoded', () => {
    it.each([
      ['exit(0)', 0, { status: 0, signal: 0, coreDumped: false }],
      ['exit(1)', 256, { status: 1, signal: 0, coreDumped: false }],
      ['exit(3)', 3 << 8, { status: 3, signal: 0, coreDumped: false }],
      ['SIGKILL', 9, { status: 0, signal: 9, coreDumped: false }],
      ['SIGSEGV with core', 0x80 | 11, { status: 0, signal: 11, coreDumped: true }],
    ])('%s: stored raw (%i), decodes to %j', (_name, raw, decoded) => {
      const tree = applyEach(emptyTree(), [
        PARENT,
        forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
        exit({ time: at(4), id: 2000, code: raw, group: true }),
      ]);
      const p = proc(tree, 2000, at(4));
      expect(p.exitCode).toBe(raw);
      expect(decodeExitCode(p.exitCode!)).toEqual(decoded);
      expect(thr(tree, 2000, at(4)).exitCode).toBe(raw);
      expect(proc(tree, 2000, at(4, -1)).exitCode).toBeUndefined(); // not yet exited at that time
    });
  });

  describe('eviction removes the links to the evicted entity', () => {
    const tree = applyEach(emptyTree(), [
      PARENT,
      forkProcess({ time: at(2), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
      forkThread({ time: at(3), id: 2001, tid: 201, leaderId: 2000, pid: 200, parentId: 1000, parentPid: 100 }),
    ]);

    it("a process: gone from the processes, its parent's children and the pid index", () => {
      const after = applyRecord(tree, evict(at(5), 'process', 2000));
      expect(processAt(after, 2000, at(5))).toEqual(O.none);
      expect(inSet(after.processes.get(1000)!.children, 2000)).toBeUndefined();
      expect(after.pids.get(200)).toBeUndefined();
      expect(processByPidAt(after, 200, at(5))).toEqual(O.none);
      expect(after.counters.evictedProcesses).toBe(1);
      expect(after.version).toBe(tree.version + 1);
      // threads live in their own LRU: still there
      expect(O.isSome(threadAt(after, 2001, at(5)))).toBe(true);
      // persistence: the tree before the eviction is untouched
      expect(proc(tree, 1000, at(5)).childProcessesIds).toEqual(new Map([[200, 2000]]));
    });

    it("a thread: gone from the threads and its leader's threads", () => {
      const after = applyRecord(tree, evict(at(5), 'thread', 2001));
      expect(threadAt(after, 2001, at(5))).toEqual(O.none);
      expect(inSet(after.processes.get(2000)!.threads, 2001)).toBeUndefined();
      expect(proc(after, 2000, at(5)).threadsIds).toEqual(new Map([[200, 2000]]));
      expect(after.counters.evictedThreads).toBe(1);
    });

    it('a reparented process is unlinked from both its spawn parent and its current parent', () => {
      const reparented = applyEach(tree, [
        procfs({ time: at(3.5), id: 1, pid: 1, startTime: at(0), name: 'init' }),
        exit({ time: at(4), id: 1000, group: true }),
        context({ time: at(4.5), threadId: 2000, parentId: 1, tid: 200, ppid: 1, name: 'bash' }),
      ]);
      expect(inSet(reparented.processes.get(1)!.children, 2000)).toBe(true);
      const after = applyRecord(reparented, evict(at(5), 'process', 2000));
      expect(inSet(after.processes.get(1)!.children, 2000)).toBeUndefined();
      expect(inSet(after.processes.get(1000)!.children, 2000)).toBeUndefined();
    });

    it('a process reparented twice is unlinked from every parent it had (spawn, intermediate, current)', () => {
      const twice = applyEach(tree, [
        procfs({ time: at(3.5), id: 1, pid: 1, startTime: at(0), name: 'init' }),
        procfs({ time: at(3.5), id: 50, pid: 5, parentId: 1, ppid: 1, startTime: at(0), name: 'subreaper' }),
        exit({ time: at(4), id: 1000, group: true }),
        context({ time: at(4.5), threadId: 2000, parentId: 50, tid: 200, ppid: 5, name: 'bash' }),
        exit({ time: at(5), id: 50, group: true }),
        context({ time: at(5.5), threadId: 2000, parentId: 1, tid: 200, ppid: 1, name: 'bash' }),
      ]);
      expect([1000, 50, 1].map((p) => inSet(twice.processes.get(p)!.children, 2000))).toEqual([true, true, true]);
      const after = applyRecord(twice, evict(at(6), 'process', 2000));
      expect([1000, 50, 1].map((p) => inSet(after.processes.get(p)!.children, 2000))).toEqual([undefined, undefined, undefined]);
    });

    it('evicting an unknown entity returns the identical tree', () => {
      expect(applyRecord(tree, evict(at(5), 'process', 4242))).toBe(tree);
      expect(applyRecord(tree, evict(at(5), 'thread', 4242))).toBe(tree);
    });

    it("lineage ends at an evicted parent (its id still held by the child) and the child's parent id stays", () => {
      const after = applyRecord(tree, evict(at(5), 'process', 1000));
      expect(lineagePids(after, 2000, at(5), 5)).toEqual([200]);
      expect(proc(after, 2000, at(5)).parentEntityId).toBe(1000);
    });
  });
});

// ── real event JSON lines (spec §1.3: bash 4208207516 forks ls 8370164, parent of bash 171899740) ──

const FORK_LINE =
  '{"timestamp":1696269602811305012,"threadStartTime":1696268543210987654,"processorId":3,"processId":1037836,"cgroupId":5650,"threadId":1037836,"parentProcessId":1037801,"hostProcessId":1037836,"hostThreadId":1037836,"hostParentProcessId":1037801,"userId":1000,"mountNamespace":4026531841,"pidNamespace":4026531836,"processName":"bash","executable":{"path":""},"hostName":"node-1","containerId":"","container":{},"kubernetes":{},"eventId":"712","eventName":"sched_process_fork","matchedPolicies":[""],"argsNum":20,"returnValue":0,"syscall":"clone","stackAddresses":null,"contextFlags":{"containerStarted":false,"isCompat":false},"threadEntityId":4208207516,"processEntityId":4208207516,"parentEntityId":171899740,"args":[{"name":"parent_tid","type":"int","value":1037836},{"name":"parent_ns_tid","type":"int","value":1037836},{"name":"parent_pid","type":"int","value":1037836},{"name":"parent_ns_pid","type":"int","value":1037836},{"name":"parent_start_time","type":"unsigned long","value":2543210987654},{"name":"child_tid","type":"int","value":1094692},{"name":"child_ns_tid","type":"int","value":1094692},{"name":"child_pid","type":"int","value":1094692},{"name":"child_ns_pid","type":"int","value":1094692},{"name":"start_time","type":"unsigned long","value":1696269602811296936}]}';
const EXEC_LINE =
  '{"timestamp":1696269602812004331,"threadStartTime":1696269602811296936,"processorId":5,"processId":1094692,"cgroupId":5650,"threadId":1094692,"parentProcessId":1037836,"hostProcessId":1094692,"hostThreadId":1094692,"hostParentProcessId":1037836,"userId":1000,"mountNamespace":4026531841,"pidNamespace":4026531836,"processName":"ls","executable":{"path":""},"hostName":"node-1","containerId":"","container":{},"kubernetes":{},"eventId":"713","eventName":"sched_process_exec","matchedPolicies":[""],"argsNum":15,"returnValue":0,"syscall":"execve","stackAddresses":null,"contextFlags":{"containerStarted":false,"isCompat":false},"threadEntityId":8370164,"processEntityId":8370164,"parentEntityId":4208207516,"args":[{"name":"cmdpath","type":"const char*","value":"/usr/bin/ls"},{"name":"pathname","type":"const char*","value":"/usr/bin/ls"},{"name":"dev","type":"dev_t","value":271581186},{"name":"inode","type":"unsigned long","value":1048901},{"name":"ctime","type":"unsigned long","value":1695135789123456789},{"name":"inode_mode","type":"umode_t","value":33261},{"name":"interpreter_pathname","type":"const char*","value":"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},{"name":"interpreter_dev","type":"dev_t","value":271581186},{"name":"interpreter_inode","type":"unsigned long","value":1049153},{"name":"interpreter_ctime","type":"unsigned long","value":1695135790000000000},{"name":"argv","type":"const char**","value":["ls","-la"]},{"name":"interp","type":"const char*","value":"/usr/bin/ls"},{"name":"stdin_type","type":"string","value":"S_IFCHR"},{"name":"stdin_path","type":"char*","value":"/dev/pts/3"},{"name":"invoked_from_kernel","type":"int","value":0},{"name":"env","type":"const char**","value":null}]}';
const EXIT_LINE =
  '{"timestamp":1696269602815870120,"threadStartTime":1696269602811296936,"processorId":5,"processId":1094692,"cgroupId":5650,"threadId":1094692,"parentProcessId":1037836,"hostProcessId":1094692,"hostThreadId":1094692,"hostParentProcessId":1037836,"userId":1000,"mountNamespace":4026531841,"pidNamespace":4026531836,"processName":"ls","executable":{"path":"/usr/bin/ls"},"hostName":"node-1","containerId":"","container":{},"kubernetes":{},"eventId":"714","eventName":"sched_process_exit","matchedPolicies":[""],"argsNum":2,"returnValue":0,"syscall":"exit_group","stackAddresses":null,"contextFlags":{"containerStarted":false,"isCompat":false},"threadEntityId":8370164,"processEntityId":8370164,"parentEntityId":4208207516,"args":[{"name":"exit_code","type":"long","value":0},{"name":"process_group_exit","type":"bool","value":true}]}';

// their signal twins (decision 7 layout: no task context, `timestamp` arg in ns since boot, boot = 1696266000000000000)
const arg = (name: string, type: string, value: string | number): string => `{"name":"${name}","type":"${type}","value":${typeof value === 'string' ? value : String(value)}}`;
const forkTask = (prefix: string, tid: number, start: number): string[] => [
  arg(`${prefix}tid`, 'int', tid),
  arg(`${prefix}ns_tid`, 'int', tid),
  arg(`${prefix}pid`, 'int', tid),
  arg(`${prefix}ns_pid`, 'int', tid),
  arg(prefix === 'child_' ? 'start_time' : `${prefix}start_time`, 'unsigned long', start),
];
const SIG_FORK_LINE = `{"timestamp":1696269602811306000,"eventId":"5002","eventName":"signal_sched_process_fork","args":[${[
  arg('timestamp', 'u64', 3602811306000),
  ...forkTask('parent_', 1037836, 2543210987654),
  ...forkTask('child_', 1094692, 3602811296936),
  ...forkTask('up_parent_', 1037836, 2543210987654),
  ...forkTask('leader_', 1094692, 3602811296936),
].join(',')}]}`;
const SIG_EXEC_LINE = `{"timestamp":1696269602812005000,"eventId":"5003","eventName":"signal_sched_process_exec","args":[${[
  arg('timestamp', 'u64', 3602812005000),
  arg('task_hash', 'u32', 8370164),
  arg('parent_hash', 'u32', 4208207516),
  arg('leader_hash', 'u32', 8370164),
  arg('cmdpath', 'const char*', '"/usr/bin/ls"'),
  arg('pathname', 'const char*', '"/usr/bin/ls"'),
  arg('dev', 'dev_t', 271581186),
  arg('inode', 'unsigned long', 1048901),
  arg('ctime', 'unsigned long', '1695135789123456789'),
  arg('inode_mode', 'umode_t', 33261),
  arg('interpreter_pathname', 'const char*', '"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"'),
  arg('interpreter_dev', 'dev_t', 271581186),
  arg('interpreter_inode', 'unsigned long', 1049153),
  arg('interpreter_ctime', 'unsigned long', '1695135790000000000'),
  arg('argv', 'const char**', '["ls","-la"]'),
  arg('interp', 'const char*', '"/usr/bin/ls"'),
  arg('stdin_type', 'string', '"S_IFCHR"'),
  arg('stdin_path', 'char*', '"/dev/pts/3"'),
  arg('invoked_from_kernel', 'int', 0),
].join(',')}]}`;
const SIG_EXIT_LINE = `{"timestamp":1696269602815871000,"eventId":"5004","eventName":"signal_sched_process_exit","args":[${[
  arg('timestamp', 'u64', 3602815871000),
  arg('task_hash', 'u32', 8370164),
  arg('parent_hash', 'u32', 4208207516),
  arg('leader_hash', 'u32', 8370164),
  arg('exit_code', 'long', 0),
  arg('process_group_exit', 'bool', 'true'),
].join(',')}]}`;

let lineNo = 0;
function parse(line: string): Envelope {
  const r = parseEventLine(line, { source: 'scenario', line: 1 }, { seq: lineNo++ });
  if (E.isLeft(r)) throw new Error(r.left);
  return r.right;
}

const BASH = 4208207516;
const BASH_PARENT = 171899740;
const LS = 8370164;
const T_FORK = 1696269602811305012n;
const T_EXEC = 1696269602812004331n;
const T_EXIT = 1696269602815870120n;

describe('spec §1.3 event lines through feedFromEnvelope / applyEnvelope', () => {
  const envs = [FORK_LINE, EXEC_LINE, EXIT_LINE].map(parse);
  const trees = envs.reduce<ProcessTree[]>((acc, e) => [...acc, applyEnvelope(acc[acc.length - 1]!, e, 'events')], [emptyTree()]);
  const tree = trees[3]!;

  it('the fork yields the forking task context, then the fork record with the reconstructed child id', () => {
    const { records, problem } = feedFromEnvelope(envs[0]!, 'events');
    expect(problem).toBeUndefined();
    expect(records.map((r) => r.kind)).toEqual(['context', 'fork']);
    const fork = records[1]!;
    expect(fork.kind === 'fork' && [fork.child.id, fork.leaderId, fork.parent.id, fork.child.startTime]).toEqual([
      LS,
      LS,
      BASH,
      1696269602811296936n,
    ]);
  });

  it('knows bash (from the context), its parent by reference, and ls with ids from the fork', () => {
    expect(proc(tree, BASH, T_FORK)).toMatchObject({ pid: 1037836, ppid: 1037801, parentEntityId: BASH_PARENT, startTime: 1696268543210987654n, name: 'bash', userId: 1000 });
    expect(proc(tree, BASH_PARENT, T_FORK)).toMatchObject({ placeholder: true, pid: 1037801 });
    expect(proc(tree, LS, T_FORK)).toMatchObject({ pid: 1094692, ppid: 1037836, parentEntityId: BASH, startTime: 1696269602811296936n, isAlive: true });
    expect(proc(tree, BASH, T_FORK).childProcessesIds).toEqual(new Map([[1094692, LS]]));
  });

  it('the exec is visible at its own timestamp (inclusive; the spec example shows the seed not seeing it yet)', () => {
    const p = proc(tree, LS, T_EXEC);
    expect(p.executionBinary).toMatchObject({ path: '/usr/bin/ls', inode: 1048901n, device: 271581186, ctime: 1695135789123456789n, mode: 33261 });
    expect(p.interpreter.path).toBe('/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
    expect(p.interpreter.ctime).toBe(1695135790000000000n);
    expect(p.interp.path).toBe('/usr/bin/ls');
    expect(p).toMatchObject({ cmd: ['ls', '-la'], name: 'ls', execTime: T_EXEC });
    expect(proc(tree, LS, T_EXEC - 1n).executionBinary.path).toBe(''); // bash's program is unknown (started before the capture)
    expect(proc(tree, LS, T_EXEC - 1n).name).toBe('bash');
  });

  it('the exit ends ls with code 0; its thread info is complete', () => {
    expect(proc(tree, LS, T_EXIT)).toMatchObject({ isAlive: false, exitTime: T_EXIT, exitCode: 0 });
    expect(proc(tree, LS, T_EXIT - 1n).isAlive).toBe(true);
    expect(thr(tree, LS, T_EXIT - 1n)).toMatchObject({ tid: 1094692, pid: 1094692, name: 'ls', userId: 1000, processEntityId: LS, isAlive: true });
  });

  it('lineage of ls: ls, bash, then bash’s parent known by reference', () => {
    expect(lineagePids(tree, LS, T_EXIT, 5)).toEqual([1094692, 1037836, 1037801]);
  });

  it('the exit event’s own context agrees with the tree: it changes nothing but the exit', () => {
    const { records } = feedFromEnvelope(envs[2]!, 'events');
    expect(records.map((r) => r.kind)).toEqual(['context', 'exit']);
    expect(applyRecord(trees[2]!, records[0]!)).toBe(trees[2]);
  });

  it('every old version still answers as it did (persistence)', () => {
    expect(processAt(trees[0]!, LS, T_EXIT)).toEqual(O.none);
    expect(proc(trees[1]!, LS, T_EXIT)).toMatchObject({ isAlive: true, execTime: 0n });
    expect(proc(trees[2]!, LS, T_EXIT)).toMatchObject({ isAlive: true, execTime: T_EXEC });
    expect(trees.map((t) => t.version)).toEqual([0, 2, 3, 4]);
  });
});

describe('source=both with the §1.3 lines and their signal twins', () => {
  const events = [FORK_LINE, EXEC_LINE, EXIT_LINE].map(parse);
  const signals = [SIG_FORK_LINE, SIG_EXEC_LINE, SIG_EXIT_LINE].map(parse);

  it('each signal repeats a change already applied: the identical tree, every time', () => {
    const builder = new TreeBuilder({ source: 'both' });
    for (let i = 0; i < 3; i++) {
      builder.applyEnvelope(events[i]!);
      const before = builder.tree;
      expect(builder.applyEnvelope(signals[i]!)).toBe(before);
    }
    expect(builder.stats.unusable).toBe(0);
    const eventsOnly = new TreeBuilder({ source: 'events' });
    events.forEach((e) => eventsOnly.applyEnvelope(e));
    expect(builder.tree.version).toBe(eventsOnly.tree.version);
    expect(builder.history.size).toBe(eventsOnly.history.size);
  });

  const signalsFirst = (): TreeBuilder => {
    const builder = new TreeBuilder({ source: 'both' });
    [signals[0]!, events[0]!, signals[1]!, events[1]!, signals[2]!, events[2]!].forEach((e) => builder.applyEnvelope(e));
    return builder;
  };

  it('signals first, events second: fork and exit applied once, the exit at the earlier (event) time', () => {
    const builder = signalsFirst();
    expect(proc(builder.tree, LS, T_EXIT + 10_000n)).toMatchObject({ pid: 1094692, parentEntityId: BASH, isAlive: false, exitTime: T_EXIT });
    expect(proc(builder.tree, LS, T_EXIT)).toMatchObject({ isAlive: false, exitCode: 0 });
    expect(proc(builder.tree, LS, 1696269602812005000n).executionBinary.path).toBe('/usr/bin/ls');
  });

  // A duplicate exec that turns out to be the earlier report (the signal, 669 ns later, arrived
  // first) moves the exec back to its time, as exits take the earliest report.
  it('signals first, events second: the exec is visible at the exec event’s own (earlier) timestamp', () => {
    const tree = signalsFirst().tree;
    expect(proc(tree, LS, T_EXEC).executionBinary.path).toBe('/usr/bin/ls');
    expect(proc(tree, LS, T_EXEC).name).toBe('ls');
    expect(proc(tree, LS, T_EXEC - 1n).executionBinary.path).not.toBe('/usr/bin/ls');
    expect(proc(tree, LS, T_EXEC).execTime).toBe(T_EXEC);
  });

  it('signals alone build the same process (exit stamped when the signal was received)', () => {
    const builder = new TreeBuilder({ source: 'signals' });
    [...events, ...signals].forEach((e) => builder.applyEnvelope(e)); // events are ignored under signals
    const p = proc(builder.tree, LS, 1696269602815871000n);
    expect(p).toMatchObject({ pid: 1094692, ppid: 1037836, parentEntityId: BASH, isAlive: false, exitTime: 1696269602815871000n, exitCode: 0 });
    expect(p.executionBinary.path).toBe('/usr/bin/ls');
    expect(proc(builder.tree, BASH, 1696269602815871000n)).toMatchObject({ pid: 1037836, startTime: 1696268543210987654n });
  });
});
