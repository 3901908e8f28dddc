import * as O from 'fp-ts/lib/Option.js';
import { applyRecord } from '../../src/tree/applyRecord.js';
import { MAX_ARGV_ELEMENTS, MAX_STRING_CHARS } from '../../src/tree/boundedStrings.js';
import { emptyTree } from '../../src/tree/model.js';
import { processAt } from '../../src/tree/queries.js';
import { at, exec, fileOf, forkProcess } from '../support/treeRecords.js';

describe('argv and paths kept within Tracee’s bounds (40 elements, 4096 chars), marked where cut', () => {
  const huge = 'A'.repeat(40_000);
  const argv = ['sh', huge, ...Array.from({ length: 100 }, (_, i) => `arg${i}`)];
  const base = applyRecord(emptyTree(), forkProcess({ time: at(1), id: 2000, pid: 200, parentId: 1000, parentPid: 100 }));
  const record = { ...exec({ time: at(2), id: 2000, path: '/usr/bin/sh' }), argv, executable: fileOf(`/usr/bin/${'p'.repeat(5000)}`) };
  const tree = applyRecord(base, record);
  const p = O.toUndefined(processAt(tree, 2000, at(3)))!;

  it('cuts argv to 40 elements plus a marker, and each string to 4096 chars plus a marker', () => {
    expect(p.cmd).toHaveLength(MAX_ARGV_ELEMENTS + 1);
    expect(p.cmd[0]).toBe('sh');
    expect(p.cmd[1]).toBe(`${'A'.repeat(MAX_STRING_CHARS)}…[+${40_000 - MAX_STRING_CHARS} chars]`);
    expect(p.cmd[MAX_ARGV_ELEMENTS]).toBe(`…[+${argv.length - MAX_ARGV_ELEMENTS} args]`);
    expect(p.executionBinary.path.endsWith(`…[+${5000 + 9 - MAX_STRING_CHARS} chars]`)).toBe(true);
  });

  it('a second report of the same huge exec is still recognised as a duplicate', () => {
    expect(applyRecord(tree, record)).toBe(tree);
  });

  it('an argv within the bounds is kept as it came (the same array)', () => {
    const small = ['ls', '-la'];
    const t2 = applyRecord(base, { ...exec({ time: at(2), id: 2000, path: '/usr/bin/ls' }), argv: small });
    expect(O.toUndefined(processAt(t2, 2000, at(3)))!.cmd).toBe(small);
  });
});
