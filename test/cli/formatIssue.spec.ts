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
