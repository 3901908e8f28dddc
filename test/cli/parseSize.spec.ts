import * as E from 'fp-ts/lib/Either.js';
import { parseSize } from '../../src/cli/parseSize.js';

describe('parseSize', () => {
  it.each([
    ['0', 0],
    ['4096', 4096],
    ['10b', 10],
    ['512KiB', 512 * 1024],
    ['512k', 512 * 1024],
    ['64MiB', 64 * 1024 * 1024],
    ['64MB', 64 * 1024 * 1024],
    ['1g', 1024 ** 3],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseSize(text)).toEqual(E.right(bytes));
  });

  it.each(['', '64 MB', '-1', '1.5MiB', 'MiB', '2TiB', '1025g'])('refuses %j with an example', (text) => {
    const r = parseSize(text);
    expect(E.isLeft(r) && r.left).toMatch(/^invalid size ".*": (expected e\.g\. 64MiB|at most 1TiB)/);
  });
});
