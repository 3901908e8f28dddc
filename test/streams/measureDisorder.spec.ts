import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureDisorder } from '../../src/streams/measureDisorder.js';
import { FIXTURES } from '../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'disorder-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const line = (ts: bigint | string): string => `{"timestamp":${ts},"eventName":"x","args":[]}`;

describe('measureDisorder', () => {
  it('is 0 for the sorted fixtures', async () => {
    for (const f of ['pipeline.ndjson', 'threads.ndjson', 'interp.ndjson', 'pipeline.both.ndjson']) {
      expect(await measureDisorder([join(FIXTURES, f)])).toBe(0n);
    }
  });

  it("reads main's RFC3339 timestamps (any offset) exactly", async () => {
    const doc = (t: string): string => `{"timestamp":"${t}","id":257,"name":"openat","data":[]}`;
    const p = file('main.ndjson', [doc('2025-11-27T10:00:00.000000005Z'), doc('2025-11-27T10:00:00.5Z'), doc('2025-11-27T07:00:00.000000007-03:00')].join('\n') + '\n');
    expect(await measureDisorder([p])).toBe(499_999_993n);
    expect(await measureDisorder([join(FIXTURES, 'releases', 'main.ndjson')])).toBe(0n);
  });

  it('is the largest lateness, exact above 2^53', async () => {
    const base = 1795582946601880724n;
    const p = file('a.ndjson', [base, base + 10n, base + 3n, base + 1000n, base + 1n, base + 2000n].map(line).join('\n') + '\n');
    expect(await measureDisorder([p])).toBe(999n); // base+1 arrives after base+1000
  });

  it('measures across files read one after the other, with CRLF, BOM, blank lines and no final newline', async () => {
    const a = file('b1.ndjson', `\ufeff${line(100n)}\r\n\r\n   \n${line(200n)}\r\n`);
    const b = file('b2.ndjson', `${line(150n)}\n${line(300n)}`);
    expect(await measureDisorder([a, b])).toBe(50n);
  });

  it('handles lines split across read chunks', async () => {
    const pad = 'x'.repeat(300 * 1024);
    const p = file('c.ndjson', `{"timestamp":500,"pad":"${pad}"}\n{"timestamp":400,"pad":"${pad}"}\n`);
    expect(await measureDisorder([p])).toBe(100n);
  });

  it('gives up (undefined) on a line not in Tracee layout', async () => {
    const p = file('d.ndjson', `${line(1n)}\n{"eventName":"x","timestamp":2}\n`);
    expect(await measureDisorder([p])).toBeUndefined();
    const q = file('e.ndjson', `${line(1n)}\nnot json\n`);
    expect(await measureDisorder([q])).toBeUndefined();
  });

  it('rejects for a missing file', async () => {
    await expect(measureDisorder([join(dir, 'missing.ndjson')])).rejects.toThrow();
  });
});
