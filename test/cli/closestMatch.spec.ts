import { closestMatch } from '../../src/cli/closestMatch.js';

const OPTIONS = ['format', 'at', 'signals', 'signatures', 'stats', 'strict', 'quiet'];

describe('closestMatch', () => {
  it.each([
    ['fromat', 'format'],
    ['formt', 'format'],
    ['signal', 'signals'],
    ['signaturs', 'signatures'],
    ['stat', 'stats'],
    ['quite', 'quiet'],
    ['format', 'format'],
  ])('%s → %s', (input, expected) => {
    expect(closestMatch(input, OPTIONS)).toBe(expected);
  });

  it.each(['xyz', 'verbose', 'output', ''])('%j has no plausible match', (input) => {
    expect(closestMatch(input, OPTIONS)).toBeUndefined();
  });

  it('short words allow one edit only', () => {
    expect(closestMatch('ab', ['at'])).toBe('at');
    expect(closestMatch('xy', ['at'])).toBeUndefined();
  });

  it('ties go to the earlier candidate', () => {
    expect(closestMatch('stax', ['stay', 'stab'])).toBe('stay');
  });

  it('no candidates → undefined', () => {
    expect(closestMatch('format', [])).toBeUndefined();
  });
});
