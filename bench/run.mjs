/**
 * Benchmark runner: `npm run bench` (builds first; runs with `--max-semi-space-size=64`, as the CLI
 * sets for itself), or `node --expose-gc --max-semi-space-size=64 bench/run.mjs [filter]`.
 *
 * Contract for bench files (add yours, nothing to register):
 *   - a file named `bench/<name>.bench.mjs`; files run one after the other in alphabetical order;
 *   - it exports `default async function ()` that runs its measurements and prints its own lines
 *     with console.log (one figure per line, units in the line, e.g. `ingest fromNdjson: 212 k events/s`);
 *   - it imports the library from the build: `../dist/src/...js` (not from src/);
 *   - shared helpers live in bench/lib/ (synth.mjs: a large synthetic Tracee NDJSON file in bench/data/;
 *     measure.mjs: best-of-N timing and number formatting).
 * An optional argument runs only the files whose name contains it: `node bench/run.mjs ingest`.
 * Each file runs in a fresh child process with the runner's flags, and prints its peak RSS at its end.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = '--bench-file';

if (process.argv[2] === CHILD) {
  // one bench file, in this (fresh) process
  const file = process.argv[3];
  const mod = await import(pathToFileURL(join(here, file)).href);
  await mod.default();
  console.log(`# ${file}: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} else {
  const filter = process.argv[2] ?? '';
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.mjs') && f.includes(filter))
    .sort();
  let failed = 0;
  for (const file of files) {
    console.log(`# ${file}`);
    // each file in a process of its own (same flags): no heap state, JIT feedback or interned data
    // carried from one file's measurements into the next's memory and speed figures
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), CHILD, file], { stdio: 'inherit' });
    if (r.status !== 0) {
      failed++;
      console.log(`${file} failed (exit ${r.status ?? r.signal})`);
    }
  }
  console.log(`# done: ${files.length} bench file(s)${failed ? `, ${failed} failed` : ''}`);
  if (failed) process.exitCode = 1;
}
