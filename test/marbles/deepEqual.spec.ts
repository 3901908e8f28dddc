import { deepEqual } from '../../marbles/deepEqual.js';
import { finding, marbleTest } from '../../marbles/index.js';

describe('deepEqual (the kit without a test framework)', () => {
  it('understands bigint, nested objects, arrays, maps, sets and matchers', () => {
    expect(deepEqual({ t: 1n, a: [1, { b: 2n }] }, { t: 1n, a: [1, { b: 2n }] })).toBe(true);
    expect(deepEqual({ t: 1n }, { t: 2n })).toBe(false);
    expect(deepEqual({ t: 1n, u: undefined }, { t: 1n })).toBe(true);
    expect(deepEqual(new Map([[1, 2n]]), new Map([[1, 2n]]))).toBe(true);
    expect(deepEqual(new Set([1]), new Set([2]))).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(deepEqual({ sig: 'X', event: 'e', pid: 1, tid: 1, comm: 'c', data: { n: 1n } }, finding('X', { data: { n: 1n } }))).toBe(true);
  });

  it('drives marbleTest with a custom assertion and reports mismatches', () => {
    const strict = (a: unknown, e: unknown): void => {
      if (!deepEqual(a, e)) throw new Error('mismatch');
    };
    expect(() => marbleTest(({ cold, expectObservable }) => expectObservable(cold('a|', { a: 1n })).toBe('a|', { a: 1n }), strict)).not.toThrow();
    expect(() => marbleTest(({ cold, expectObservable }) => expectObservable(cold('a|', { a: 1n })).toBe('a|', { a: 2n }), strict)).toThrow('mismatch');
  });
});
