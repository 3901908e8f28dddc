import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { EMPTY, finalize, from, map, Observable, Subject, throwError, concat } from 'rxjs';
import { createFlowControl } from '../../src/streams/flowControl.js';
import { fromNdjson } from '../../src/streams/fromNdjson.js';
import { writeNdjson } from '../../src/streams/writeNdjson.js';
import { eventLine } from './ndjsonTestKit.js';

/** A Writable that keeps what it is given, write by write. */
const sink = () => {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, callback) {
      writes.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, writes, text: () => writes.join('') };
};

describe('writeNdjson', () => {
  it('writes each line with a newline and counts lines and UTF-8 bytes', async () => {
    const out = sink();
    const result = await writeNdjson(from(['{"a":1}', '{"p":"é日"}', '']), out.stream);
    expect(out.text()).toBe('{"a":1}\n{"p":"é日"}\n\n');
    expect(result).toEqual({ lines: 3, bytes: Buffer.byteLength(out.text()), brokenPipe: false });
  });

  it('writes a line given as pieces exactly as their concatenation, multi-byte and oversized lines included', async () => {
    const out = sink();
    const big = 'x'.repeat(200_000);
    const lines = [['{"a":', '1', '}'], '{"b":2}', ['{"p":"', 'é日😀', '"}'], [], ['{"big":"', big, '"}'], ['{"c":3}']];
    const result = await writeNdjson(from(lines), out.stream, { batchSize: 1024 });
    const expected = lines.map((l) => (typeof l === 'string' ? l : l.join(''))).join('\n') + '\n';
    expect(out.text()).toBe(expected);
    expect(result).toEqual({ lines: 6, bytes: Buffer.byteLength(expected), brokenPipe: false });
    expect(out.writes.length).toBeGreaterThan(1);
  });

  it('writes nothing for an empty stream', async () => {
    const out = sink();
    expect(await writeNdjson(EMPTY, out.stream)).toEqual({ lines: 0, bytes: 0, brokenPipe: false });
    expect(out.writes).toEqual([]);
  });

  it('batches small lines into few large writes', async () => {
    const out = sink();
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"i":${i}}`);
    const result = await writeNdjson(from(lines), out.stream);
    expect(result.lines).toBe(20_000);
    expect(out.text()).toBe(lines.join('\n') + '\n');
    expect(out.writes.length).toBeLessThanOrEqual(Math.ceil(out.text().length / (64 * 1024)) + 1);
  });

  it('flushes a partial batch at the next turn of the event loop (live streams are not held back)', async () => {
    const out = sink();
    const lines$ = new Subject<string>();
    const done = writeNdjson(lines$, out.stream);
    lines$.next('{"live":1}');
    expect(out.text()).toBe('');
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toBe('{"live":1}\n');
    lines$.complete();
    expect(await done).toEqual({ lines: 1, bytes: 11, brokenPipe: false });
  });

  it('rejects when the lines error, after writing the lines before the error', async () => {
    const out = sink();
    await expect(writeNdjson(concat(from(['a', 'b']), throwError(() => new Error('upstream broke'))), out.stream)).rejects.toThrow('upstream broke');
    expect(out.text()).toBe('a\nb\n');
  });

  it('rejects on an output error that is not a broken pipe', async () => {
    const failing = new Writable({
      write(_chunk, _enc, callback) {
        callback(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
      },
    });
    await expect(writeNdjson(from(['x']), failing)).rejects.toThrow('no space left');
  });

  it('ends the output when asked', async () => {
    const out = sink();
    await writeNdjson(from(['x']), out.stream, { end: true });
    expect(out.stream.writableFinished).toBe(true);
    expect(out.text()).toBe('x\n');
  });

  it('survives `| head -n 1`: stops at EPIPE, unsubscribes the source, resolves brokenPipe', async () => {
    const head = spawn('head', ['-n', '1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let printed = '';
    head.stdout.on('data', (d: Buffer) => (printed += d.toString()));
    const headExited = new Promise((r) => head.on('close', r));

    // an endless event source, read through fromNdjson with backpressure like the CLI does
    let pulled = 0;
    const endless = new Readable({
      read() {
        this.push(`${eventLine(1795582946601880724n + BigInt(pulled++))}\n`.repeat(100));
      },
    });
    let unsubscribed = false;
    const flow = createFlowControl();
    const lines$ = fromNdjson(endless, { source: 'endless', flow }).pipe(
      map((e) => e.raw ?? ''),
      finalize(() => (unsubscribed = true)),
    );
    const result = await writeNdjson(lines$, head.stdin, { flow });
    await headExited;
    expect(result.brokenPipe).toBe(true);
    expect(result.lines).toBeGreaterThan(0);
    expect(unsubscribed).toBe(true);
    expect(endless.destroyed).toBe(true);
    expect(printed).toBe(`${eventLine(1795582946601880724n)}\n`);
    // a later write to the dead pipe does not crash the process
    head.stdin.write('more\n');
    await new Promise((r) => setImmediate(r));
  });

  it('stops writing when the output is closed under it', async () => {
    const out = sink();
    const lines$ = new Observable<string>((subscriber) => {
      subscriber.next('first');
      const t = setImmediate(() => out.stream.destroy());
      return () => clearImmediate(t);
    });
    const result = await writeNdjson(lines$, out.stream);
    expect(result.brokenPipe).toBe(true);
  });
});
