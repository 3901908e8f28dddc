/** The CLI says on stderr, in one line, when it merged a procfs walk into the tree and how many processes came from it. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const CAPTURE = join(ROOT, 'test', 'fixtures', 'tracee', 'pipeline.ndjson');
const PROC = join(ROOT, 'test', 'fixtures', 'procfs', 'proc');

const stderrLines = (args: string[]): string[] => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stderr.split('\n').filter((l) => l.includes('merged'));
};

describe('the procfs line on stderr', () => {
  it('is printed, without --stats, when a walk was merged, with the count of processes it brought', () => {
    const lines = stderrLines(['tree', '--procfs-root', PROC, CAPTURE]);
    expect(lines).toHaveLength(1);
    const m = /^proctree-rx: merged (.+) into the tree: (\d+) processes came from it$/.exec(lines[0]!);
    expect(m?.[1]).toBe(PROC);
    // the same count --stats gives for the walk's processes
    const stats = spawnSync(process.execPath, [MAIN, 'tree', '--stats', '--procfs-root', PROC, CAPTURE], { encoding: 'utf8' }).stderr;
    const scanned = /procfs scan processes: (\d+)/.exec(stats)?.[1];
    expect(m?.[2]).toBe(scanned);
  });

  it('is not printed when no procfs was read (a file replay), nor with --quiet', () => {
    expect(stderrLines(['tree', CAPTURE])).toEqual([]);
    expect(stderrLines(['tree', '--quiet', '--procfs-root', PROC, CAPTURE])).toEqual([]);
  });
});
