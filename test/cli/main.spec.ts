/**
 * The built executable, end to end: exit codes and which stream messages go to. Everything
 * else is tested on runCli without spawning. Builds the project (tsconfig.build.json) into a
 * temporary directory so it never races with other builds of dist/.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildCli, type BuiltCli } from '../support/builtCli.js';

let main: string;

const run = (...args: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', input: '', timeout: 20_000 });

let cli: BuiltCli | undefined;

beforeAll(() => {
  cli = buildCli('proctree-rx-main-');
  main = cli.main;
}, 60_000);

afterAll(() => {
  cli?.cleanup();
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
