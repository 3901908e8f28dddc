import { mkdtempSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { createFlowControl } from '../../src/streams/flowControl.js';
import { fromNdjsonFile, PreStartedParser, type FromNdjsonFileOptions } from '../../src/streams/fromNdjsonFile.js';
import { spawnSync } from 'node:child_process';
import { LineEnvelope, markLate } from '../../src/streams/lineEnvelope.js';
import { defaultParseWorkerScript } from '../../src/streams/parseWorkerScript.js';
import { preparseArgs } from '../../src/streams/lifecycleArgs.js';
import { EVENT_HEAD_KEYS, headOf, type Envelope, type InputIssue } from '../../src/streams/types.js';
import { eventLine, FIXTURES, readAll } from './ndjsonTestKit.js';

const dir = mkdtempSync(join(tmpdir(), 'prx-file-'));
let n = 0;
const fileWith = (content: string | Buffer): string => {
  const path = join(dir, `input-${n++}.ndjson`);
  writeFileSync(path, content);
  return path;
};

async function readFile(path: string, options: Partial<FromNdjsonFileOptions> = {}): Promise<{ envelopes: Envelope[]; issues: InputIssue[] }> {
  const issues: InputIssue[] = [];
  const envelopes = await lastValueFrom(fromNdjsonFile(path, { source: 'test', ...options, onIssue: (i) => issues.push(i) }).pipe(toArray()));
  return { envelopes, issues };
}

/** What a reader delivered, in comparable form (the event parsed, lazily or not). */
const plain = (e: Envelope) => ({
  raw: e.raw,
  timestamp: e.timestamp,
  threadStartTime: e.threadStartTime,
  origin: e.origin,
  seq: e.seq,
  rank: e.rank,
  event: e.event,
});

describe('fromNdjsonFile (lines parsed on a worker thread)', () => {
  it.each(['pipeline.ndjson', 'pipeline.both.ndjson', 'pipeline.signals.ndjson', 'threads.ndjson', 'interp.ndjson'])(
    '%s: the same envelopes as fromNdjson, with the task-context fields in head',
    async (name) => {
      const path = resolve(FIXTURES, name);
      const viaStream = await readAll(createReadStream(path), { rank: 1, firstSeq: 7 });
      const viaWorker = await readFile(path, { rank: 1, firstSeq: 7, batchLines: 5 });
      // batches cut by size instead (every line is longer than 100 characters): the same
      const bySize = await readFile(path, { rank: 1, firstSeq: 7, batchChars: 100 });
      expect(bySize.envelopes.map(plain)).toEqual(viaStream.envelopes.map(plain));
      expect(viaWorker.envelopes.length).toBeGreaterThan(10);
      expect(viaWorker.envelopes.map(plain)).toEqual(viaStream.envelopes.map(plain));
      expect(viaWorker.issues).toEqual(viaStream.issues);
      let lifecycle = 0;
      viaWorker.envelopes.forEach((env, i) => {
        // a lifecycle event's arguments, read on the parser thread, are what reading them here gives
        const expected = preparseArgs(viaStream.envelopes[i]!);
        expect(env.preparsed).toEqual(expected);
        if (expected !== undefined) lifecycle++;
      });
      expect(lifecycle).toBeGreaterThan(2);
      for (const env of viaWorker.envelopes) {
        expect(env).toBeInstanceOf(LineEnvelope);
        const event = env.event as unknown as Record<string, unknown>;
        for (const key of EVENT_HEAD_KEYS) expect(env.head?.[key]).toEqual(event[key]);
      }
    },
  );

  it('reports bad lines in order with their line numbers, like fromNdjson (BOM, CRLF, blank, malformed, not an object, overlong)', async () => {
    const lines = [
      '\uFEFF' + eventLine(1795582946601880724n),
      eventLine(1795582946601880725n) + '\r',
      '',
      '   ',
      '{"timestamp":1795582946601880726,',
      '[1,2]',
      eventLine(1795582946601880727n, 'openat', `,"pad":"${'x'.repeat(300)}"`),
      '{"eventName":"x"}',
      eventLine(1795582946601880728n, 'close'),
    ];
    const content = lines.join('\n') + '\n' + eventLine(1795582946601880729n); // no final newline
    const path = fileWith(content);
    const viaStream = await readAll(createReadStream(path), { maxLineBytes: 200 });
    const viaWorker = await readFile(path, { maxLineBytes: 200, batchLines: 2 });
    expect(viaWorker.envelopes.map(plain)).toEqual(viaStream.envelopes.map(plain));
    expect(viaWorker.issues).toEqual(viaStream.issues);
    expect(viaWorker.issues.map((i) => i.origin.line)).toEqual([5, 6, 7, 8]);
    expect(viaWorker.envelopes.map((e) => e.origin.line)).toEqual([1, 2, 9, 10]);
    expect(viaWorker.envelopes[0]!.timestamp).toBe(1795582946601880724n);
  });

  it('invalid UTF-8 and other spellings of the keys: the parser thread and the main thread agree (bad lines reported, never rewritten)', async () => {
    const ts = '1795582946601880724';
    const content = Buffer.concat([
      Buffer.from(`{"timestamp" : ${ts},"eventName":"a"}\n`),
      Buffer.from('{"timestamp":1795582946601880725,"eventName":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n'),
      Buffer.from(`{"\\u0074imestamp":${ts},"threadStartTime" :\t${ts},"eventName":"b"}\n`),
      Buffer.from('{"timestamp":1795582946601880726,"eventName":"\u00e9\ufffd"}\n'),
    ]);
    const path = fileWith(content);
    const viaStream = await readAll(createReadStream(path), {});
    const viaWorker = await readFile(path, { batchLines: 1 });
    expect(viaWorker.envelopes.map(plain)).toEqual(viaStream.envelopes.map(plain));
    expect(viaWorker.issues).toEqual(viaStream.issues);
    expect(viaWorker.issues).toEqual([
      { origin: { source: 'test', line: 2 }, reason: 'not valid UTF-8 (byte 47 of the line is 0xc3); the line is skipped, not rewritten', severity: 'error' },
    ]);
    expect(viaWorker.envelopes.map((e) => [e.origin.line, e.timestamp, e.threadStartTime])).toEqual([
      [1, BigInt(ts), 0n],
      [3, BigInt(ts), BigInt(ts)],
      [4, 1795582946601880726n, 0n],
    ]);
    // the raw line is the file's bytes, decoded: writing it back gives the same bytes
    const lines = content.toString('latin1').split('\n');
    expect(Buffer.from(viaWorker.envelopes[2]!.raw!, 'utf8').toString('latin1')).toBe(lines[3]);
  });

  it('reads lines that cross its 1 MiB read buffer, and lines longer than it, exactly as fromNdjson does', async () => {
    const pad = (n: number) => `,"pad":"${'x'.repeat(n)}"`;
    const lines: string[] = [];
    let ts = 1795582946601880000n;
    // sizes around the read-buffer edges: many small lines, then lines of 0.6, 0.9, 2.5 and 1 MiB
    for (let i = 0; i < 700; i++) lines.push(eventLine(ts++, 'openat', pad(1000 + (i % 7) * 100)));
    for (const size of [600_000, 900_000, 2_500_000, 1_048_576]) {
      lines.push(eventLine(ts++, 'openat', pad(size)));
      for (let i = 0; i < 50; i++) lines.push(eventLine(ts++, 'close', pad(i * 13)));
    }
    const path = fileWith(lines.join('\n')); // no final newline either
    const viaStream = await readAll(createReadStream(path));
    const viaWorker = await readFile(path, { batchLines: 64 });
    expect(viaWorker.issues).toEqual([]);
    expect(viaWorker.envelopes).toHaveLength(lines.length);
    expect(viaWorker.envelopes.map((e) => e.raw)).toEqual(lines);
    expect(viaWorker.envelopes.map(plain)).toEqual(viaStream.envelopes.map(plain));
  });

  it('keeps the exact timestamp digits beyond 2^53 and the raw line digit for digit', async () => {
    const line = '{"timestamp":1795582946601880723,"threadStartTime":1795576595489049319,"eventName":"openat","processEntityId":3000000000,"args":[]}';
    const { envelopes } = await readFile(fileWith(line + '\n'));
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]!.timestamp).toBe(1795582946601880723n);
    expect(envelopes[0]!.threadStartTime).toBe(1795576595489049319n);
    expect(envelopes[0]!.raw).toBe(line);
    expect(headOf(envelopes[0]!).processEntityId).toBe(3000000000);
  });

  it('emits nothing while the flow is paused and goes on where it stopped when it resumes', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => eventLine(1795582946601880000n + BigInt(i)));
    const path = fileWith(lines.join('\n') + '\n');
    const flow = createFlowControl();
    const seen: number[] = [];
    const done = new Promise<void>((resolveDone, reject) => {
      fromNdjsonFile(path, { source: 'test', flow, batchLines: 4, inFlight: 1 }).subscribe({
        next: (e) => {
          seen.push(e.seq);
          if (e.seq === 9) flow.pause();
        },
        error: reject,
        complete: resolveDone,
      });
    });
    // the parser thread may start slowly on a loaded machine: wait for the pause point, then make sure nothing follows it
    for (let waited = 0; seen.length < 10 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i));
    flow.resume();
    await done;
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('delivers only what is taken and ends cleanly when unsubscribed early (the thread is told to stop)', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => eventLine(1795582946601880000n + BigInt(i)));
    const path = fileWith(lines.join('\n'));
    const first = await lastValueFrom(fromNdjsonFile(path, { source: 'test', batchLines: 64 }).pipe(take(3), toArray()));
    expect(first.map((e) => e.seq)).toEqual([0, 1, 2]);
  });

  it('fails with the file name when the file cannot be read', async () => {
    await expect(firstValueFrom(fromNdjsonFile(join(dir, 'missing.ndjson'), { source: 'missing.ndjson' }))).rejects.toThrow(/^cannot read .*missing\.ndjson: no such file$/);
  });

  it('markLate keeps the event lazy and the envelope a LineEnvelope', async () => {
    const { envelopes } = await readFile(fileWith(eventLine(1795582946601880724n, 'close') + '\n'));
    const late = markLate(envelopes[0]!);
    expect(late).toBeInstanceOf(LineEnvelope);
    expect(late.late).toBe(true);
    expect(late.event.eventName).toBe('close');
    expect(plain(late)).toEqual(plain(envelopes[0]!));
    const plainEnv: Envelope = { ...plain(envelopes[0]!) };
    expect(markLate(plainEnv)).toEqual({ ...plainEnv, late: true });
  });

  it('a thread started ahead of time reads the file it is given exactly as a fresh one, once', async () => {
    const path = resolve(FIXTURES, 'threads.ndjson');
    const fresh = await readFile(path);
    const parser = new PreStartedParser();
    const warmed = await readFile(path, { parser });
    expect(warmed.envelopes.map(plain)).toEqual(fresh.envelopes.map(plain));
    expect(warmed.envelopes.length).toBeGreaterThan(10);
    // taken: a second reader starts its own
    expect(parser.take(defaultParseWorkerScript())).toBeUndefined();
    parser.close();
  });

  it('an unused thread started ahead of time does not keep the process alive', () => {
    const module = resolve(__dirname, '../../dist/src/streams/fromNdjsonFile.js');
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(module)}).then((m) => new m.PreStartedParser())`], { timeout: 10_000 });
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
