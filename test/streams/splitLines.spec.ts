import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { createLineSplitter, firstInvalidUtf8, formatBytes } from '../../src/streams/splitLines.js';

type Seen = { lines: Array<[number, string]>; overlong: number[] };

const run = (chunks: ReadonlyArray<Buffer | string>, maxLineBytes?: number): Seen => {
  const seen: Seen = { lines: [], overlong: [] };
  const s = createLineSplitter({
    maxLineBytes,
    onLine: (text, line) => seen.lines.push([line, text]),
    onOverlong: (line) => seen.overlong.push(line),
  });
  for (const c of chunks) expect(s.push(typeof c === 'string' ? Buffer.from(c) : c)).toBe(Buffer.byteLength(c));
  s.end();
  return seen;
};

describe('createLineSplitter', () => {
  it('emits nothing for empty input', () => {
    expect(run([])).toEqual({ lines: [], overlong: [] });
    expect(run([''])).toEqual({ lines: [], overlong: [] });
  });

  it('splits lines inside and across chunks, numbering physical lines', () => {
    expect(run(['a\nb', 'c\n', '\n  \t\nd']).lines).toEqual([
      [1, 'a'],
      [2, 'bc'],
      [5, 'd'],
    ]);
  });

  it('strips CR, also when CR and LF fall in different chunks', () => {
    expect(run(['x\r\ny\r', '\nz\r\n']).lines).toEqual([
      [1, 'x'],
      [2, 'y'],
      [3, 'z'],
    ]);
  });

  it('strips a BOM at the start of the input only, even split across chunks', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(run([Buffer.concat([bom, Buffer.from('{"a":1}\n')])]).lines).toEqual([[1, '{"a":1}']]);
    expect(run([bom.subarray(0, 1), Buffer.concat([bom.subarray(1), Buffer.from('{}\n')])]).lines).toEqual([[1, '{}']]);
    // a BOM on a later line is content (and will fail to parse downstream, with its line number)
    expect(run(['{}\n\uFEFF{}\n']).lines).toEqual([
      [1, '{}'],
      [2, '\uFEFF{}'],
    ]);
  });

  it('decodes multi-byte UTF-8 split at every byte boundary', () => {
    const text = '{"p":"/tmp/résumé-日本-🎉"}';
    const buf = Buffer.from(`${text}\n${text}`);
    for (let size = 1; size <= 8; size++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
      expect(run(chunks).lines).toEqual([
        [1, text],
        [2, text],
      ]);
    }
  });

  it('reports a line over the limit once and skips it, inside one chunk or across many', () => {
    const long = 'x'.repeat(100);
    expect(run([`ok\n${long}\nok2\n`], 50)).toEqual({ lines: [[1, 'ok'], [3, 'ok2']], overlong: [2] });
    const pieces = ['ok\n', ...Array.from({ length: 10 }, () => 'y'.repeat(20)), '\nok2'];
    expect(run(pieces, 50)).toEqual({ lines: [[1, 'ok'], [3, 'ok2']], overlong: [2] });
    // the limit is inclusive
    expect(run(['x'.repeat(50), '\n'], 50).lines).toEqual([[1, 'x'.repeat(50)]]);
    // overlong last line without newline
    expect(run(['a\n', 'z'.repeat(60)], 50)).toEqual({ lines: [[1, 'a']], overlong: [2] });
  });

  it('stops after a line when shouldStop says so, and goes on from there', () => {
    const seen: string[] = [];
    let stop = false;
    const s = createLineSplitter({
      onLine: (t) => {
        seen.push(t);
        stop = t === 'b';
      },
      onOverlong: () => undefined,
      shouldStop: () => stop,
    });
    const chunk = Buffer.from('a\nb\nc\nd');
    const at = s.push(chunk);
    expect(at).toBe(4);
    expect(seen).toEqual(['a', 'b']);
    stop = false;
    expect(s.push(chunk, at)).toBe(chunk.length);
    s.end();
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(s.lines).toBe(4);
  });

  it('formats sizes', () => {
    expect(formatBytes(16 * 1024 * 1024)).toBe('16 MiB');
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(1000)).toBe('1000 bytes');
  });
});

describe('invalid UTF-8', () => {
  const split = (bytes: Buffer): { lines: [number, string][]; bad: [number, string][] } => {
    const lines: [number, string][] = [];
    const bad: [number, string][] = [];
    const s = createLineSplitter({ onLine: (t, n) => lines.push([n, t]), onOverlong: () => undefined, onInvalidUtf8: (n, r) => bad.push([n, r]) });
    s.push(bytes);
    s.end();
    return { lines, bad };
  };

  it('a line with a bad byte is reported with its line and byte, never passed on rewritten', () => {
    const { lines, bad } = split(Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"a":"é"}\n')]));
    expect(lines).toEqual([
      [1, '{"a":"ok"}'],
      [3, '{"a":"é"}'],
    ]);
    expect(bad).toEqual([[2, 'not valid UTF-8 (byte 7 of the line is 0xff); the line is skipped, not rewritten']]);
  });

  it('a real U+FFFD (valid UTF-8) passes', () => {
    expect(split(Buffer.from('{"a":"\uFFFD"}\n')).lines).toEqual([[1, '{"a":"\uFFFD"}']]);
  });

  it.each([
    ['truncated sequence', [0x22, 0xe2, 0x82, 0x22], 1],
    ['overlong form', [0xc0, 0xaf], 0],
    ['surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['lone continuation byte', [0x61, 0x80], 1],
  ])('firstInvalidUtf8: %s', (_name, bytes, at) => {
    const buf = Buffer.from(bytes);
    expect(firstInvalidUtf8(buf, 0, buf.length)).toBe(at);
    expect(isUtf8(buf)).toBe(false);
  });

  it('firstInvalidUtf8 agrees with buffer.isUtf8 on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const buf = Buffer.from(bytes);
        expect(firstInvalidUtf8(buf, 0, buf.length) < 0).toBe(isUtf8(buf));
      }),
      { numRuns: 2000 },
    );
  });
});
