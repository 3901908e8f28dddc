import { internFile, interpFile, MAX_INTERNED_PATHS } from '../../src/tree/internFile.js';
import type { FileRecord } from '../../src/tree/records.js';

const file = (path: string, inode: bigint, ctime = 1672924848000000000n): FileRecord => ({ path, dev: 266338304, inode, ctime, mode: 33261 });

describe('internFile', () => {
  it('returns one shared record for files equal field by field', () => {
    const a = internFile(file('/usr/bin/intern-a', 77n));
    const b = internFile(file('/usr/bin/intern-a', 77n));
    expect(b).toBe(a);
    expect(b).toEqual(file('/usr/bin/intern-a', 77n));
  });

  it('keeps files apart that differ in any field (a replaced binary has a new inode or ctime)', () => {
    const a = internFile(file('/usr/bin/intern-b', 1n));
    const b = internFile(file('/usr/bin/intern-b', 2n));
    const c = internFile(file('/usr/bin/intern-b', 1n, 5n));
    const d = internFile({ ...file('/usr/bin/intern-b', 1n), mode: 33188 });
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(internFile(file('/usr/bin/intern-b', 2n))).toBe(b);
    expect(b.inode).toBe(2n);
  });

  it('passes undefined through and interns script interpreters by path', () => {
    expect(internFile(undefined)).toBeUndefined();
    expect(interpFile('/usr/bin/python3')).toBe(interpFile('/usr/bin/python3'));
    expect(interpFile('/usr/bin/python3')).toEqual({ path: '/usr/bin/python3', dev: 0, inode: 0n, ctime: 0n, mode: 0 });
  });

  it('stays bounded: past the limit the table starts over and still answers with equal records', () => {
    const first = internFile(file('/bound/0', 0n));
    for (let i = 1; i <= MAX_INTERNED_PATHS + 10; i++) internFile(file(`/bound/${i}`, BigInt(i)));
    const again = internFile(file('/bound/0', 0n));
    expect(again).toEqual(first);
    expect(internFile(file('/bound/0', 0n))).toBe(again);
  });
});
