/**
 * Runs the examples (examples/*.mjs, which import the built package) as child processes: builds
 * the project once per test file into a temporary directory laid out like the repository
 * (dist/, examples/, node_modules → the real one), so tests never race with other builds of dist/.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
/** The sample captures shipped with the examples. */
export const DATA = join(ROOT, 'examples', 'data');

/** A built copy of the project with the examples beside it. */
export interface ExampleBuild {
  readonly dir: string;
  /** Runs `node examples/<name>.mjs ...args` with `input` on stdin. */
  run(name: string, args: readonly string[], input?: string): SpawnSyncReturns<string>;
  /** The path of an example inside the build. */
  script(name: string): string;
  remove(): void;
}

/**
 * Builds the project (tsc, as `npm run build`) into a temporary directory and copies the examples.
 * `PROCTREE_RX_BUILD_ROOT` may name another checkout of the sources to build (e.g. a clean export
 * of HEAD while the working tree is mid-edit); the examples always come from this one.
 */
export function buildExamples(): ExampleBuild {
  const sources = process.env['PROCTREE_RX_BUILD_ROOT'] ?? ROOT;
  const dir = mkdtempSync(join(tmpdir(), 'proctree-rx-examples-'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Type errors elsewhere in a shared checkout do not stop tsc from emitting; the entry point must exist.
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(sources, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], {
    encoding: 'utf8',
  });
  if (!existsSync(join(dir, 'dist', 'src', 'index.js'))) throw new Error(`build did not produce ${join(dir, 'dist', 'src', 'index.js')}`);
  mkdirSync(join(dir, 'examples'));
  for (const f of readdirSync(join(ROOT, 'examples'))) if (f.endsWith('.mjs')) copyFileSync(join(ROOT, 'examples', f), join(dir, 'examples', f));
  const script = (name: string): string => join(dir, 'examples', `${name}.mjs`);
  return {
    dir,
    script,
    run: (name, args, input = '') =>
      spawnSync(process.execPath, [script(name), ...args], { cwd: ROOT, encoding: 'utf8', input, timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Non-empty lines of a text. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

