/**
 * Where we differ from Tracee's plain LRU: exited entities leave first, live ones only beyond the
 * bound (missed exits), least recently active first, and never an ancestor while it has live
 * descendants. So the lineage of a live process stays complete however long the run.
 */
import * as O from 'fp-ts/lib/Option.js';
import { hashTaskId } from '../../src/streams/entityId.js';
import { lineageAt, processAt } from '../../src/tree/queries.js';
import type { ForkRecord } from '../../src/tree/records.js';
import { programTextChars, TreeBuilder } from '../../src/tree/treeBuilder.js';
import { at, context, exec, exit, forkProcess, procfs } from '../support/treeRecords.js';

const BOOT = 1_795_576_595_489_049_319n;

const fork = (t: bigint, pid: number, parent: { id: number; pid: number }): ForkRecord & { child: { id: number } } =>
  forkProcess({ time: t, id: hashTaskId(pid, t - BOOT), pid, parentId: parent.id, parentPid: parent.pid });

describe('eviction policy (TreeBuilder)', () => {
  it('a deep chain of idle ancestors above a shell that forks 100 k short-lived children keeps the lineage complete', () => {
    const builder = new TreeBuilder({ processCacheSize: 4096, threadCacheSize: 8192, history: { maxVersions: 1024 } });
    let t = BOOT + 1_000_000_000n;
    // init → systemd → sshd → sshd → bash (idle ancestors) → sh (the busy shell)
    const chain: { id: number; pid: number }[] = [{ id: hashTaskId(1, 0n), pid: 1 }];
    builder.applyRecord(procfs({ time: t, id: chain[0]!.id, pid: 1, nsPid: 1, startTime: BOOT, name: 'init' }));
    for (const pid of [300, 400, 401, 500, 600]) {
      t += 1_000_000n;
      const r = fork(t, pid, chain[chain.length - 1]!);
      builder.applyRecord(r);
      chain.push({ id: r.child.id, pid });
    }
    const shell = chain[chain.length - 1]!;
    let lastLive = 0;
    for (let i = 0; i < 100_000; i++) {
      t += 1_000_000n;
      const pid = 10_000 + (i % 20_000);
      const r = fork(t, pid, shell);
      builder.applyRecord(r);
      if (i === 99_999) lastLive = r.child.id;
      else builder.applyRecord(exit({ time: t + 500_000n, id: r.child.id, leaderId: r.child.id, group: true }));
    }
    expect(builder.stats.evictedProcesses).toBeGreaterThan(95_000);
    expect(builder.tree.processes.size).toBeLessThanOrEqual(4096);
    const lineage = lineageAt(builder.tree, lastLive, t, 10);
    expect(O.isSome(lineage)).toBe(true);
    expect(O.isSome(lineage) ? lineage.value.map((p) => p.pid) : []).toEqual([10_000 + (99_999 % 20_000), 600, 500, 401, 400, 300, 1]);
  });

  it('program text is bounded too: an exec storm of long argv evicts exited processes first, and counts only what each process holds of its own', () => {
    const builder = new TreeBuilder({ processCacheSize: 1000, processTextChars: 10_000 });
    const init = { id: hashTaskId(1, 0n), pid: 1 };
    builder.applyRecord(procfs({ time: at(1), id: init.id, pid: 1, nsPid: 1, startTime: BOOT, name: 'init' }));
    const arg = 'x'.repeat(1000);
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = at(10 + i * 3);
      const r = fork(t, 100 + i, init);
      builder.applyRecord(r);
      builder.applyRecord(exec({ time: t + 1n, id: r.child.id, path: '/usr/bin/long', argv: ['long', arg, arg], parentId: init.id }));
      // every third one stays alive
      if (i % 3 !== 0) builder.applyRecord(exit({ time: t + 2n, id: r.child.id, leaderId: r.child.id, group: true }));
      ids.push(r.child.id);
    }
    const now = builder.tree.time;
    const held = ids.filter((id) => O.isSome(processAt(builder.tree, id, now)));
    const text = held.reduce((n, id) => n + programTextChars(builder.tree.processes.get(id)!), 0);
    expect(text).toBeLessThanOrEqual(10_000);
    // 2 018 characters each (cmdpath + argv): 4 fit. The ten live ones are over the bound too, so
    // after every exited one the least recently active live ones left; the last one exited after
    // its exec had made room (nothing over the bound since)
    expect(held.map((id) => ids.indexOf(id))).toEqual([21, 24, 27, 29]);
    expect(builder.stats.evictedProcesses).toBe(26);
    // a forked child shares its parent's program (inherited): it adds nothing
    const parent = builder.tree.processes.get(held[held.length - 1]!)!;
    const child = fork(at(200), 999, { id: parent.id, pid: parent.pid });
    builder.applyRecord(child);
    expect(programTextChars(builder.tree.processes.get(child.child.id)!)).toBe(0);
  });

  it('exited entities leave before live ones, whatever their recency', () => {
    const builder = new TreeBuilder({ processCacheSize: 3, threadCacheSize: 3 });
    builder.applyRecord(procfs({ time: at(1), id: 11, pid: 1, startTime: at(0), name: 'live-old' }));
    builder.applyRecord(procfs({ time: at(2), id: 22, pid: 2, startTime: at(0), name: 'exits' }));
    builder.applyRecord(exit({ time: at(3), id: 22, group: true }));
    builder.applyRecord(procfs({ time: at(4), id: 33, pid: 3, startTime: at(0), name: 'live' }));
    builder.applyRecord(procfs({ time: at(5), id: 44, pid: 4, startTime: at(0), name: 'live-new' }));
    const now = builder.tree.time;
    expect(processAt(builder.tree, 22, now)).toEqual(O.none); // exited more recently than 11 was used, still first out
    for (const id of [11, 33, 44]) expect(O.isSome(processAt(builder.tree, id, now))).toBe(true);
  });

  it('an exited parent with a live child is held until the child is gone, then it can leave', () => {
    const builder = new TreeBuilder({ processCacheSize: 3, threadCacheSize: 8 });
    builder.applyRecord(procfs({ time: at(1), id: 11, pid: 10, startTime: at(0), name: 'parent' }));
    builder.applyRecord(forkProcess({ time: at(2), id: 22, pid: 20, parentId: 11, parentPid: 10 }));
    builder.applyRecord(exit({ time: at(3), id: 11, group: true })); // the parent exits, the child lives (a daemon)
    builder.applyRecord(procfs({ time: at(4), id: 33, pid: 30, startTime: at(0), name: 'other' }));
    // the child is active again: 33 is now the least recently active live process
    builder.applyRecord(context({ time: at(4.5), threadId: 22, tid: 20, name: 'child', parentId: 11, ppid: 10 }));
    builder.applyRecord(procfs({ time: at(4.6), id: 44, pid: 40, startTime: at(0), name: 'over' })); // over the bound
    let now = builder.tree.time;
    expect(O.isSome(processAt(builder.tree, 11, now))).toBe(true); // held: lineage of 22 goes through it
    expect(processAt(builder.tree, 33, now)).toEqual(O.none); // live but least recently active: out first
    expect(lineageAt(builder.tree, 22, now, 5)).toMatchObject({ value: [{ entityId: 22 }, { entityId: 11 }] });
    builder.applyRecord(exit({ time: at(5), id: 22, group: true }));
    builder.applyRecord(procfs({ time: at(6), id: 55, pid: 50, startTime: at(0), name: 'more' }));
    builder.applyRecord(procfs({ time: at(7), id: 66, pid: 60, startTime: at(0), name: 'more' }));
    now = builder.tree.time;
    expect(processAt(builder.tree, 11, now)).toEqual(O.none);
    expect(builder.tree.processes.size).toBeLessThanOrEqual(3);
  });

  it('with one retained version, reports the last state of every entity it evicts (onEvicted), as many as it counts', () => {
    const left: { kind: string; id: number; exited: boolean }[] = [];
    const builder = new TreeBuilder({
      processCacheSize: 8,
      threadCacheSize: 8,
      history: { maxVersions: 1 },
      onEvicted: (node) => left.push({ kind: node.kind, id: node.id, exited: node.exitTime !== undefined }),
    });
    const init = { id: hashTaskId(1, 0n), pid: 1 };
    let t = BOOT + 1_000_000_000n;
    builder.applyRecord(procfs({ time: t, id: init.id, pid: 1, nsPid: 1, startTime: BOOT, name: 'init' }));
    for (let i = 0; i < 200; i++) {
      t += 1_000_000n;
      const r = fork(t, 1000 + i, init);
      builder.applyRecord(r);
      builder.applyRecord(exit({ time: t + 500_000n, id: r.child.id, leaderId: r.child.id, group: true }));
    }
    expect(builder.stats.evictedProcesses).toBeGreaterThan(150);
    expect(left.filter((x) => x.kind === 'process')).toHaveLength(builder.stats.evictedProcesses);
    expect(left.filter((x) => x.kind === 'thread')).toHaveLength(builder.stats.evictedThreads);
    // exited ones leave (init stays: it is alive); none is reported twice
    expect(left.every((x) => x.exited)).toBe(true);
    expect(new Set(left.map((x) => `${x.kind}:${x.id}`)).size).toBe(left.length);
    expect(O.isSome(processAt(builder.tree, init.id, builder.tree.time))).toBe(true);
  });

  it('the evictions a change causes are part of its version: one version per change, the one before still holds what left', () => {
    const builder = new TreeBuilder({ processCacheSize: 4, threadCacheSize: 1000, history: { maxVersions: 1000 } });
    const init = { id: hashTaskId(1, 0n), pid: 1 };
    let t = BOOT + 1_000_000_000n;
    builder.applyRecord(procfs({ time: t, id: init.id, pid: 1, nsPid: 1, startTime: BOOT, name: 'init' }));
    const exited: number[] = [];
    // fill the bound: init and three children, the first of them exited
    for (let i = 0; i < 3; i++) {
      t += 1_000_000n;
      const r = fork(t, 100 + i, init);
      builder.applyRecord(r);
      if (i === 0) {
        builder.applyRecord(exit({ time: t + 1n, id: r.child.id, leaderId: r.child.id, group: true }));
        exited.push(r.child.id);
      }
    }
    const before = builder.tree;
    expect(before.processes.size).toBe(4);
    t += 1_000_000n;
    const r = fork(t, 200, init);
    const after = builder.applyRecord(r);
    // one new version: the child is in, the exited process is out, in the same version
    expect(after.version).toBe(before.version + 1);
    expect(after.processes.has(r.child.id)).toBe(true);
    expect(after.processes.has(exited[0]!)).toBe(false);
    expect(after.processes.size).toBe(4);
    expect(builder.stats.evictedProcesses).toBe(1);
    // the snapshot before the change still answers with it (and without the new child)
    expect(before.processes.has(exited[0]!)).toBe(true);
    expect(before.processes.has(r.child.id)).toBe(false);
    expect(builder.history.at(t - 1n).version).toBe(before.version);
    expect(builder.history.at(t).version).toBe(after.version);
  });
});
