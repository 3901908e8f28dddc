import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { fromNdjson } from '../../src/streams/fromNdjson.js';
import { InputError, openInput, sourceName } from '../../src/streams/openInput.js';
import type { InputIssue } from '../../src/streams/types.js';
import { eventLine, FIXTURES, fixtureLines, readAll } from './ndjsonTestKit.js';

const T0 = 1795582946601880724n;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'proctree-rx-input-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openInput', () => {
  it("maps '-' to stdin", () => {
    expect(openInput('-')).toBe(process.stdin);
    expect(sourceName('-')).toBe('<stdin>');
    expect(sourceName('a.ndjson')).toBe('a.ndjson');
  });

  it('reads a file', async () => {
    const path = resolve(FIXTURES, 'interp.ndjson');
    const { envelopes, issues } = await readAll(openInput(path), { source: path });
    expect(issues).toEqual([]);
    expect(envelopes.map((e) => e.raw)).toEqual(fixtureLines('interp.ndjson'));
  });

  it('says clearly that a file is missing', () => {
    const missing = join(dir, 'nope.ndjson');
    expect(() => openInput(missing)).toThrow(new InputError(`cannot read ${missing}: no such file`, 'ENOENT'));
    try {
      openInput(missing);
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe('ENOENT');
    }
  });

  it('refuses a directory', () => {
    expect(() => openInput(dir)).toThrow(`cannot read ${dir}: is a directory`);
  });

  it('reads a FIFO written by another process', async () => {
    const fifo = join(dir, 'events.fifo');
    execFileSync('mkfifo', [fifo]);
    const lines = [eventLine(T0), eventLine(T0 + 1n), eventLine(T0 + 2n)];
    const writer = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(fifo)}, ${JSON.stringify(lines.join('\n') + '\n')})`], {
      stdio: 'inherit',
    });
    const { envelopes } = await readAll(openInput(fifo), { source: fifo });
    expect(envelopes.map((e) => e.raw)).toEqual(lines);
    expect(envelopes[0]!.origin).toEqual({ source: fifo, line: 1 });
    await new Promise((r) => writer.on('close', r));
  });

  it('can be unsubscribed early from a FIFO', async () => {
    const fifo = join(dir, 'endless.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `while :; do echo '${eventLine(T0)}'; done > ${fifo}`], { stdio: 'ignore' });
    const two = await lastValueFrom(fromNdjson(openInput(fifo), { source: fifo }).pipe(take(2), toArray()));
    expect(two.map((e) => e.seq)).toEqual([0, 1]);
    // the writer gets EPIPE/SIGPIPE once the reader is gone
    await new Promise((r) => writer.on('close', r));
  });
});

describe('fromNdjson over several paths', () => {
  it('reads inputs in order, each with its own source and line numbers, seq continuing', async () => {
    const a = join(dir, 'a.ndjson');
    const b = join(dir, 'b.ndjson');
    writeFileSync(a, `${eventLine(T0)}\nbroken\n${eventLine(T0 + 1n)}\n`);
    writeFileSync(b, `\n${eventLine(T0 + 2n)}\n`);
    const issues: InputIssue[] = [];
    const envelopes = await lastValueFrom(fromNdjson([a, b], { rank: 1, onIssue: (i) => issues.push(i) }).pipe(toArray()));
    expect(envelopes.map((e) => [e.origin.source, e.origin.line, e.seq, e.rank, e.timestamp])).toEqual([
      [a, 1, 0, 1, T0],
      [a, 3, 1, 1, T0 + 1n],
      [b, 2, 2, 1, T0 + 2n],
    ]);
    expect(issues.map((i) => [i.origin.source, i.origin.line])).toEqual([[a, 2]]);
  });

  it('completes on no inputs', async () => {
    expect(await lastValueFrom(fromNdjson([]).pipe(toArray()))).toEqual([]);
  });

  it('errors with the clear message when an input is missing (after the ones before it)', async () => {
    const a = join(dir, 'a.ndjson');
    writeFileSync(a, `${eventLine(T0)}\n`);
    const missing = join(dir, 'missing.ndjson');
    const seen: bigint[] = [];
    const error = await new Promise<Error>((resolveError) =>
      fromNdjson([a, missing]).subscribe({ next: (e) => seen.push(e.timestamp), error: resolveError, complete: () => resolveError(new Error('completed')) }),
    );
    expect(seen).toEqual([T0]);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`cannot read ${missing}: no such file`);
  });
});
