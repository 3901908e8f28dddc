import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { fromNdjson } from '../../src/streams/fromNdjson.js';
import type { InputIssue } from '../../src/streams/types.js';
import { chunked, eventLine, FIXTURES, fixtureLines, readAll, split } from './ndjsonTestKit.js';

const T0 = 1795582946601880724n; // > 2^53: JSON.parse alone would round it

/** A Readable that serves `total` chunks made by `make(i)` and counts how many were pulled. */
const counting = (total: number, make: (i: number) => Buffer) => {
  const state = { pulled: 0 };
  const stream = new Readable({
    highWaterMark: 1,
    read() {
      if (state.pulled >= total) this.push(null);
      else this.push(make(state.pulled++));
    },
  });
  return { stream, state };
};

describe('fromNdjson', () => {
  it('reads a real fixture: one envelope per line, exact times, origins and seq', async () => {
    const path = resolve(FIXTURES, 'pipeline.ndjson');
    const lines = fixtureLines('pipeline.ndjson');
    const { envelopes, issues } = await readAll(createReadStream(path, { highWaterMark: 1000 }), { source: 'pipeline.ndjson', rank: 1 });
    expect(issues).toEqual([]);
    expect(envelopes).toHaveLength(lines.length);
    envelopes.forEach((env, i) => {
      expect(env.raw).toBe(lines[i]);
      expect(env.origin).toEqual({ source: 'pipeline.ndjson', line: i + 1 });
      expect(env.seq).toBe(i);
      expect(env.rank).toBe(1);
      expect(`"timestamp":${env.timestamp},`).toBe(lines[i]!.slice(1, lines[i]!.indexOf(',') + 1));
    });
    expect(envelopes[0]!.timestamp).toBe(1795582946601880724n);
  });

  it('completes at once on empty input', async () => {
    expect(await readAll(chunked([]))).toEqual({ envelopes: [], issues: [] });
  });

  it('reports malformed lines with their line numbers and goes on; blank lines are not issues', async () => {
    const input = [eventLine(T0), '{"timestamp":', '', '   ', '[1,2]', '{"eventName":"x"}', '{"timestamp":"soon"}', eventLine(T0 + 1n)].join('\n');
    const { envelopes, issues } = await readAll(chunked([input]), { source: 'bad.ndjson' });
    expect(envelopes.map((e) => [e.origin.line, e.seq, e.timestamp])).toEqual([
      [1, 0, T0],
      [8, 1, T0 + 1n],
    ]);
    expect(issues.map((i) => [i.origin.source, i.origin.line, i.severity])).toEqual([
      ['bad.ndjson', 2, 'error'],
      ['bad.ndjson', 5, 'error'],
      ['bad.ndjson', 6, 'error'],
      ['bad.ndjson', 7, 'error'],
    ]);
    expect(issues[0]!.reason).toMatch(/^invalid JSON/);
    expect(issues[2]!.reason).toBe('missing "timestamp"');
  });

  it('handles CRLF, a BOM and a last line without newline', async () => {
    const text = `\uFEFF${eventLine(T0)}\r\n${eventLine(T0 + 5n)}\r\n\r\n${eventLine(T0 + 9n)}`;
    const { envelopes, issues } = await readAll(chunked([text]));
    expect(issues).toEqual([]);
    expect(envelopes.map((e) => [e.origin.line, e.timestamp])).toEqual([
      [1, T0],
      [2, T0 + 5n],
      [4, T0 + 9n],
    ]);
    expect(envelopes[0]!.raw).toBe(eventLine(T0));
  });

  it('gives the same envelopes whatever the chunk sizes (multi-byte text split anywhere)', async () => {
    const lines = [eventLine(T0, 'openat', ',"p":"/srv/日本語/é🎉"'), eventLine(T0 + 1n), eventLine(T0 + 2n, 'x', ',"q":"ß"')];
    const buf = Buffer.from(lines.join('\n') + '\n');
    for (const size of [1, 2, 3, 7, 64, buf.length]) {
      const { envelopes } = await readAll(chunked(split(buf, size)));
      expect(envelopes.map((e) => e.raw)).toEqual(lines);
    }
  });

  it('parses a 2 MiB line', async () => {
    const big = 'a'.repeat(2 * 1024 * 1024);
    const line = eventLine(T0, 'big', `,"blob":"${big}"`);
    const { envelopes, issues } = await readAll(chunked(split(Buffer.from(`${line}\n${eventLine(T0 + 1n)}\n`), 65536)));
    expect(issues).toEqual([]);
    expect(envelopes).toHaveLength(2);
    expect((envelopes[0]!.event as unknown as { blob: string }).blob).toHaveLength(big.length);
  });

  it('skips a line over 16 MiB as it streams by, reporting it before the line has ended', async () => {
    const CHUNK = 64 * 1024;
    const total = 20 * 16 + 2; // 20 MiB of one line, then a good line
    const head = Buffer.from(`${eventLine(T0)}\n`);
    const x = Buffer.alloc(CHUNK, 0x78);
    const { stream, state } = counting(total, (i) => (i === 0 ? head : i < total - 1 ? x : Buffer.from(`\n${eventLine(T0 + 1n)}\n`)));
    let pulledAtIssue = -1;
    const issues: InputIssue[] = [];
    const envelopes = await lastValueFrom(
      fromNdjson(stream, {
        source: 's',
        onIssue: (i) => {
          pulledAtIssue = state.pulled;
          issues.push(i);
        },
      }).pipe(toArray()),
    );
    expect(envelopes.map((e) => e.origin.line)).toEqual([1, 3]);
    expect(issues.map((i) => i.reason)).toEqual(['line 2 exceeds 16 MiB; skipped']);
    // reported right after 16 MiB had been seen, not at the newline 4 MiB later: the line was not kept whole
    expect(pulledAtIssue).toBeLessThanOrEqual(16 * 16 + 4);
  });

  it('honours maxLineBytes', async () => {
    const { envelopes, issues } = await readAll(chunked([`${eventLine(T0, 'x', `,"s":"${'z'.repeat(200)}"`)}\n${eventLine(T0)}\n`]), {
      maxLineBytes: 150,
    });
    expect(envelopes.map((e) => e.origin.line)).toEqual([2]);
    expect(issues.map((i) => i.reason)).toEqual(['line 1 exceeds 150 bytes; skipped']);
  });

  it('is cold: nothing is read before subscribe', async () => {
    const { stream, state } = counting(3, (i) => Buffer.from(`${eventLine(T0 + BigInt(i))}\n`));
    const events$ = fromNdjson(stream, { source: 's' });
    await new Promise((r) => setImmediate(r));
    expect(state.pulled).toBe(0);
    expect((await lastValueFrom(events$.pipe(toArray()))).length).toBe(3);
  });

  it('stops reading and destroys the input on early unsubscribe', async () => {
    const { stream, state } = counting(1000, (i) => Buffer.from(`${eventLine(T0 + BigInt(i))}\n`));
    const first = await firstValueFrom(fromNdjson(stream, { source: 's' }).pipe(take(2), toArray()));
    expect(first.map((e) => e.seq)).toEqual([0, 1]);
    expect(stream.destroyed).toBe(true);
    expect(state.pulled).toBeLessThan(10);
  });

  it('errors when the input errors', async () => {
    const stream = new Readable({
      read() {
        this.push(`${eventLine(T0)}\n`);
        this.destroy(new Error('disk on fire'));
      },
    });
    await expect(lastValueFrom(fromNdjson(stream, { source: 's' }))).rejects.toThrow('disk on fire');
  });

  it('completes at once on an input that was already read to its end', async () => {
    const input = chunked([`${eventLine(T0)}\n`]);
    expect((await readAll(input)).envelopes).toHaveLength(1);
    expect(await readAll(input)).toEqual({ envelopes: [], issues: [] });
  });

  it('starts at firstSeq', async () => {
    const { envelopes } = await readAll(chunked([`${eventLine(T0)}\n${eventLine(T0)}\n`]), { firstSeq: 10 });
    expect(envelopes.map((e) => e.seq)).toEqual([10, 11]);
  });

  it('reads a pipe from another process (what stdin is under `tracee | proctree-rx`)', async () => {
    const lines = fixtureLines('threads.ndjson');
    const child = spawn(process.execPath, ['-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(resolve(FIXTURES, 'threads.ndjson'))}))`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const { envelopes, issues } = await readAll(child.stdout, { source: '<stdin>' });
    expect(issues).toEqual([]);
    expect(envelopes.map((e) => e.raw)).toEqual(lines);
  });
});
