/**
 * The real /proc: spawns a small process tree with threads, scans, and compares with what the
 * kernel reports through ps(1), stat(1) and /proc read directly here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import { estimateBootEpochNs } from '../../src/bootstrap/estimateBootEpochNs.js';
import { readProcfsTask } from '../../src/bootstrap/readProcfsTask.js';
import { scanProcfs } from '../../src/bootstrap/scanProcfs.js';
import type { ProcfsScanStats } from '../../src/bootstrap/procfsTypes.js';
import { hashTaskId } from '../../src/streams/entityId.js';
import type { ProcfsTaskRecord } from '../../src/tree/records.js';

const SH_SCRIPT = 'sleep 30 & sleep 30 & wait';
const NODE_SCRIPT = `
const { Worker } = require('node:worker_threads');
const w = new Worker('setInterval(() => {}, 1000)', { eval: true });
w.on('online', () => console.log('ready'));
setInterval(() => {}, 1000);`;

/** Field 22 of a stat file, parsed here independently of the library. */
const startTicks = (file: string): bigint => {
  const text = fs.readFileSync(file, 'utf8');
  return BigInt(text.slice(text.lastIndexOf(')') + 2).split(' ')[19]!);
};
const children = (pid: number): number[] =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
const comm = (pid: number): string => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

interface PsRow {
  pid: number;
  tid: number;
  ppid: number;
  lstart: number;
}
const ps = (): PsRow[] =>
  execFileSync('ps', ['-eLo', 'pid=,tid=,ppid=,lstart='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const f = line.trim().split(/\s+/);
      return { pid: Number(f[0]), tid: Number(f[1]), ppid: Number(f[2]), lstart: Date.parse(f.slice(3, 8).join(' ')) };
    });

const until = async (what: string, ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 500; i++) {
    if (ok()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never became ready: ${what}`);
};

describe('scanProcfs on the host /proc', () => {
  let sh: ChildProcess;
  let node: ChildProcess;
  let sleeps: number[] = [];
  let records: ProcfsTaskRecord[] = [];
  let stats: ProcfsScanStats | undefined;
  let rows: PsRow[] = [];

  beforeAll(async () => {
    sh = spawn('sh', ['-c', SH_SCRIPT], { stdio: 'ignore' });
    node = spawn(process.execPath, ['-e', NODE_SCRIPT], { stdio: ['ignore', 'pipe', 'ignore'] });
    const ready = new Promise<void>((resolve) => node.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    await ready;
    await until('two sleeps', () => {
      sleeps = children(sh.pid!);
      return sleeps.length === 2 && sleeps.every((p) => comm(p) === 'sleep');
    });
    records = await lastValueFrom(scanProcfs({ onStats: (s) => (stats = s) }).pipe(toArray()));
    rows = ps();
  });

  afterAll(() => {
    for (const pid of sleeps) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    sh?.kill('SIGKILL');
    node?.kill('SIGKILL');
  });

  const group = (pid: number) => records.filter((r) => r.ids.pid === pid);
  const leader = (pid: number) => {
    const r = records.find((x) => x.ids.tid === pid);
    if (r === undefined) throw new Error(`no record for ${pid}`);
    return r;
  };

  it('counts every task ps sees, kernel threads included', () => {
    expect(stats!.tasks).toBe(records.length);
    expect(stats!.processes + stats!.threads).toBe(records.length);
    expect(stats!.kernelThreads).toBeGreaterThan(0);
    // ps ran after the scan: the children's tasks are stable, so they must match exactly.
    for (const pid of [sh.pid!, node.pid!, ...sleeps]) {
      expect(group(pid).map((r) => r.ids.tid).sort((a, b) => a - b)).toEqual(
        rows.filter((r) => r.pid === pid).map((r) => r.tid).sort((a, b) => a - b),
      );
    }
  });

  it('the node child has its worker thread(s), each with its own id and the leader as leaderId', () => {
    const tasks = group(node.pid!);
    expect(tasks.length).toBeGreaterThan(2);
    const lead = leader(node.pid!);
    for (const t of tasks) {
      const ticks = startTicks(`/proc/${node.pid}/task/${t.ids.tid}/stat`);
      expect(t.id).toBe(hashTaskId(t.ids.tid, ticks * 10_000_000n));
      expect(t.leaderId).toBe(lead.id);
      expect(t.parentId).toBe(lead.parentId);
      expect(t.isThread).toBe(t.ids.tid !== node.pid);
    }
  });

  it('ppid, parentId, entity id and start time agree with the kernel and ps', () => {
    for (const pid of [sh.pid!, node.pid!, ...sleeps]) {
      const r = leader(pid);
      const row = rows.find((x) => x.tid === pid)!;
      expect(r.ppid).toBe(row.ppid);
      expect(r.id).toBe(hashTaskId(pid, startTicks(`/proc/${pid}/stat`) * 10_000_000n));
      expect(r.parentId).toBe(hashTaskId(row.ppid, startTicks(`/proc/${row.ppid}/stat`) * 10_000_000n));
      // ps prints whole seconds (from btime): allow the second plus our boot estimate's error.
      expect(Math.abs(Number(r.startTime / 1_000_000n) - row.lstart)).toBeLessThan(2000);
    }
    for (const pid of sleeps) expect(leader(pid).parentId).toBe(leader(sh.pid!).id);
  });

  it('exe path, dev (major << 20 | minor), inode and argv match stat(1) and the spawn', () => {
    const sleepPath = fs.realpathSync(execFileSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).trim());
    const expectations: [number, string, string[]][] = [
      [node.pid!, fs.realpathSync(process.execPath), [process.execPath, '-e', NODE_SCRIPT]],
      ...sleeps.map((pid): [number, string, string[]] => [pid, sleepPath, ['sleep', '30']]),
      [sh.pid!, fs.realpathSync(fs.readlinkSync(`/proc/${sh.pid}/exe`)), ['sh', '-c', SH_SCRIPT]],
    ];
    for (const [pid, path, argv] of expectations) {
      const r = leader(pid);
      const [major, minor, inode] = execFileSync('stat', ['-Lc', '%Hd %Ld %i', path], { encoding: 'utf8' }).trim().split(' ').map(Number);
      expect(r.executable).toEqual(expect.objectContaining({ path, dev: major! * 2 ** 20 + minor!, inode: BigInt(inode!) }));
      expect(r.argv).toEqual(argv);
      expect(r.uid).toBe(process.getuid!());
      expect(r.zombie).toBe(false);
    }
  });

  it('readProcfsTask reads this very process like the scan, and the estimated boot puts it near its real start', () => {
    const boot = estimateBootEpochNs();
    const r = readProcfsTask('/proc', process.pid, undefined, { bootEpochNs: boot });
    expect(E.isRight(r)).toBe(true);
    const rec = E.isRight(r) ? r.right.record : undefined;
    expect(rec?.id).toBe(leader(process.pid).id);
    expect(rec?.ids.pid).toBe(process.pid);
    expect(rec?.ppid).toBe(process.ppid);
    const ageMs = Date.now() - Number(rec!.startTime / 1_000_000n);
    expect(ageMs).toBeGreaterThanOrEqual(-50);
    expect(ageMs).toBeLessThan(process.uptime() * 1000 + 100);
  });
});
