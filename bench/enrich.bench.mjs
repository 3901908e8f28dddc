/**
 * End-to-end `enrich` throughput on the synthetic Tracee file from lib/synth.mjs (200k lines,
 * ~1 KB each), side by side in the same run with:
 *   (a) bare loop: readFileSync + split + JSON.parse + JSON.stringify per line, written to
 *       /dev/null in 64 KiB batches — the floor to compare with (no tree, no context added);
 *   (b) the in-process pipeline through the public entry point: `pipeline({ inputs: FILE })`
 *       (lines parsed on a worker thread, measured reorder window, enrich, the encoder) and
 *       `run.write(/dev/null)` — what `proctree-rx enrich FILE` runs;
 *   (c) the CLI as a child process: `node dist/src/cli/main.js --quiet FILE > /dev/null`
 *       (wall time including start-up), and `--proctree source=none` (pass-through) for reference.
 * Output bytes are reported: enrich writes each line plus its context (~3.5 KB here), so it
 * writes ~4-5× what it reads. Target: (b) ≥ 0.8 × (a) in events/s.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from '../dist/src/index.js';
import { best, devNull, rate } from './lib/measure.mjs';
import { ensureSynth } from './lib/synth.mjs';


const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'cli', 'main.js');
const RUNS = 2;

/** Wall time of the CLI writing to /dev/null. */
const cli = (args) =>
  new Promise((resolve, reject) => {
    const out = openSync('/dev/null', 'w');
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [MAIN, '--quiet', ...args], { stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(out);
      if (code !== 0) reject(new Error(`proctree-rx exited ${code}: ${stderr}`));
      else resolve(Number(process.hrtime.bigint() - t0) / 1e9);
    });
  });

export default async function enrichBench() {
  const { path, bytes } = await ensureSynth();

  const bare = await best(() => {
    const fd = openSync('/dev/null', 'w');
    let n = 0;
    let batch = '';
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      batch += JSON.stringify(JSON.parse(line)) + '\n';
      n++;
      if (batch.length >= 65536) {
        writeSync(fd, batch);
        batch = '';
      }
    }
    writeSync(fd, batch);
    closeSync(fd);
    return n;
  }, RUNS);
  console.log(rate('enrich (a) bare read+JSON.parse+JSON.stringify+write', bare.result, bytes, bare.seconds));

  let outBytes = 0;
  const ours = await best(async () => {
    // the public entry point, as the CLI runs it: parser thread, measured reorder window, enrich, encoder
    let issues = 0;
    const run = await pipeline({ inputs: path, history: { maxVersions: 64 }, onIssue: () => issues++ });
    const r = await run.write(devNull(), { end: true });
    if (issues) throw new Error(`${issues} bad lines`);
    outBytes = r.bytes;
    return r.lines;
  }, RUNS);
  console.log(rate('enrich (b) in-process pipeline({ inputs }).write(/dev/null) (public API)', ours.result, bytes, ours.seconds));
  console.log(`enrich (b) output: ${(outBytes / 1e6).toFixed(0)} MB written for ${(bytes / 1e6).toFixed(0)} MB read (${(outBytes / ours.result).toFixed(0)} B per event)`);

  let seconds = Infinity;
  for (let i = 0; i < RUNS; i++) seconds = Math.min(seconds, await cli([path]));
  console.log(rate('enrich (c) CLI proctree-rx --quiet FILE > /dev/null (child process)', ours.result, bytes, seconds));
  let passSeconds = Infinity;
  for (let i = 0; i < RUNS; i++) passSeconds = Math.min(passSeconds, await cli(['--proctree', 'source=none', path]));
  console.log(rate('enrich CLI --proctree source=none (pass-through, full sort)', ours.result, bytes, passSeconds));

  if (ours.result !== bare.result) console.log(`enrich WARNING (b) wrote ${ours.result} lines, (a) ${bare.result}`);
  const ratio = bare.seconds / ours.seconds;
  console.log(
    `enrich ratio (b)/(a): ${ratio.toFixed(2)} (target ≥ 0.8: ${ratio >= 0.8 ? 'met' : 'MISSED'}); (c)/(a): ${(bare.seconds / seconds).toFixed(2)}; pass-through CLI/(a): ${(bare.seconds / passSeconds).toFixed(2)}`,
  );
}
