import { formatIssue } from '../../src/cli/formatIssue.js';

describe('formatIssue', () => {
  it('error: FILE:LINE: reason', () => {
    expect(formatIssue({ origin: { source: 'cap.ndjson', line: 7 }, reason: 'invalid JSON: Unexpected token', severity: 'error' })).toBe(
      'cap.ndjson:7: invalid JSON: Unexpected token',
    );
  });

  it('warning: FILE:LINE: warning: reason', () => {
    expect(formatIssue({ origin: { source: '<stdin>', line: 12 }, reason: 'late event', severity: 'warning' })).toBe(
      '<stdin>:12: warning: late event',
    );
  });

  it('an unknown line (0) is left out', () => {
    expect(formatIssue({ origin: { source: 'sig.ndjson', line: 0 }, reason: 'truncated', severity: 'error' })).toBe('sig.ndjson: truncated');
  });
});

describe('formatIssue: control bytes from the input are escaped', () => {
  it('an escape sequence in the reason is shown, not sent to the terminal', () => {
    const line = formatIssue({ origin: { source: 'a', line: 1 }, reason: 'sched_process_exec\u001b[2J\u001b]0;pwned\u0007: bad', severity: 'warning' });
    expect(line).toBe('a:1: warning: sched_process_exec\\x1b[2J\\x1b]0;pwned\\x07: bad');
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('newlines, tabs, DEL, C1 and bidi overrides are escaped; the rest of the text is kept', () => {
    expect(formatIssue({ origin: { source: 'f\nx', line: 2 }, reason: 'a\tb\rc\u007fd\u009be\u202ef é', severity: 'error' })).toBe(
      'f\\nx:2: a\\tb\\rc\\x7fd\\x9be\\u202ef é',
    );
  });
});
