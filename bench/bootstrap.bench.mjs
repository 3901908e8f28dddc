/**
 * procfs bootstrap speed: scanProcfs over the host's /proc and over a generated 10k-task fixture
 * (test/fixtures/procfs/make-fixture.mjs → bench/data/procfs-10k/, built once, gitignored).
 * Best of 3 each (wall and CPU time: CPU is steadier on a busy machine); also the event loop's longest stall during a scan (the scan reads in ≤ 4 ms
 * slices with setImmediate between them). Target: the 10k-task fixture in < 1 s.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { lastValueFrom } from 'rxjs';
import { scanProcfs } from '../dist/src/bootstrap/scanProcfs.js';
import { makeLargeFixture } from '../test/fixtures/procfs/make-fixture.mjs';
import { best, kilo } from './lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const TASKS = 10_000;

/** Builds (once) the generated fixture; returns its procfs root. */
const ensureFixture = () => {
  const fsRoot = join(here, 'data', 'procfs-10k');
  const marker = join(fsRoot, 'tasks.txt');
  if (!existsSync(marker) || readFileSync(marker, 'utf8').trim() !== String(TASKS)) {
    makeLargeFixture(fsRoot, TASKS);
    writeFileSync(marker, `${TASKS}\n`);
  }
  return join(fsRoot, 'proc');
};

const scanOnce = async (root) => {
  let stats;
  await lastValueFrom(scanProcfs({ root, bootEpochNs: 0n, onStats: (s) => (stats = s) }), { defaultValue: undefined });
  return stats;
};

const measure = async (label, root) => {
  let cpuMs = Infinity;
  const { seconds, result: stats } = await best(async () => {
    const c0 = process.cpuUsage();
    const s = await scanOnce(root);
    const c = process.cpuUsage(c0);
    cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
    return s;
  }, 3);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  await scanOnce(root);
  loop.disable();
  console.log(
    `bootstrap ${label}: ${stats.tasks} tasks (${stats.processes} processes, ${stats.threads} threads) in ${(seconds * 1000).toFixed(1)} ms (CPU ${cpuMs.toFixed(1)} ms), ` +
      `${kilo(stats.tasks / seconds)} tasks/s; longest event-loop stall ${(loop.max / 1e6).toFixed(1)} ms`,
  );
};

export default async function bootstrap() {
  await measure('host /proc', '/proc');
  await measure(`generated ${kilo(TASKS)}-task fixture`, ensureFixture());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await bootstrap();
