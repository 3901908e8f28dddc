/**
 * Builds the CLI once per test file into a temporary directory (never racing other builds of
 * dist/), for tests that drive it as a child process.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

/** A build of the CLI: `main` is the entry point; `cleanup()` removes the directory. */
export interface BuiltCli {
  readonly dir: string;
  readonly main: string;
  cleanup(): void;
}

/** Compiles tsconfig.build.json into a fresh temporary directory. Throws when the entry point is missing. */
export function buildCli(prefix: string): BuiltCli {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Type errors elsewhere in a shared checkout do not stop tsc from emitting; the file must exist.
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', dir], {
    encoding: 'utf8',
  });
  const main = join(dir, 'src', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`build did not produce ${main}`);
  return { dir, main, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
