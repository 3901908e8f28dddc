import * as E from 'fp-ts/lib/Either.js';
import { parseProcStat, PF_KTHREAD } from '../../src/bootstrap/parseProcStat.js';

const tail = 'S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 3 0 1234 0 0';

describe('parseProcStat', () => {
  it('reads pid, comm, state, ppid, flags, num_threads and starttime (field 22)', () => {
    expect(parseProcStat(`42 (bash) ${tail}\n`)).toEqual(
      E.right({ pid: 42, comm: 'bash', state: 'S', ppid: 1, flags: 4194560, numThreads: 3, startTicks: 1234n }),
    );
  });

  it.each([
    ['spaces', 'my app'],
    ['a closing parenthesis', 'a) b'],
    ['parentheses and a fake state', 'x) R 9 (y'],
    ['nothing', ''],
  ])('takes comm up to the last ")" when it contains %s', (_what, comm) => {
    const r = parseProcStat(`7 (${comm}) ${tail}`);
    expect(E.isRight(r) && r.right.comm).toBe(comm);
    expect(E.isRight(r) && r.right.startTicks).toBe(1234n);
  });

  it('keeps starttime exact above 2^53', () => {
    const r = parseProcStat(`7 (x) S 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 123456789012345678901 0 0`);
    expect(E.isRight(r) && r.right.startTicks).toBe(123456789012345678901n);
  });

  it('reads kernel thread flags', () => {
    const r = parseProcStat('2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 24 0 0');
    expect(E.isRight(r) && (r.right.flags & PF_KTHREAD) !== 0).toBe(true);
  });

  it.each([
    ['empty text', ''],
    ['no parentheses', '42 bash S 1'],
    ['a non-numeric pid', 'x (bash) S 1'],
    ['too few fields', '42 (bash) S 1 42 42 0 -1 0'],
    ['a non-numeric starttime', '42 (bash) S 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 abc 0'],
  ])('rejects %s', (_what, text) => {
    expect(E.isLeft(parseProcStat(text))).toBe(true);
  });
});
