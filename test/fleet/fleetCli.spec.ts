/**
 * `serve`'s sizing flags: checked before anything connects (no server needed).
 */
import { PassThrough } from 'node:stream';
import { runFleetCli } from '../../src/fleet/fleetCli.js';

async function serve(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runFleetCli(['serve', ...args], {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env: {},
    isTTY: { stdin: false, stdout: false, stderr: false },
    signal: new AbortController().signal,
  });
  return { code, stdout: out, stderr: err };
}

describe('serve: sizing per host', () => {
  it('documents --history, --encoder-cache and the cache bounds with their defaults', async () => {
    const { code, stdout } = await serve(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--history N .*\(default 64\)/);
    expect(stdout).toMatch(/--encoder-cache SIZE[\s\S]*\(default 1MiB; 0: none/);
    expect(stdout).toMatch(/--process-cache N .*\(default 16384, at least 4096/);
  });

  it.each([
    [['--history', '0'], '--history: expected a positive integer, got 0'],
    [['--encoder-cache', '12 MB'], '--encoder-cache: invalid size "12 MB"'],
    [['--thread-cache', 'x'], '--thread-cache: expected a positive integer, got x'],
    [['--process-cache', '1000'], '--process-cache: between 4096 and 16777216 (as Tracee\'s), got 1000'],
  ])('%j is a usage error', async (args, message) => {
    const { code, stderr } = await serve(['--nats', 'nats://127.0.0.1:1', '--group', 'g', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('serve: signatures that read artifacts', () => {
  it('refuses PRX-005/006 by name (hosts keep no artifacts: they would never fire) and says so in --help', async () => {
    const { code, stderr } = await serve(['--nats', 'nats://127.0.0.1:1', '--group', 'g', '--signatures', 'PRX-001,PRX-006']);
    expect(code).toBe(2);
    expect(stderr).toContain('--signatures: PRX-006 read(s) per-process artifacts, which serve does not keep');
    const help = await serve(['--help']);
    expect(help.stdout).toMatch(/but those reading\s+artifacts, PRX-005\/006/);
  });
});
