import type { InputIssue } from '../../src/streams/types.js';
import { IssueReporter } from '../../src/cli/IssueReporter.js';
import { Collector } from './support.js';

const issue = (line: number, severity: InputIssue['severity'] = 'error'): InputIssue => ({
  origin: { source: 'cap.ndjson', line },
  reason: 'invalid JSON',
  severity,
});

describe('IssueReporter', () => {
  it('prints each issue as a line and counts by severity', () => {
    const out = new Collector();
    const r = new IssueReporter({ out });
    r.report(issue(1));
    r.report(issue(2, 'warning'));
    r.finish();
    expect(out.lines).toEqual(['cap.ndjson:1: invalid JSON', 'cap.ndjson:2: warning: invalid JSON']);
    expect(r.counts).toEqual({ error: 1, warning: 1 });
  });

  it('nothing reported → nothing printed, zero counts', () => {
    const out = new Collector();
    const r = new IssueReporter({ out });
    r.finish();
    expect(out.text).toBe('');
    expect(r.counts).toEqual({ error: 0, warning: 0 });
  });

  it('caps printed lines at 100 by default but counts everything', () => {
    const out = new Collector();
    const r = new IssueReporter({ out });
    for (let i = 1; i <= 250; i++) r.report(issue(i));
    r.finish();
    expect(out.lines).toHaveLength(101);
    expect(out.lines[99]).toBe('cap.ndjson:100: invalid JSON');
    expect(out.lines[100]).toBe('… 150 more bad lines (use --stats for counts)');
    expect(r.counts).toEqual({ error: 250, warning: 0 });
  });

  it('says which kinds were hidden, in the singular when there is one', () => {
    const out = new Collector();
    const r = new IssueReporter({ out, maxLines: 1 });
    r.report(issue(1));
    r.report(issue(2));
    r.report(issue(3, 'warning'));
    r.finish();
    expect(out.lines).toEqual(['cap.ndjson:1: invalid JSON', '… 1 more bad line and 1 more warning (use --stats for counts)']);
  });

  it('with printWarnings false (--quiet) warnings are counted, not printed, and not announced as hidden', () => {
    const out = new Collector();
    const r = new IssueReporter({ out, printWarnings: false, maxLines: 1 });
    r.report(issue(1, 'warning'));
    r.report(issue(2));
    r.report(issue(3, 'warning'));
    r.finish();
    expect(out.lines).toEqual(['cap.ndjson:2: invalid JSON']);
    expect(r.counts).toEqual({ error: 1, warning: 2 });
  });

  it('report is bound (usable as a bare callback)', () => {
    const out = new Collector();
    const r = new IssueReporter({ out });
    [issue(1), issue(2)].forEach(r.report);
    expect(r.counts.error).toBe(2);
  });
});
