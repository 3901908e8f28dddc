/**
 * Every release format's fixture (test/fixtures/tracee/releases/, written by
 * test/support/releaseLines.ts: `UPDATE_RELEASE_FIXTURES=1 npx jest releaseFormats` rewrites them)
 * is detected as its format, read the same on the parser thread and on the main thread, and its
 * lifecycle arguments are read whole.
 */
import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import { createEventReader, DETECTION_LINES, type FormatNotice } from '../../src/streams/eventReader.js';
import { fromNdjsonFile } from '../../src/streams/fromNdjsonFile.js';
import { envelopeParser } from '../../src/streams/ndjsonTransforms.js';
import { execArgs, exitArgs, forkArgs } from '../../src/streams/lifecycleArgs.js';
import { describeFormats, formatByName } from '../../src/streams/traceeFormat.js';
import { EVENT_HEAD_KEYS, headOf, type Envelope, type InputIssue } from '../../src/streams/types.js';
import { bothLines, eventLines, hasSignals, RELEASE_FORMATS, signalLines, type ReleaseFormat } from '../support/releaseLines.js';
import { FIXTURES, readAll } from './ndjsonTestKit.js';

export const RELEASES = join(FIXTURES, 'releases');
const file = (f: ReleaseFormat, kind: '' | '.signals' | '.both'): string => join(RELEASES, `${f}${kind}.ndjson`);
const content = (lines: readonly string[]): string => lines.join('\n') + '\n';

/** Every fixture file with the lines that make it. */
const FILES: readonly (readonly [ReleaseFormat, '' | '.signals' | '.both', () => string[]])[] = RELEASE_FORMATS.flatMap((f) => [
  [f, '', () => eventLines(f)] as const,
  ...(hasSignals(f) ? ([[f, '.signals', () => signalLines(f)] as const, [f, '.both', () => bothLines(f)] as const] as const) : []),
]);

const readLines = (path: string, format?: string): { envelopes: Envelope[]; issues: InputIssue[]; notices: FormatNotice[] } => {
  const issues: InputIssue[] = [];
  const notices: FormatNotice[] = [];
  const reader = createEventReader({ source: path, format: format === undefined ? undefined : formatByName(format), onIssue: (i) => issues.push(i), onFormat: (n) => notices.push(n) });
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const envelopes = lines.map((l, i) => {
    const r = reader.read(l, i + 1, i);
    if (E.isLeft(r)) throw new Error(`${path}:${i + 1}: ${r.left}`);
    return r.right;
  });
  reader.end(lines.length);
  return { envelopes, issues, notices };
};

describe('release fixtures', () => {
  it.each(FILES.map(([f, kind, make]) => [`${f}${kind}`, f, kind, make] as const))('%s.ndjson is what the generator writes', (_name, f, kind, make) => {
    const path = file(f, kind);
    if (process.env['UPDATE_RELEASE_FIXTURES'] === '1') writeFileSync(path, content(make()));
    expect(readFileSync(path, 'utf8')).toBe(content(make()));
  });
});

describe('format detection', () => {
  it.each(RELEASE_FORMATS)('%s events are detected as %s, once, with no warning', (f) => {
    const { notices, issues } = readLines(file(f, ''));
    expect(issues).toEqual([]);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.format).toBe(f);
    expect(notices[0]!.computedIds).toBe(['v0.11', 'v0.13', 'v0.15'].includes(f));
    // the first lines decide it: the fork (line 2), or the exec after it (line 3: v0.22.6 and v0.23 fork alike)
    expect(notices[0]!.line).toBeLessThanOrEqual(3);
  });

  it.each(RELEASE_FORMATS.filter(hasSignals))('%s: a stream of events and signals is its format too', (f) => {
    const { notices, issues } = readLines(file(f, '.both'));
    expect(issues).toEqual([]);
    expect(notices.map((n) => n.format)).toEqual([f]);
  });

  it('signal lines alone narrow the format as far as their layouts tell', () => {
    const seen = Object.fromEntries(RELEASE_FORMATS.filter(hasSignals).map((f) => [f, readLines(file(f, '.signals')).notices.map((n) => n.format)]));
    expect(seen).toEqual({
      'v0.18': ['v0.18–v0.20'],
      'v0.20': ['v0.18–v0.20'],
      'v0.22.0': ['v0.22.0–v0.22.6'],
      'v0.22.3': ['v0.22.0–v0.22.6'],
      'v0.22.6': ['v0.22.0–v0.22.6'],
      'v0.23': ['v0.23'],
      'v0.24': ['v0.24–main'],
      main: ['v0.24–main'],
    });
  });

  it('a stream that mixes formats is reported with the line that does not fit, and read on', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'prx-mixed-')), 'mixed.ndjson');
    writeFileSync(path, content([...eventLines('v0.18').slice(0, 3), ...eventLines('v0.24').slice(3)]));
    const { envelopes, issues, notices } = readLines(path);
    expect(envelopes).toHaveLength(8);
    expect(notices.map((n) => n.format)).toEqual(['v0.18']);
    expect(issues).toHaveLength(1);
    // once decided, only lifecycle lines are checked: line 4 (an openat) is not, line 5 (an exit) is
    expect(issues[0]).toMatchObject({ origin: { line: 5 }, severity: 'warning' });
    expect(issues[0]!.reason).toMatch(/v0\.24 format.*v0\.18 format/);
  });

  it('a stream whose lines never tell the releases apart is said as the range still possible, after DETECTION_LINES lines', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'prx-syscalls-')), 'syscalls.ndjson');
    const openat = eventLines('v0.18')[0]!;
    writeFileSync(path, content(Array.from({ length: DETECTION_LINES + 5 }, () => openat)));
    const { notices, issues } = readLines(path);
    expect(issues).toEqual([]);
    // keys say v0.18+, the entity-id rule says boot-relative: v0.18 to v0.22.5
    expect(notices).toEqual([expect.objectContaining({ format: 'v0.18–v0.22.3', line: DETECTION_LINES, computedIds: false })]);
  });

  it('--tracee-format forces the format: announced at once, nothing detected', () => {
    const { notices, envelopes } = readLines(file('v0.23', ''), 'v0.23');
    expect(notices).toEqual([expect.objectContaining({ format: 'v0.23', forced: true, line: 0 })]);
    expect(describeFormats(envelopes[0]!.format!.candidates)).toBe('v0.23');
  });
});

describe('reading each release', () => {
  it.each(RELEASE_FORMATS)('%s: fork, exec and exit arguments read whole, times exact, exit codes as raw wait status', (f) => {
    const { envelopes } = readLines(file(f, ''));
    const fork = envelopes.find((e) => headOf(e).eventName === 'sched_process_fork')!;
    const fa = forkArgs(fork);
    expect(E.isRight(fa) && fa.right.notes).toBeFalsy();
    // the child's start, whatever the encoding: since boot (v0.23 default), epoch ns, RFC3339 at UTC−3, decimal string
    const start = E.isRight(fa) ? fa.right.child.start : undefined;
    const epoch = start?.clock === 'epoch' ? start.ns : (start?.ns ?? 0n) + 1_764_230_000_123_456_789n;
    expect(epoch).toBe(1_764_230_000_123_456_789n + 10_000_000_456n - 1_000n);
    const exec = envelopes.find((e) => headOf(e).eventName === 'sched_process_exec')!;
    const ea = execArgs(exec);
    expect(E.isRight(ea) && ea.right).toMatchObject({ cmdpath: '/usr/bin/ls', argv: ['ls', '-la'], file: { path: '/usr/bin/ls', inode: 1835021n, ctime: 1_710_000_000_111_222_333n } });
    expect(E.isRight(ea) && ea.right.notes).toBeFalsy();
    const codes = envelopes.filter((e) => headOf(e).eventName === 'sched_process_exit').map((e) => exitArgs(e)).map((r) => (E.isRight(r) ? r.right.exitCode : -1));
    // exit(2), SIGKILL, exit(0)
    expect(codes).toEqual([512, 9, 0]);
  });

  it.each(FILES.map(([f, kind]) => `${f}${kind}`))('%s: the parser thread and the main thread give the same envelopes', async (name) => {
    const path = join(RELEASES, `${name}.ndjson`);
    const issues: InputIssue[] = [];
    const viaWorker = await lastValueFrom(fromNdjsonFile(path, { source: 't', batchLines: 3, onIssue: (i) => issues.push(i) }).pipe(toArray()));
    const viaStream = await readAll(createReadStream(path), {});
    const view = (e: Envelope) => ({ raw: e.raw, ts: e.timestamp, tst: e.threadStartTime, event: e.event, head: Object.fromEntries(EVENT_HEAD_KEYS.map((k) => [k, headOf(e)[k]])), pre: e.preparsed, candidates: e.format?.candidates });
    expect(viaWorker.map(view)).toEqual(viaStream.envelopes.map(view));
    expect(issues).toEqual(viaStream.issues);
  });
});

describe('envelopeParser (Node streams)', () => {
  it('detects the format as fromNdjson does', async () => {
    const notices: FormatNotice[] = [];
    const envelopes: Envelope[] = [];
    for await (const env of createReadStream(file('main', '')).pipe(envelopeParser({ source: 'm', onFormat: (n) => notices.push(n) }))) envelopes.push(env as Envelope);
    expect(notices.map((n) => n.format)).toEqual(['main']);
    expect(envelopes).toHaveLength(8);
    expect(describeFormats(envelopes[0]!.format!.candidates)).toBe('main');
    expect(headOf(envelopes[2]!).eventName).toBe('sched_process_exec');
  });
});
