import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { envelopeParser, ndjsonStringify } from '../../src/streams/ndjsonTransforms.js';
import type { Envelope, InputIssue } from '../../src/streams/types.js';
import { eventLine, FIXTURES, fixtureLines } from './ndjsonTestKit.js';

const T0 = 1795582946601880724n;

const collect = <T>(into: T[]) =>
  new Writable({
    objectMode: true,
    write(item: T, _enc, callback) {
      into.push(item);
      callback();
    },
  });

describe('ndjsonStringify', () => {
  it('turns plain objects into NDJSON lines', async () => {
    const chunks: Array<string | Buffer> = [];
    await pipeline(Readable.from([{ rule: 'TRC-1', pid: 42 }, { rule: 'TRC-2', tags: ['a'] }]), ndjsonStringify(), collect(chunks));
    expect(chunks.map(String).join('')).toBe('{"rule":"TRC-1","pid":42}\n{"rule":"TRC-2","tags":["a"]}\n');
  });
});

describe('envelopeParser', () => {
  it('parses a fixture file into envelopes, as fromNdjson does', async () => {
    const envelopes: Envelope[] = [];
    await pipeline(createReadStream(resolve(FIXTURES, 'pipeline.ndjson'), { highWaterMark: 777 }), envelopeParser({ source: 'p', rank: 1 }), collect(envelopes));
    const lines = fixtureLines('pipeline.ndjson');
    expect(envelopes.map((e) => e.raw)).toEqual(lines);
    expect(envelopes.map((e) => e.seq)).toEqual(lines.map((_, i) => i));
    expect(envelopes[0]!.timestamp).toBe(1795582946601880724n);
    expect(envelopes[0]!.rank).toBe(1);
  });

  it('reports bad lines with their numbers and never errors the pipeline', async () => {
    const envelopes: Envelope[] = [];
    const issues: InputIssue[] = [];
    const input = Readable.from([`${eventLine(T0)}\r\nnot json\n\n{"timestamp":`, `1}\n${'x'.repeat(300)}\n${eventLine(T0 + 1n)}`]);
    await pipeline(input, envelopeParser({ source: 's', maxLineBytes: 200, onIssue: (i) => issues.push(i) }), collect(envelopes));
    expect(envelopes.map((e) => [e.origin.line, e.timestamp])).toEqual([
      [1, T0],
      [4, 1n],
      [6, T0 + 1n],
    ]);
    expect(issues.map((i) => [i.origin.line, i.severity])).toEqual([
      [2, 'error'],
      [5, 'error'],
    ]);
    expect(issues[1]!.reason).toBe('line 5 exceeds 200 bytes; skipped');
  });
});
