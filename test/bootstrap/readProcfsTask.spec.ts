import * as E from 'fp-ts/lib/Either.js';
import { readProcfsTask } from '../../src/bootstrap/readProcfsTask.js';
import type { ProcfsIssue } from '../../src/bootstrap/procfsTypes.js';
import { BOOT, expectedOf, FIXTURE_ROOT, now } from './fixture.js';

const opts = { bootEpochNs: BOOT, now };

const read = (pid: number, tid?: number) => {
  const issues: ProcfsIssue[] = [];
  const r = readProcfsTask(FIXTURE_ROOT, pid, tid, { ...opts, onIssue: (i) => issues.push(i) });
  return { r, issues };
};

describe('readProcfsTask (fixture procfs)', () => {
  it.each([1, 2, 12, 100, 200, 300, 400, 500, 501, 50])('process %d: the exact record', (pid) => {
    const { r, issues } = read(pid);
    expect(r).toEqual(E.right(expect.objectContaining({ record: expectedOf(pid), issues: [] })));
    expect(issues).toEqual([]);
  });

  it.each([301, 302])('thread %d of 300: leaderId, parent of the group, shared program', (tid) => {
    const { r } = read(300, tid);
    expect(E.isRight(r) && r.right.record).toEqual(expectedOf(tid));
  });

  it('a leader that exited alone is not a zombie process, and its live thread has its own exe', () => {
    const leader = read(900).r;
    const thread = read(900, 901).r;
    expect(E.isRight(leader) && leader.right.record).toEqual(expectedOf(900));
    expect(E.isRight(thread) && thread.right.record).toEqual(expectedOf(901));
  });

  it('reads a leader the same through tid === pid', () => {
    expect(read(300, 300).r).toEqual(read(300).r);
  });

  it('flags kernel threads, not user processes', () => {
    const kernel = [2, 12].map((pid) => read(pid).r);
    const user = [1, 100, 400].map((pid) => read(pid).r);
    expect(kernel.map((r) => E.isRight(r) && r.right.kernelThread)).toEqual([true, true]);
    expect(user.map((r) => E.isRight(r) && r.right.kernelThread)).toEqual([false, false, false]);
  });

  it('parses comm with spaces and ")" from the last ")"', () => {
    const { r } = read(200);
    expect(E.isRight(r) && r.right.record.name).toBe('my app) (x');
  });

  it('a vanished process or thread is a "vanished" issue, not a throw', () => {
    for (const [pid, tid] of [[600, undefined], [300, 303], [4242, undefined]] as const) {
      const { r, issues } = read(pid, tid);
      expect(E.isLeft(r) && r.left.kind).toBe('vanished');
      expect(issues).toHaveLength(1);
    }
  });

  it('an unreadable parent leaves parentId 0 and nsPpid undefined, with an issue', () => {
    const { r, issues } = read(800);
    expect(E.isRight(r) && r.right.record).toEqual(expectedOf(800));
    expect(issues.map((i) => i.kind)).toEqual(['vanished']);
  });

  it('refuses a tid read as a process (its status says another thread group)', () => {
    const r = readProcfsTask(FIXTURE_ROOT, 300, 301, opts);
    expect(E.isRight(r)).toBe(true);
    const wrong = readProcfsTask(FIXTURE_ROOT, 100, 301, opts);
    expect(E.isLeft(wrong) && wrong.left.kind).toBe('vanished');
  });

  it('uses the configured CLK_TCK for ids and start times', () => {
    const r = readProcfsTask(FIXTURE_ROOT, 100, undefined, { ...opts, clockTicks: 250 });
    expect(E.isRight(r) && r.right.record.startTime).toBe(BOOT + 1000n * 4_000_000n);
  });
});
