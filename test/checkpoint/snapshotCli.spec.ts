/**
 * `snapshot --out` / `--from-snapshot` through the built CLI (dist/, built by `pretest`):
 * enrich of a capture = the lines up to the checkpoint + `enrich --from-snapshot` of the same
 * capture, byte for byte; a procfs tree handed over as a checkpoint prints as a walk does; a
 * damaged checkpoint is an error naming its line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from '../support/builtCli.js';
import { FIXTURES } from '../support/fixtures.js';

const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const cli = (args: readonly string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'proctree-rx-ckpt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const timestampOf = (line: string): bigint => BigInt(/"timestamp":(\d+)/.exec(line)![1]!);

describe('snapshot --out / --from-snapshot', () => {
  it.each(['pipeline.ndjson', 'threads.ndjson', 'interp.ndjson'])('%s: lines up to T + enrich --from-snapshot = enrich, byte for byte', (name) => {
    const file = join(FIXTURES, name);
    const full = cli(['enrich', '--quiet', file]);
    expect(full.status).toBe(0);
    const lines = full.stdout.split('\n').filter((l) => l !== '');
    const at = timestampOf(lines[Math.floor(lines.length / 2)]!);
    const ckpt = join(dir, `${name}.ckpt`);
    const snap = cli(['snapshot', '--quiet', '--out', ckpt, '--at', at.toString(), file]);
    expect(snap.stderr).toBe('');
    expect(snap.status).toBe(0);
    const rest = cli(['enrich', '--quiet', '--stats', '--from-snapshot', ckpt, file]);
    expect(rest.status).toBe(0);
    const head = lines.filter((l) => timestampOf(l) <= at);
    expect(head.length).toBeGreaterThan(0);
    expect(head.length).toBeLessThan(lines.length);
    expect(head.join('\n') + '\n' + rest.stdout).toBe(full.stdout);
    expect(rest.stderr).toContain(`proctree-rx: stats: skipped (in the --from-snapshot checkpoint): ${head.length}\n`);
  });

  it('a procfs walk handed over as a checkpoint prints as the walk itself', () => {
    const root = join(ROOT, 'test', 'fixtures', 'procfs', 'proc');
    const ckpt = join(dir, 'procfs.ckpt');
    const empty = join(dir, 'empty.ndjson');
    writeFileSync(empty, '');
    expect(cli(['snapshot', '--quiet', '--procfs-root', root, '--out', ckpt]).status).toBe(0);
    const walk = cli(['snapshot', '--quiet', '--procfs-root', root, '--format', 'json']);
    const handed = cli(['tree', '--quiet', '--format', 'json', '--from-snapshot', ckpt, empty]);
    expect(handed.status).toBe(0);
    // start and exit times come from a boot time each walk estimates anew (they differ by the estimate's jitter)
    const withoutStart = (text: string): unknown => JSON.parse(text, (key, value: unknown) => (key === 'startTime' || key === 'exitTime' ? undefined : value));
    expect(withoutStart(handed.stdout)).toEqual(withoutStart(walk.stdout));
    expect(withoutStart(walk.stdout)).not.toEqual([]);
  });

  it('a damaged checkpoint is refused with its line, exit 1', () => {
    const root = join(ROOT, 'test', 'fixtures', 'procfs', 'proc');
    const good = join(dir, 'good.ckpt');
    expect(cli(['snapshot', '--quiet', '--procfs-root', root, '--out', good]).status).toBe(0);
    const lines = gunzipSync(readFileSync(good)).toString('utf8').split('\n');
    const bad = join(dir, 'bad.ckpt');
    writeFileSync(bad, lines.slice(0, 3).join('\n'));
    const r = cli(['enrich', '--quiet', '--from-snapshot', bad, join(FIXTURES, 'threads.ndjson')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`proctree-rx: cannot read --from-snapshot ${bad}: checkpoint line 3: cut short (no end line)\n`);
    const missing = cli(['tree', '--from-snapshot', join(dir, 'nope.ckpt'), join(FIXTURES, 'threads.ndjson')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });

  it('--at without --out is a usage error', () => {
    const r = cli(['snapshot', '--at', '5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('snapshot --at needs --out FILE');
  });
});
