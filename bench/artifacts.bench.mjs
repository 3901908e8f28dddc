/**
 * What per-process artifacts cost.
 *   (a) `enrich` on the mixed synthetic stream (lib/synth.mjs: 200k lines, ~88 % openat) through the
 *       public entry point, `pipeline({ inputs }).write(/dev/null)`, without and with
 *       `artifacts: true` (what `proctree-rx enrich --artifacts` runs: the store fed, and
 *       `"artifacts":{"counts":…}` on each line, everything on each exit line). Runs alternate
 *       (off, on, off, on, …) so that machine load hits both alike; best of each. Target: ≤ 15 %
 *       slower with artifacts.
 *   (b) memory per live process with artifacts: N live processes, each opening 24 distinct files
 *       (two opens each), connecting to 2 peers and resolving nothing; heap after a full GC, with
 *       the store minus without it, per process. Entry counts printed beside.
 * Print the load average with the figures (the machine is shared).
 */
import { loadavg } from 'node:os';
import { pipeline, TreeBuilder, ArtifactStore } from '../dist/src/index.js';
import { world } from '../dist/marbles/index.js';
import { devNull, rate } from './lib/measure.mjs';
import { ensureSynth } from './lib/synth.mjs';


const RUNS = 3;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function enrichOnce(path, artifacts) {
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const run = await pipeline({ inputs: path, history: { maxVersions: 64 }, ...(artifacts ? { artifacts: true } : {}) });
  const r = await run.write(devNull(), { end: true });
  const c = process.cpuUsage(c0);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6, lines: r.lines, bytes: r.bytes, footprint: run.builder.artifacts?.footprint() };
}

async function enrichCost() {
  const { path, bytes } = await ensureSynth();
  console.log(`artifacts load average before: ${load()}`);
  let off;
  let on;
  let offCpu = Infinity;
  let onCpu = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const a = await enrichOnce(path, false);
    if (off === undefined || a.seconds < off.seconds) off = a;
    offCpu = Math.min(offCpu, a.cpu);
    const b = await enrichOnce(path, true);
    if (on === undefined || b.seconds < on.seconds) on = b;
    onCpu = Math.min(onCpu, b.cpu);
  }
  console.log(rate('artifacts enrich without artifacts', off.lines, bytes, off.seconds));
  console.log(rate('artifacts enrich with artifacts: true (--artifacts)', on.lines, bytes, on.seconds));
  const slower = (on.seconds / off.seconds - 1) * 100;
  console.log(`artifacts enrich cost: ${slower.toFixed(1)} % slower with artifacts (target ≤ 15 %: ${slower <= 15 ? 'met' : 'MISSED'}); output ${(off.bytes / off.lines).toFixed(0)} → ${(on.bytes / on.lines).toFixed(0)} B per event`);
  console.log(`artifacts enrich CPU time (both threads; less sensitive to a shared machine): ${offCpu.toFixed(2)} s → ${onCpu.toFixed(2)} s, ${((onCpu / offCpu - 1) * 100).toFixed(1)} % more`);
  console.log(`artifacts store at the end: ${JSON.stringify(on.footprint)}`);
  console.log(`artifacts load average after: ${load()}`);
}

/** N live processes, each with 24 files (2 opens each) and 2 peers. */
function liveProcesses(n, artifacts) {
  const w = world();
  const root = w.process({ pid: 10, comm: 'sh' });
  const builder = new TreeBuilder({ ...(artifacts ? { artifacts: new ArtifactStore() } : {}), processCacheSize: n * 2, threadCacheSize: n * 2, history: { maxVersions: 16 } });
  let pid = 1000;
  for (let i = 0; i < n; i++) {
    const child = w.fork(root, { pid: pid++ });
    builder.applyEnvelope(child.event);
    for (let k = 0; k < 48; k++) builder.applyEnvelope(w.syscall(child.child, 'openat', { args: { dirfd: -100, pathname: `/srv/app/data/${i % 97}/file-${k % 24}.json`, flags: 'O_RDONLY|O_CLOEXEC', mode: 0 } }));
    for (let k = 0; k < 2; k++) builder.applyEnvelope(w.syscall(child.child, 'connect', { args: { sockfd: 3, addr: { sa_family: 'AF_INET', sin_port: String(443 + k), sin_addr: `10.0.${i % 250}.${k + 1}` } } }));
  }
  return builder;
}

function heapAfterGc() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

function memoryPerProcess() {
  const n = 5000;
  const base0 = heapAfterGc();
  let b = liveProcesses(n, false);
  const without = heapAfterGc() - base0;
  b = undefined;
  const base1 = heapAfterGc();
  b = liveProcesses(n, true);
  const withArtifacts = heapAfterGc() - base1;
  const f = b.artifacts.footprint();
  console.log(
    `artifacts memory: ${n} live processes, 24 files (48 opens) + 2 peers each: tree ${(without / n).toFixed(0)} B/process, with artifacts ${(withArtifacts / n).toFixed(0)} B/process ` +
      `(artifacts ${((withArtifacts - without) / n).toFixed(0)} B/process, of which the as-of change log holds ${f.changes} changes); store ${JSON.stringify(f)}`,
  );
  if (typeof globalThis.gc !== 'function') console.log('artifacts memory: (run with --expose-gc for stable figures)');
  b = undefined;
}

export default async function artifactsBench() {
  await enrichCost();
  memoryPerProcess();
}
