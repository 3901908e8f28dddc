import { flat } from '../../src/tree/flatString.js';

describe('flat', () => {
  it('returns the same text for a rope, a flat string and the empty string', () => {
    let rope = '';
    for (let i = 0; i < 50; i++) rope += `"k${i}":${i * 7},`;
    const copy = rope.split('').join('');
    expect(flat(rope)).toBe(copy);
    expect(flat('abc')).toBe('abc');
    expect(flat('')).toBe('');
  });
});
