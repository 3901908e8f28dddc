/** Helpers for the checked-in fixture procfs tree (test/fixtures/procfs, built by make-fixture.mjs). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashTaskId } from '../../src/streams/entityId.js';
import type { FileRecord, ProcfsTaskRecord } from '../../src/tree/records.js';

/** The fixture's file system; `proc/` is its procfs root. */
export const FIXTURE_FS = path.resolve(__dirname, '../fixtures/procfs');
export const FIXTURE_ROOT = path.join(FIXTURE_FS, 'proc');
export const BOOT = 1_700_000_000_000_000_000n;
export const NOW = 1_700_000_100_000_000_000n;
export const now = (): bigint => NOW;

/** Tracee's procfs id, computed here independently: H(tid, ticks × 1e9 / 100). */
export const idOf = (tid: number, ticks: number): number => hashTaskId(tid, BigInt(ticks) * 10_000_000n);

/** An executable of the fixture as stat(2) reports it, dev in the kernel's `major << 20 | minor`. */
export const exeOf = (rel: string): FileRecord => {
  const st = fs.statSync(path.join(FIXTURE_FS, rel), { bigint: true });
  const major = Number((st.dev >> 8n) & 0xfffn);
  const minor = Number((st.dev & 0xffn) | ((st.dev >> 12n) & 0xfff00n));
  return { path: `/${rel}`, dev: major * 2 ** 20 + minor, inode: st.ino, ctime: st.ctimeNs, mode: Number(st.mode) };
};

/** A process record with the fixture's defaults. */
export const rec = (r: Partial<ProcfsTaskRecord> & Pick<ProcfsTaskRecord, 'id' | 'ids' | 'ppid' | 'name'> & { ticks: number }): ProcfsTaskRecord => {
  const { ticks, ...rest } = r;
  return {
    kind: 'procfs',
    source: 'procfs',
    time: NOW,
    leaderId: r.id,
    parentId: 0,
    nsPpid: undefined,
    startTime: BOOT + BigInt(ticks) * 10_000_000n,
    uid: 0,
    gid: 0,
    executable: undefined,
    argv: undefined,
    isThread: false,
    zombie: false,
    ...rest,
  };
};

const one = (pid: number, nsPid = pid) => ({ tid: pid, nsTid: nsPid, pid, nsPid });

/** Every record the fixture holds, in the order a scan emits them (parents first, leader then threads). */
export const EXPECTED: readonly ProcfsTaskRecord[] = [
  rec({ id: idOf(1, 2), ticks: 2, ids: one(1), ppid: 0, nsPpid: 0, name: 'systemd', executable: exeOf('sbin/init'), argv: ['/sbin/init', 'splash'] }),
  rec({ id: idOf(2, 2), ticks: 2, ids: one(2), ppid: 0, nsPpid: 0, name: 'kthreadd' }),
  rec({ id: idOf(12, 3), ticks: 3, ids: one(12), ppid: 2, nsPpid: 2, parentId: idOf(2, 2), name: 'kworker/0:1H' }),
  rec({
    id: idOf(100, 1000), ticks: 1000, ids: one(100), ppid: 1, nsPpid: 1, parentId: idOf(1, 2), name: 'bash', uid: 1000, gid: 1000,
    executable: exeOf('usr/bin/bash'), argv: ['-bash'],
  }),
  rec({
    id: idOf(200, 1500), ticks: 1500, ids: one(200), ppid: 100, nsPpid: 100, parentId: idOf(100, 1000), name: 'my app) (x', uid: 1000, gid: 1000,
    executable: exeOf('usr/bin/my app'), argv: ['./my app', '--flag', ''],
  }),
  rec({
    id: idOf(300, 2000), ticks: 2000, ids: one(300), ppid: 100, nsPpid: 100, parentId: idOf(100, 1000), name: 'node', uid: 1000, gid: 1000,
    executable: exeOf('usr/bin/node'), argv: ['node', 'server.js'],
  }),
  rec({
    id: idOf(301, 2001), leaderId: idOf(300, 2000), ticks: 2001, ids: { tid: 301, nsTid: 301, pid: 300, nsPid: 300 }, ppid: 100, nsPpid: 100,
    parentId: idOf(100, 1000), name: 'node', uid: 1000, gid: 1000, executable: exeOf('usr/bin/node'), argv: ['node', 'server.js'], isThread: true,
  }),
  rec({
    id: idOf(302, 2500), leaderId: idOf(300, 2000), ticks: 2500, ids: { tid: 302, nsTid: 302, pid: 300, nsPid: 300 }, ppid: 100, nsPpid: 100,
    parentId: idOf(100, 1000), name: 'libuv-worker', uid: 1000, gid: 1000, executable: exeOf('usr/bin/node'), argv: ['node', 'server.js'], isThread: true,
  }),
  rec({
    id: idOf(400, 2600), ticks: 2600, ids: one(400), ppid: 300, nsPpid: 300, parentId: idOf(300, 2000), name: 'sleep', uid: 1000, gid: 1000, zombie: true,
  }),
  rec({
    id: idOf(500, 3000), ticks: 3000, ids: one(500, 1), ppid: 300, nsPpid: 0, parentId: idOf(300, 2000), name: 'sh',
    executable: exeOf('bin/busybox'), argv: ['sh'],
  }),
  rec({
    id: idOf(501, 3100), ticks: 3100, ids: one(501, 7), ppid: 500, nsPpid: 1, parentId: idOf(500, 3000), name: 'sleep',
    executable: exeOf('bin/busybox'), argv: ['sleep', '1000'],
  }),
  rec({
    id: idOf(50, 3100), ticks: 3100, ids: one(50, 8), ppid: 501, nsPpid: 7, parentId: idOf(501, 3100), name: 'top',
    executable: exeOf('bin/busybox'), argv: ['top'],
  }),
  rec({
    id: idOf(800, 4000), ticks: 4000, ids: one(800), ppid: 999, name: 'orphan', uid: 1000, gid: 50,
    executable: exeOf('usr/bin/bash'), argv: ['bash', '-c', 'x'],
  }),
  rec({ id: idOf(900, 5000), ticks: 5000, ids: one(900), ppid: 100, nsPpid: 100, parentId: idOf(100, 1000), name: 'java', uid: 1000, gid: 1000 }),
  rec({
    id: idOf(901, 5001), leaderId: idOf(900, 5000), ticks: 5001, ids: { tid: 901, nsTid: 901, pid: 900, nsPid: 900 }, ppid: 100, nsPpid: 100,
    parentId: idOf(100, 1000), name: 'worker', uid: 1000, gid: 1000, executable: exeOf('usr/bin/node'), argv: ['java', '-jar', 'x.jar'], isThread: true,
  }),
];

/** The expected record of a task. */
export const expectedOf = (tid: number): ProcfsTaskRecord => {
  const r = EXPECTED.find((e) => e.ids.tid === tid);
  if (r === undefined) throw new Error(`no expected record for ${tid}`);
  return r;
};
