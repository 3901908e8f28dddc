/**
 * The tree's hardest case end to end: a lifecycle-only Tracee stream (fork / exec / exit of
 * short-lived processes, pids reused many times, ~1.25 KB per line; lib/synth.mjs mix
 * 'lifecycle'), 300 k events, side by side in one run:
 *   - bare: readFileSync + split + JSON.parse + JSON.stringify per line, written to /dev/null;
 *   - `proctree-rx enrich FILE`, `proctree-rx tree FILE` and `--proctree source=none` as child
 *     processes (wall time and peak RSS from /usr/bin/time when present);
 *   - the same `enrich` / `tree` on 3× the events (3× the processes): peak RSS must stay flat.
 * Targets (tree core v2): enrich ≥ 0.8× bare (goal 1.0×); peak RSS ≤ 250 MB, and ≤ +15 % at 3×;
 * tree within 1.3× of source=none.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSynth } from './lib/synth.mjs';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'cli', 'main.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs the CLI once: wall seconds and peak RSS (MiB, when /usr/bin/time is there). */
function cli(args) {
  const out = openSync('/dev/null', 'w');
  const t0 = process.hrtime.bigint();
  const cmd = TIME === undefined ? [process.execPath, MAIN, '--quiet', ...args] : [TIME, '-f', '%M', process.execPath, MAIN, '--quiet', ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
  closeSync(out);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`proctree-rx ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const kb = TIME === undefined ? NaN : Number(r.stderr.trim().split('\n').pop());
  return { seconds, rssMiB: kb / 1024 };
}

function bare(path) {
  const t0 = process.hrtime.bigint();
  const fd = openSync('/dev/null', 'w');
  let batch = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    batch += JSON.stringify(JSON.parse(line)) + '\n';
    if (batch.length >= 65536) {
      writeSync(fd, batch);
      batch = '';
    }
  }
  writeSync(fd, batch);
  closeSync(fd);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const best = (f, runs = 2) => {
  let b;
  for (let i = 0; i < runs; i++) {
    const r = f();
    if (b === undefined || r.seconds < b.seconds) b = r;
  }
  return b;
};

export default async function lifecycleBench() {
  const small = await ensureSynth({ lines: 300_000, mix: 'lifecycle' });
  const large = await ensureSynth({ lines: 900_000, mix: 'lifecycle' });
  const a = Math.min(bare(small.path), bare(small.path));
  const rate = (s) => `${((small.lines / s) / 1000).toFixed(1)} k events/s`;
  console.log(`lifecycle (300 k events, ${(small.bytes / 1e6).toFixed(0)} MB): bare read+parse+stringify+write ${a.toFixed(2)} s (${rate(a)})`);
  const enrich = best(() => cli([small.path]));
  const tree = best(() => cli(['tree', small.path]));
  const none = best(() => cli(['--proctree', 'source=none', small.path]));
  console.log(`lifecycle enrich CLI: ${enrich.seconds.toFixed(2)} s (${rate(enrich.seconds)}), ratio to bare ${(a / enrich.seconds).toFixed(2)}  target ≥ 0.8 (v1 ≈ 0.3); peak RSS ${enrich.rssMiB.toFixed(0)} MiB  target ≤ 250 (v1: 850–900)`);
  console.log(`lifecycle tree CLI: ${tree.seconds.toFixed(2)} s, ${(tree.seconds / none.seconds).toFixed(2)}× source=none (${none.seconds.toFixed(2)} s)  target ≤ 1.3×; peak RSS ${tree.rssMiB.toFixed(0)} MiB (source=none ${none.rssMiB.toFixed(0)} MiB)`);
  const enrich3 = cli([large.path]);
  const tree3 = cli(['tree', large.path]);
  console.log(
    `lifecycle 3× (900 k events): enrich peak RSS ${enrich3.rssMiB.toFixed(0)} MiB (${((enrich3.rssMiB / enrich.rssMiB - 1) * 100).toFixed(0)} %), tree ${tree3.rssMiB.toFixed(0)} MiB (${((tree3.rssMiB / tree.rssMiB - 1) * 100).toFixed(0)} %)  target ≤ +15 %`,
  );
}
