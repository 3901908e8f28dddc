/**
 * The built executable, end to end: exit codes and which stream messages go to. Everything
 * else is tested on runCli without spawning. Builds the project (tsconfig.build.json) into a
 * temporary directory so it never races with other builds of dist/.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'tracee', 'pipeline.ndjson');

describe('proctree-rx (built): output errors and signals', () => {
  it('a full disk (stdout on /dev/full): one clear line, no stack trace, exit 1', () => {
    for (const args of [[FIXTURE], ['tree', FIXTURE]]) {
      const out = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [main, '--quiet', ...args], { encoding: 'utf8', stdio: ['ignore', out, 'pipe'], timeout: 20_000 });
        expect(r.status).toBe(1);
        expect(r.stderr).toBe('proctree-rx: cannot write output: no space left on device (ENOSPC)\n');
      } finally {
        closeSync(out);
      }
    }
  });

  it('a reader that goes away (| head): quiet, exit 0', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${main}" --quiet "${FIXTURE}" "${FIXTURE}" | head -c 10 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0\n');
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s while reading a FIFO whose writer is idle: lines flushed, summary printed, exit %d within a second', async (signal, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'prx-fifo-'));
    const fifo = join(dir, 'events.fifo');
    try {
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const child = spawn(process.execPath, [main, '--proctree', 'disable-procfs', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      // the writer opens the FIFO, writes 3 lines and then stays idle with it open
      const writer = openSync(fifo, 'w');
      const lines = readFileSync(FIXTURE, 'utf8').split('\n').slice(0, 3).join('\n') + '\n';
      writeSync(writer, lines);
      await new Promise((r) => setTimeout(r, 1500));
      const sent = performance.now();
      child.kill(signal);
      const status = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      const stopMs = performance.now() - sent;
      closeSync(writer);
      expect(status).toBe(code);
      expect(stopMs).toBeLessThan(1000);
      expect(stdout.split('\n').filter((l) => l !== '')).toHaveLength(3);
      expect(stdout.endsWith('\n')).toBe(true);
      expect(stderr).toContain(`proctree-rx: ${signal}: stopped reading`);
      expect(stderr).toMatch(/proctree-rx: 3 events \(\d+ lifecycle\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
