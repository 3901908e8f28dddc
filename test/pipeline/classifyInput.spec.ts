import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyInput, type StatFunctions } from '../../src/pipeline/classifyInput.js';

const fakeStat = (isFile: boolean) => Promise.resolve({ isFile: () => isFile });

describe('classifyInput', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'proctree-rx-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a regular file is a file', async () => {
    const path = join(dir, 'cap.ndjson');
    writeFileSync(path, '{}\n');
    await expect(classifyInput(path)).resolves.toBe('file');
  });

  it('a named pipe is a fifo (stat does not block on it)', async () => {
    const path = join(dir, 'events.fifo');
    execFileSync('mkfifo', [path]);
    await expect(classifyInput(path)).resolves.toBe('fifo');
  });

  it('a missing path rejects with ENOENT', async () => {
    await expect(classifyInput(join(dir, 'missing.ndjson'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('- is stdin when fd 0 is a pipe or terminal, file when redirected from a file', async () => {
    const pipe: StatFunctions = { statPath: () => fakeStat(true), statStdin: () => fakeStat(false) };
    const redirected: StatFunctions = { statPath: () => fakeStat(false), statStdin: () => fakeStat(true) };
    await expect(classifyInput('-', pipe)).resolves.toBe('stdin');
    await expect(classifyInput('-', redirected)).resolves.toBe('file');
  });
});
