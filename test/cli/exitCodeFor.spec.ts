import { ExitCode, exitCodeFor } from '../../src/cli/exitCodeFor.js';

describe('exitCodeFor', () => {
  it.each([
    [{ failed: false, badLines: 0, strict: false }, 0],
    [{ failed: false, badLines: 5, strict: false }, 0],
    [{ failed: false, badLines: 0, strict: true }, 0],
    [{ failed: false, badLines: 5, strict: true }, 1],
    [{ failed: true, badLines: 0, strict: false }, 1],
    [{ failed: true, badLines: 5, strict: true }, 1],
  ])('%j → %d', (outcome, code) => {
    expect(exitCodeFor(outcome)).toBe(code);
  });

  it('usage is 2', () => {
    expect(ExitCode).toEqual({ ok: 0, failure: 1, usage: 2 });
  });
});
