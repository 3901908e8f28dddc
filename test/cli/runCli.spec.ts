import { PassThrough } from 'node:stream';
import type { CliCommand } from '../../src/cli/cliTypes.js';
import type { CliIo, CommandRunner } from '../../src/cli/commands.js';
import { helpText } from '../../src/cli/help.js';
import { runCli } from '../../src/cli/runCli.js';

const sink = () => {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  return { stream, text: () => text };
};

const harness = (isTTY = { stdin: false, stdout: false, stderr: false }) => {
  const stdout = sink();
  const stderr = sink();
  const io: CliIo = {
    stdin: new PassThrough(),
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: {},
    isTTY,
    signal: new AbortController().signal,
  };
  const calls: CliCommand[] = [];
  const runner: CommandRunner = (cmd) => {
    calls.push(cmd);
    return Promise.resolve(0);
  };
  return { io, out: stdout.text, err: stderr.text, calls, runner };
};

describe('runCli', () => {
  it('--help prints the general help on stdout, exit 0, runs nothing', async () => {
    const h = harness();
    await expect(runCli(['--help'], h.io, { runner: h.runner, version: '1.2.3' })).resolves.toBe(0);
    expect(h.out()).toBe(helpText(undefined) + '\n');
    expect(h.err()).toBe('');
    expect(h.calls).toEqual([]);
  });

  it('--proctree help prints the --proctree help', async () => {
    const h = harness();
    await expect(runCli(['-t', 'help'], h.io, { runner: h.runner, version: '1' })).resolves.toBe(0);
    expect(h.out()).toBe(helpText('proctree') + '\n');
  });

  it('--version prints the version', async () => {
    const h = harness();
    await expect(runCli(['--version'], h.io, { runner: h.runner, version: '1.2.3' })).resolves.toBe(0);
    expect(h.out()).toBe('proctree-rx 1.2.3\n');
  });

  it('a usage error goes to stderr with a pointer to the right help, exit 2', async () => {
    const h = harness();
    await expect(runCli(['tree', '--fromat', 'dot'], h.io, { runner: h.runner, version: '1' })).resolves.toBe(2);
    expect(h.out()).toBe('');
    expect(h.err()).toBe(
      "proctree-rx: unknown option --fromat; did you mean --format?\nTry 'proctree-rx tree --help' for more information.\n",
    );
    expect(h.calls).toEqual([]);
  });

  it('a usage error about no particular command points at the general help', async () => {
    const h = harness();
    await runCli(['tre'], h.io, { runner: h.runner, version: '1' });
    expect(h.err()).toMatch(/\nTry 'proctree-rx --help' for more information\.\n$/);
  });

  it('hands a command to the runner and returns its exit code', async () => {
    const h = harness();
    const runner: CommandRunner = (cmd) => {
      h.calls.push(cmd);
      return Promise.resolve(7);
    };
    await expect(runCli(['tree', 'cap.ndjson'], h.io, { runner, version: '1' })).resolves.toBe(7);
    expect(h.calls).toMatchObject([{ kind: 'tree', inputs: ['cap.ndjson'] }]);
  });

  it('prints --proctree warnings on stderr before running, unless --quiet', async () => {
    const h = harness();
    await runCli(['-t', 'process-cache=1', 'x'], h.io, { runner: h.runner, version: '1' });
    expect(h.err()).toBe(
      'proctree-rx: warning: --proctree process-cache=1 is below the minimum 4096; using the default 16384 (as Tracee does)\n',
    );
    const q = harness();
    await runCli(['-t', 'process-cache=1', '--quiet', 'x'], q.io, { runner: q.runner, version: '1' });
    expect(q.err()).toBe('');
  });

  it('notes when events would be read from a terminal', async () => {
    const h = harness({ stdin: true, stdout: true, stderr: true });
    await runCli([], h.io, { runner: h.runner, version: '1' });
    expect(h.err()).toMatch(/^proctree-rx: reading events from the terminal;/);
    const f = harness({ stdin: true, stdout: true, stderr: true });
    await runCli(['cap.ndjson'], f.io, { runner: f.runner, version: '1' });
    expect(f.err()).toBe('');
  });

  it('a rejected runner is reported on stderr, exit 1', async () => {
    const h = harness();
    const runner: CommandRunner = () => Promise.reject(new Error('cap.ndjson: no such file'));
    await expect(runCli(['cap.ndjson'], h.io, { runner, version: '1' })).resolves.toBe(1);
    expect(h.err()).toBe('proctree-rx: cap.ndjson: no such file\n');
  });
});
