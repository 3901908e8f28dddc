import * as E from 'fp-ts/lib/Either.js';
import { parseProcStatus } from '../../src/bootstrap/parseProcStatus.js';

const status = (extra: string): string =>
  `Name:\tmy app\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t500\nNgid:\t0\nPid:\t501\nPPid:\t300\nTracerPid:\t0\n` +
  `Uid:\t1000\t1001\t1002\t1003\nGid:\t50\t51\t52\t53\nFDSize:\t64\nGroups:\t\n${extra}Threads:\t2\n`;

describe('parseProcStatus', () => {
  it('reads the ids, real uid/gid and multi-value NS lines', () => {
    expect(parseProcStatus(status('NStgid:\t500\t1\nNSpid:\t501\t2\nNSpgid:\t500\t1\n'))).toEqual(
      E.right({ name: 'my app', tgid: 500, pid: 501, ppid: 300, nsPid: [501, 2], nsTgid: [500, 1], uid: 1000, gid: 50 }),
    );
  });

  it('falls back to Pid/Tgid without NS lines (kernels before 4.1)', () => {
    const r = parseProcStatus(status(''));
    expect(E.isRight(r) && [r.right.nsPid, r.right.nsTgid]).toEqual([[501], [500]]);
  });

  it('rejects a status without numeric ids', () => {
    expect(E.isLeft(parseProcStatus('Name:\tx\nPid:\tabc\nTgid:\t1\nPPid:\t0\n'))).toBe(true);
    expect(E.isLeft(parseProcStatus(''))).toBe(true);
  });
});
