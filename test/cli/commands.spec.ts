import { PassThrough } from 'node:stream';
import * as E from 'fp-ts/lib/Either.js';
import { runCommand } from '../../src/cli/commands.js';
import { parseCommandLine } from '../../src/cli/parseCommandLine.js';

// The placeholder runner until the pipelines are wired in; replace this test with the wiring's.
describe('runCommand (placeholder)', () => {
  it('says the command is not wired yet and resolves to 1', async () => {
    const stderr = new PassThrough();
    stderr.setEncoding('utf8');
    const parsed = parseCommandLine(['snapshot']);
    if (E.isLeft(parsed) || parsed.right.kind !== 'snapshot') throw new Error('expected snapshot');
    const io = {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr,
      env: {},
      isTTY: { stdin: false, stdout: false, stderr: false },
      signal: new AbortController().signal,
    };
    await expect(runCommand(parsed.right, io)).resolves.toBe(1);
    expect(stderr.read()).toBe('proctree-rx: snapshot is not wired yet\n');
  });
});
