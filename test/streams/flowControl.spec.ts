import { Readable, Writable } from 'node:stream';
import { map } from 'rxjs';
import { createFlowControl } from '../../src/streams/flowControl.js';
import { fromNdjson } from '../../src/streams/fromNdjson.js';
import { writeNdjson } from '../../src/streams/writeNdjson.js';
import { eventLine } from './ndjsonTestKit.js';

describe('createFlowControl', () => {
  it('starts running; pause/resume toggle isPaused', () => {
    const flow = createFlowControl();
    expect(flow.isPaused).toBe(false);
    flow.pause();
    flow.pause();
    expect(flow.isPaused).toBe(true);
    flow.resume();
    expect(flow.isPaused).toBe(false);
  });

  it('calls waiting listeners once, in order, at the next resume; at once when running', () => {
    const flow = createFlowControl();
    const calls: string[] = [];
    flow.onResume(() => calls.push('now'));
    expect(calls).toEqual(['now']);
    flow.pause();
    flow.onResume(() => calls.push('a'));
    const cancel = flow.onResume(() => calls.push('cancelled'));
    flow.onResume(() => calls.push('b'));
    cancel();
    expect(calls).toEqual(['now']);
    flow.resume();
    flow.resume();
    expect(calls).toEqual(['now', 'a', 'b']);
  });

  it('keeps the remaining listeners waiting when one pauses again', () => {
    const flow = createFlowControl();
    const calls: string[] = [];
    flow.pause();
    flow.onResume(() => {
      calls.push('a');
      flow.pause();
    });
    flow.onResume(() => calls.push('b'));
    flow.resume();
    expect(calls).toEqual(['a']);
    expect(flow.isPaused).toBe(true);
    flow.resume();
    expect(calls).toEqual(['a', 'b']);
  });

  it('whenResumed settles at the resume', async () => {
    const flow = createFlowControl();
    await flow.whenResumed();
    flow.pause();
    let done = false;
    const p = flow.whenResumed().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    flow.resume();
    await p;
    expect(done).toBe(true);
  });
});

describe('reader and writer sharing a FlowControl', () => {
  const CHUNKS = 600;
  const LINE = eventLine(1795582946601880724n, 'openat', `,"pad":"${'p'.repeat(900)}"`);
  const CHUNK = Buffer.from(`${LINE}\n`.repeat(8)); // ~8 KiB per chunk, ~4.8 MB in all

  /** Counts bytes pulled by the reader and bytes a slow writer has finished; records the largest lead. */
  const rig = () => {
    const m = { pulled: 0, written: 0, maxLead: 0, writes: 0 };
    const source = new Readable({
      highWaterMark: 1,
      read() {
        if (m.pulled >= CHUNKS * CHUNK.length) {
          this.push(null);
          return;
        }
        m.pulled += CHUNK.length;
        m.maxLead = Math.max(m.maxLead, m.pulled - m.written);
        this.push(CHUNK);
      },
    });
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, callback) {
        m.writes++;
        // a slow consumer: every write completes only at a later turn of the event loop
        setImmediate(() => {
          m.written += chunk.length;
          callback();
        });
      },
    });
    return { m, source, slow };
  };

  it('keeps the reader at most a few chunks ahead of a slow writer', async () => {
    const { m, source, slow } = rig();
    const flow = createFlowControl();
    const result = await writeNdjson(
      fromNdjson(source, { source: 's', flow }).pipe(map((e) => e.raw ?? '')),
      slow,
      { flow },
    );
    expect(result).toEqual({ lines: CHUNKS * 8, bytes: CHUNKS * CHUNK.length, brokenPipe: false });
    expect(m.written).toBe(CHUNKS * CHUNK.length);
    // bounded by one 64 KiB batch + one chunk in hand + the readable's buffer, whatever the total size
    expect(m.maxLead).toBeLessThan(128 * 1024);
    expect(flow.isPaused).toBe(false);
  });

  it('(contrast) without the FlowControl the reader runs away from the writer', async () => {
    const { m, source, slow } = rig();
    await writeNdjson(
      fromNdjson(source, { source: 's' }).pipe(map((e) => e.raw ?? '')),
      slow,
    );
    expect(m.written).toBe(CHUNKS * CHUNK.length);
    expect(m.maxLead).toBeGreaterThan((CHUNKS * CHUNK.length) / 2);
  });
});
