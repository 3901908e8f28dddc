import type { InputIssue } from '../../src/streams/types.js';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IssueFile, issueJson } from '../../src/cli/IssueFile.js';
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
    expect(out.lines[100]).toBe('… 150 more bad lines not shown (use --issues FILE to get every one)');
    expect(r.counts).toEqual({ error: 250, warning: 0 });
  });

  it('says which kinds were hidden, in the singular when there is one', () => {
    const out = new Collector();
    const r = new IssueReporter({ out, maxLines: 1 });
    r.report(issue(1));
    r.report(issue(2));
    r.report(issue(3, 'warning'));
    r.finish();
    expect(out.lines).toEqual(['cap.ndjson:1: invalid JSON', '… 1 more bad line and 1 more warning not shown (use --issues FILE to get every one)']);
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

describe('IssueReporter with --issues FILE', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prx-issues-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every issue (no cap) as NDJSON, while stderr keeps its cap and says where the rest are', () => {
    const out = new Collector();
    const path = join(dir, 'issues.ndjson');
    const r = new IssueReporter({ out, maxLines: 3, file: new IssueFile(path) });
    for (let i = 1; i <= 5000; i++) r.report(issue(i, i % 2 === 0 ? 'warning' : 'error'));
    expect(r.finish()).toBe(true);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5000);
    expect(JSON.parse(lines[4999]!)).toEqual({ file: 'cap.ndjson', line: 5000, severity: 'warning', reason: 'invalid JSON' });
    expect(out.lines).toHaveLength(4);
    expect(out.lines[3]).toBe(`… 2498 more bad lines and 2499 more warnings not shown (every one is in ${path})`);
  });

  it('late events: summarised in one stderr line, each one in the file', () => {
    const out = new Collector();
    const path = join(dir, 'late.ndjson');
    const r = new IssueReporter({ out, file: new IssueFile(path) });
    r.reportLate({ source: '<stdin>', line: 7 }, 5n);
    r.reportLate({ source: '<stdin>', line: 9 }, 1500n);
    r.reportLate({ source: '<stdin>', line: 12 }, 20n);
    r.finish();
    expect(out.lines).toEqual([
      'proctree-rx: warning: 3 events arrived after the reorder window had passed them (late by up to 1500 ns, first at <stdin>:7); delivered out of order',
    ]);
    expect(r.counts).toEqual({ error: 0, warning: 3 });
    expect(readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { file: '<stdin>', line: 7, severity: 'warning', reason: 'late by 5 ns' },
      { file: '<stdin>', line: 9, severity: 'warning', reason: 'late by 1500 ns' },
      { file: '<stdin>', line: 12, severity: 'warning', reason: 'late by 20 ns' },
    ]);
  });

  it('a file that cannot be written (/dev/full) is reported at the end and finish returns false', () => {
    const out = new Collector();
    const r = new IssueReporter({ out, file: new IssueFile('/dev/full') });
    r.report(issue(1));
    expect(r.finish()).toBe(false);
    expect(out.lines).toEqual(['cap.ndjson:1: invalid JSON', 'proctree-rx: cannot write --issues /dev/full: no space left on device (ENOSPC)']);
  });

  it('issueJson escapes control characters (the file is valid NDJSON whatever the reason holds)', () => {
    const line = issueJson({ origin: { source: 'a\nb', line: 0 }, reason: 'x\u001b[2J"', severity: 'error' });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ file: 'a\nb', line: 0, severity: 'error', reason: 'x\u001b[2J"' });
  });
});
