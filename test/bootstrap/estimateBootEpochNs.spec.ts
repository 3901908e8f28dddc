import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { estimateBootEpochNs } from '../../src/bootstrap/estimateBootEpochNs.js';
import { FIXTURE_ROOT } from './fixture.js';

describe('estimateBootEpochNs', () => {
  it('subtracts <root>/uptime exactly (decimal digits, no float)', () => {
    expect(estimateBootEpochNs(FIXTURE_ROOT, 1_700_000_000_000_000_000n)).toBe(1_700_000_000_000_000_000n - 5_000_250_000_000n);
  });

  it("falls back to <root>/stat's btime", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'procfs-'));
    try {
      fs.writeFileSync(path.join(dir, 'stat'), 'cpu 1 2\nbtime 1700000123\n');
      expect(estimateBootEpochNs(dir, 1n)).toBe(1_700_000_123_000_000_000n);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('agrees with /proc/stat btime on this host within a second', () => {
    const btime = /^btime\s+(\d+)/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    expect(btime).not.toBeNull();
    const estimate = estimateBootEpochNs();
    const diff = estimate - BigInt(btime![1]!) * 1_000_000_000n;
    expect(diff > -1_500_000_000n && diff < 1_500_000_000n).toBe(true);
  });
});
