import * as fs from 'node:fs';
import { lastValueFrom, take, toArray } from 'rxjs';
import { nodeIo } from '../../src/bootstrap/internal/procfsReader.js';
import type { ProcfsIo, ProcfsIssue, ProcfsScanStats } from '../../src/bootstrap/procfsTypes.js';
import { scanProcfs, type ScanProcfsOptions } from '../../src/bootstrap/scanProcfs.js';
import type { ProcfsTaskRecord } from '../../src/tree/records.js';
import { BOOT, EXPECTED, expectedOf, FIXTURE_ROOT, now } from './fixture.js';

const scan = async (extra: Partial<ScanProcfsOptions> = {}) => {
  const issues: ProcfsIssue[] = [];
  let stats: ProcfsScanStats | undefined;
  const records = await lastValueFrom(
    scanProcfs({ root: FIXTURE_ROOT, bootEpochNs: BOOT, now, onIssue: (i) => issues.push(i), onStats: (s) => (stats = s), ...extra }).pipe(toArray()),
  );
  return { records, issues, stats };
};

const codeError = (code: string): Error => Object.assign(new Error(code), { code });

describe('scanProcfs (fixture procfs)', () => {
  it('emits every process and thread, exactly, parents first and each leader before its threads', async () => {
    const { records } = await scan();
    expect(records).toEqual(EXPECTED);
  });

  it('puts a same-tick parent with a larger pid before its child (pid wrap-around)', async () => {
    const pids = (await scan()).records.map((r) => r.ids.tid);
    expect(pids.indexOf(501)).toBeLessThan(pids.indexOf(50));
  });

  it('never emits a child before a parent that is emitted at all', async () => {
    const { records } = await scan();
    const seen = new Set<number>();
    for (const r of records) {
      if (records.some((p) => p.id === r.parentId)) expect(seen.has(r.parentId)).toBe(true);
      if (r.isThread) expect(seen.has(r.leaderId)).toBe(true);
      seen.add(r.id);
    }
  });

  it('counts vanished tasks, kernel threads and zombies, and reports every issue', async () => {
    const { stats, issues } = await scan();
    expect(stats).toEqual({ tasks: 15, processes: 12, threads: 3, vanished: 2, permissionDenied: 0, kernelThreads: 2, zombies: 1, errors: 0 });
    expect(issues.map((i) => [i.kind, i.pid, i.tid]).sort()).toEqual([
      ['vanished', 300, 303],
      ['vanished', 600, undefined],
      ['vanished', 999, undefined],
    ]);
  });

  it('an EACCES on exe keeps the task, without executable, and counts it', async () => {
    const io: ProcfsIo = {
      ...nodeIo,
      readlink: (p) => {
        if (p.endsWith('/100/exe')) throw codeError('EACCES');
        return nodeIo.readlink(p);
      },
    };
    const { records, stats, issues } = await scan({ io });
    expect(records.find((r) => r.ids.tid === 100)).toEqual({ ...expectedOf(100), executable: undefined });
    expect(stats?.permissionDenied).toBe(1);
    expect(stats?.tasks).toBe(15);
    expect(issues.filter((i) => i.kind === 'permission-denied').map((i) => i.path)).toEqual([`${FIXTURE_ROOT}/100/exe`]);
  });

  it('an ESRCH while reading a task counts it as vanished; other errors as errors', async () => {
    const io: ProcfsIo = {
      ...nodeIo,
      readFile: (p) => {
        if (p === `${FIXTURE_ROOT}/200/status`) throw codeError('ESRCH');
        if (p === `${FIXTURE_ROOT}/300/task/302/stat`) throw codeError('EIO');
        return nodeIo.readFile(p);
      },
    };
    const { records, stats } = await scan({ io });
    expect(records.map((r) => r.ids.tid)).not.toContain(200);
    expect(records.map((r) => r.ids.tid)).not.toContain(302);
    expect(stats).toEqual(expect.objectContaining({ tasks: 13, vanished: 3, errors: 1 }));
  });

  it('is cold: each subscription scans anew', async () => {
    const scan$ = scanProcfs({ root: FIXTURE_ROOT, bootEpochNs: BOOT, now });
    const [a, b] = await Promise.all([lastValueFrom(scan$.pipe(toArray())), lastValueFrom(scan$.pipe(toArray()))]);
    expect(a).toEqual(EXPECTED);
    expect(b).toEqual(EXPECTED);
  });

  it('yields to the event loop between slices', async () => {
    const order: string[] = [];
    const done = lastValueFrom(scanProcfs({ root: FIXTURE_ROOT, bootEpochNs: BOOT, now, sliceMs: 0 }).pipe(toArray())).then(() => order.push('scan done'));
    setImmediate(() => order.push('immediate'));
    await done;
    expect(order).toEqual(['immediate', 'scan done']);
  });

  it('stops reading when unsubscribed early', async () => {
    let reads = 0;
    const io: ProcfsIo = { ...nodeIo, readFile: (p) => (reads++, nodeIo.readFile(p)) };
    const first: ProcfsTaskRecord[] = await lastValueFrom(
      scanProcfs({ root: FIXTURE_ROOT, bootEpochNs: BOOT, now, io, sliceMs: 0 }).pipe(take(3), toArray()),
    );
    const afterTake = reads;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(first).toEqual(EXPECTED.slice(0, 3));
    expect(reads).toBe(afterTake);
  });

  it('errors when the root cannot be listed', async () => {
    await expect(lastValueFrom(scanProcfs({ root: '/nonexistent/proc', bootEpochNs: BOOT }))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('completes empty on a root without processes', async () => {
    const dir = fs.mkdtempSync('/tmp/procfs-empty-');
    try {
      let stats: ProcfsScanStats | undefined;
      const records = await lastValueFrom(scanProcfs({ root: dir, bootEpochNs: BOOT, onStats: (s) => (stats = s) }).pipe(toArray()));
      expect(records).toEqual([]);
      expect(stats?.tasks).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
