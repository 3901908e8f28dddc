import { FileInterner } from '../../src/tree/store.js';
import { emptyTree } from '../../src/tree/model.js';
import type { FileRecord } from '../../src/tree/records.js';

const file = (path: string, inode: bigint, ctime = 1672924848000000000n): FileRecord => ({ path, dev: 266338304, inode, ctime, mode: 33261 });

describe('FileInterner (one per store)', () => {
  const interner = new FileInterner();
  const internFile = ((f: FileRecord | undefined) => interner.intern(f)) as { (f: FileRecord): FileRecord; (f: FileRecord | undefined): FileRecord | undefined };
  const MAX_INTERNED_PATHS = FileInterner.MAX_PATHS;

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

  it('passes undefined through', () => {
    expect(internFile(undefined)).toBeUndefined();
  });

  it('two trees never share a table: files interned by one are not returned by the other', () => {
    const a = new FileInterner();
    const b = new FileInterner();
    const fa = a.intern(file('/usr/bin/shared', 5n));
    const fb = b.intern(file('/usr/bin/shared', 5n));
    expect(fa).not.toBe(fb);
    expect(a.intern(file('/usr/bin/shared', 5n))).toBe(fa);
    expect(emptyTree().store.files).not.toBe(emptyTree().store.files);
  });

  it('stays bounded: past the limit the table starts over and still answers with equal records', () => {
    const first = internFile(file('/bound/0', 0n));
    for (let i = 1; i <= MAX_INTERNED_PATHS + 10; i++) internFile(file(`/bound/${i}`, BigInt(i)));
    const again = internFile(file('/bound/0', 0n));
    expect(again).toEqual(first);
    expect(internFile(file('/bound/0', 0n))).toBe(again);
  });
});
