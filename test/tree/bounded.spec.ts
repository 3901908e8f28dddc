/**
 * Months of churn in a few seconds: endless short-lived processes (and threads) with pid reuse
 * through a small-bounded builder. Everything it holds must stay within its bounds.
 */
import { hashTaskId } from '../../src/streams/entityId.js';
import type { ExitRecord, ForkRecord } from '../../src/tree/records.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { idsSize } from '../../src/tree/idSet.js';

const BOOT = 1_795_576_595_489_049_319n;

describe('TreeBuilder bounds under endless churn and pid reuse', () => {
  it('holds at most the configured processes, threads, versions and marks', () => {
    const builder = new TreeBuilder({ processCacheSize: 64, threadCacheSize: 128, history: { maxVersions: 16 } });
    const shell = { id: hashTaskId(100, 5_000_000_000n), pid: 100 };
    let t = BOOT + 10_000_000_000n;
    let peak = builder.footprint();
    for (let i = 0; i < 20_000; i++) {
      t += 20_000_000n; // 20 ms apart: every child gets a new entity id even when its pid is reused
      const pid = 1000 + (i % 50); // only 50 pids: reuse all the time
      const id = hashTaskId(pid, t - BOOT);
      const fork: ForkRecord = {
        kind: 'fork',
        source: 'event',
        time: t,
        child: { id, tid: pid, nsTid: pid, pid, nsPid: pid, startTime: t },
        leaderId: id,
        isThread: false,
        parent: { id: shell.id, pid: shell.pid, nsPid: shell.pid, tid: shell.pid, nsTid: shell.pid, startTime: BOOT + 5_000_000_000n },
        name: 'sh',
        uid: 0,
        containerId: undefined,
      };
      builder.applyRecord(fork);
      if (i % 3 === 0) {
        const tid = 60_000 + (i % 70);
        builder.applyRecord({ ...fork, time: t + 1n, child: { ...fork.child, id: hashTaskId(tid, t + 1n - BOOT), tid, nsTid: tid, startTime: t + 1n }, leaderId: id, isThread: true });
      }
      const exit: ExitRecord = { kind: 'exit', source: 'event', time: t + 5_000_000n, taskId: id, leaderId: id, exitCode: 0, groupExit: true };
      builder.applyRecord(exit);
      const f = builder.footprint();
      peak = {
        processes: Math.max(peak.processes, f.processes),
        threads: Math.max(peak.threads, f.threads),
        pids: Math.max(peak.pids, f.pids),
        versions: Math.max(peak.versions, f.versions),
        lruProcesses: Math.max(peak.lruProcesses, f.lruProcesses),
        lruThreads: Math.max(peak.lruThreads, f.lruThreads),
        storeEntries: Math.max(peak.storeEntries, f.storeEntries),
      };
    }
    expect(builder.stats.evictedProcesses).toBeGreaterThan(19_000);
    expect(peak.processes).toBeLessThanOrEqual(64);
    expect(peak.threads).toBeLessThanOrEqual(128);
    expect(peak.lruProcesses).toBeLessThanOrEqual(64);
    expect(peak.lruThreads).toBeLessThanOrEqual(128);
    expect(peak.versions).toBeLessThanOrEqual(16);
    expect(peak.pids).toBeLessThanOrEqual(51);
    // every version of every entity the store still reads: bounded by the retained versions, not the input
    expect(peak.storeEntries).toBeLessThanOrEqual(64 + 128 + 51 + 16 * 8);
    // the shell (touched by every fork, so never evicted) lists only children the tree still holds
    const shellNode = builder.tree.processes.get(shell.id);
    expect(shellNode).toBeDefined();
    expect(idsSize(shellNode!.children)).toBeLessThanOrEqual(64);
    expect(idsSize(shellNode!.liveChildren)).toBeLessThanOrEqual(64);
  });
});
