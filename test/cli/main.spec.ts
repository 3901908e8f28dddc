/**
 * The built executable, end to end: exit codes and which stream messages go to. Everything
 * else is tested on runCli without spawning. Builds the project (tsconfig.build.json) into a
 * temporary directory so it never races with other builds of dist/.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
let dir: string;
let main: string;

const run = (...args: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', input: '', timeout: 20_000 });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'proctree-rx-main-'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Type errors elsewhere in a shared checkout do not stop tsc from emitting; the file must exist.
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', dir], {
    encoding: 'utf8',
  });
  main = join(dir, 'src', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`build did not produce ${main}`);
}, 60_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('proctree-rx (built)', () => {
  it('--help: help on stdout, exit 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('tracee --output json | proctree-rx');
    expect(r.stderr).toBe('');
  });

  it('--version: the package version, exit 0', () => {
    const r = run('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^proctree-rx \d+\.\d+\.\d+/);
  });

  it('a bad flag: message on stderr, nothing on stdout, exit 2', () => {
    const r = run('tree', '--fromat', 'dot');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown option --fromat; did you mean --format?');
  });

  it('starts with a shebang so the bin entry runs directly', () => {
    expect(readFileSync(main, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
