import fc from 'fast-check';
import { editDistance } from '../../src/cli/editDistance.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['format', 'format', 0],
    ['fromat', 'format', 1],
    ['formt', 'format', 1],
    ['formats', 'format', 1],
    ['fornat', 'format', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ])('%j → %j = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('is symmetric, zero only on equal strings, and bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(editDistance(b, a)).toBe(d);
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});
