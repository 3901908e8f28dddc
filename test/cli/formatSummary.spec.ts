import { formatSummary } from '../../src/cli/formatSummary.js';

describe('formatSummary', () => {
  it('the example line', () => {
    expect(formatSummary({ events: 174, lifecycle: 12, badLines: 0, late: 3, processes: 41, elapsedMs: 2.1 })).toBe(
      'proctree-rx: 174 events (12 lifecycle), 0 bad lines, 3 late, 41 processes, 2.1 ms',
    );
  });

  it('singulars, findings, no tree', () => {
    expect(formatSummary({ events: 1, lifecycle: 1, badLines: 1, late: 0, processes: 1, findings: 1, elapsedMs: 0.04 })).toBe(
      'proctree-rx: 1 event (1 lifecycle), 1 bad line, 0 late, 1 process, 1 finding, 0.0 ms',
    );
    expect(formatSummary({ events: 0, lifecycle: 0, badLines: 0, late: 0, findings: 2, elapsedMs: 5 })).toBe(
      'proctree-rx: 0 events (0 lifecycle), 0 bad lines, 0 late, 2 findings, 5.0 ms',
    );
  });

  it('signature errors after the findings, only when there were some', () => {
    expect(formatSummary({ events: 9, lifecycle: 2, badLines: 0, late: 0, processes: 3, findings: 2, signatureErrors: 1, elapsedMs: 5 })).toBe(
      'proctree-rx: 9 events (2 lifecycle), 0 bad lines, 0 late, 3 processes, 2 findings, 1 signature error, 5.0 ms',
    );
    expect(formatSummary({ events: 9, lifecycle: 2, badLines: 0, late: 0, findings: 0, signatureErrors: 3, elapsedMs: 5 })).toContain(', 0 findings, 3 signature errors, ');
    expect(formatSummary({ events: 9, lifecycle: 2, badLines: 0, late: 0, findings: 0, signatureErrors: 0, elapsedMs: 5 })).not.toContain('signature');
  });

  it.each([
    [999.94, '999.9 ms'],
    [1000, '1.00 s'],
    [3420, '3.42 s'],
    [125_300, '2 m 5.3 s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatSummary({ events: 0, lifecycle: 0, badLines: 0, late: 0, elapsedMs: ms }).endsWith(`, ${text}`)).toBe(true);
  });
});
