import { escapeControl } from '../../src/cli/escapeControl.js';

describe('escapeControl', () => {
  it('returns safe text unchanged (the same string)', () => {
    const text = 'sched_process_exec: argument "pid" is not a number — é 漢 \\x1b';
    expect(escapeControl(text)).toBe(text);
  });

  it('escapes every C0 control, DEL and C1 control', () => {
    for (let c = 0; c < 0xa0; c++) {
      if (c >= 0x20 && c < 0x7f) continue;
      const out = escapeControl(`<${String.fromCharCode(c)}>`);
      expect(out).toMatch(/^<\\(n|t|r|x[0-9a-f]{2})>$/);
    }
  });

  it('is stable when called twice in a row (no regex state carried over)', () => {
    expect(escapeControl('\u001b')).toBe('\\x1b');
    expect(escapeControl('\u001b')).toBe('\\x1b');
    expect(escapeControl('x\u2066y')).toBe('x\\u2066y');
  });
});
