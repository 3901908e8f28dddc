/** `fromNdjson`, the one way in: a path, several paths, `-`, a stream; one error type. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { fromNdjson } from '../../src/streams/fromNdjson.js';
import { InputError } from '../../src/streams/InputError.js';
import { LineEnvelope } from '../../src/streams/lineEnvelope.js';
import { FIXTURES } from '../support/fixtures.js';

const path = join(FIXTURES, 'threads.ndjson');
const text = readFileSync(path, 'utf8');
const lineCount = text.split('\n').filter((l) => l.trim() !== '').length;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fromNdjson-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fromNdjson inputs', () => {
  it('a regular file is read on the parser thread; a stream of the same bytes gives the same envelopes', async () => {
    const fromFile = await lastValueFrom(fromNdjson(path).pipe(toArray()));
    const fromStream = await lastValueFrom(fromNdjson(Readable.from([text]), { source: path }).pipe(toArray()));
    expect(fromFile).toHaveLength(lineCount);
    expect(fromFile.every((e) => e instanceof LineEnvelope)).toBe(true);
    expect(fromStream.some((e) => e instanceof LineEnvelope)).toBe(false);
    const key = (e: (typeof fromFile)[number]) => [e.raw, e.timestamp, e.threadStartTime, e.origin, e.seq, e.rank];
    expect(fromFile.map(key)).toEqual(fromStream.map(key));
  });

  it('parserThread: false reads a file on the main thread, with the same result', async () => {
    const main = await lastValueFrom(fromNdjson(path, { parserThread: false }).pipe(toArray()));
    expect(main.some((e) => e instanceof LineEnvelope)).toBe(false);
    expect(main.map((e) => e.raw)).toEqual((await lastValueFrom(fromNdjson(path).pipe(toArray()))).map((e) => e.raw));
  });

  it('`-` reads the given stdin, named <stdin>; a stream without a name is <stream>', async () => {
    const stdin = new PassThrough();
    stdin.end(text);
    const first = await firstValueFrom(fromNdjson('-', { stdin }));
    expect(first.origin).toEqual({ source: '<stdin>', line: 1 });
    expect((await firstValueFrom(fromNdjson(Readable.from([text])))).origin.source).toBe('<stream>');
  });

  it('several inputs of any kind: one after the other, seq going on, each with its own name', async () => {
    const stream = new PassThrough();
    stream.end(text);
    const all = await lastValueFrom(fromNdjson([path, stream], { source: 'second' }).pipe(toArray()));
    expect(all).toHaveLength(2 * lineCount);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i));
    expect(new Set(all.map((e) => e.origin.source))).toEqual(new Set([path, 'second']));
  });

  it('an unreadable input errors with an InputError, whatever its kind', async () => {
    const missing = join(dir, 'missing.ndjson');
    for (const input of [missing, [path, missing]]) {
      const err: unknown = await lastValueFrom(fromNdjson(input)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toBe(`cannot read ${missing}: no such file`);
      expect((err as InputError).code).toBe('ENOENT');
    }
    const isDir: unknown = await lastValueFrom(fromNdjson(dir)).catch((e: unknown) => e);
    expect(isDir).toBeInstanceOf(InputError);
    expect((isDir as InputError).message).toBe(`cannot read ${dir}: is a directory`);
  });
});
