/**
 * The fleet on NATS JetStream, measured: 100 hosts' synthetic Tracee streams (bench/lib/synth.mjs,
 * one seed and hostName per host, interleaved) through a real nats-server (Debian's package;
 * scripts/ensureDebianPackage.mjs installs it where missing) — `proctree-rx publish` in, a group
 * of 1 and then 2 `proctree-rx serve` workers, enriched events out. For each group size:
 *   - throughput: input events / s from the first publish to the last enriched event stored;
 *   - end-to-end lag per event: the enriched event's stored time minus its input's stored time
 *     (JetStream's own timestamps; k-th input of a host ↔ k-th output of that host), p50 / p99;
 *   - memory: each worker's peak RSS (VmHWM) and, over an idle worker's, per host it held.
 * The workers run while the publisher publishes (live shape, not a backlog drained afterwards).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AckPolicy, connect, DeliverPolicy } from 'nats';
import { ensureDebianPackage } from '../scripts/ensureDebianPackage.mjs';
import { synthLines } from './lib/synth.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const HOSTS = 100;
const LINES_PER_HOST = 1_000;
const PARTITIONS = 32;
/** More `serve` options, e.g. FLEET_BENCH_SERVE_ARGS='--max-ack-pending 64' (what the in-flight window costs). */
const SERVE_ARGS = (process.env['FLEET_BENCH_SERVE_ARGS'] ?? '').split(' ').filter((a) => a !== '');

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

async function startServer(dir) {
  const port = await freePort();
  const proc = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server not ready:\n${log}`)), 15_000);
    proc.stderr.on('data', (c) => {
      log += c;
      if (log.includes('Server is ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`nats-server exited ${code}:\n${log}`)));
  });
  return { url: `nats://127.0.0.1:${port}`, stop: () => new Promise((resolve) => (proc.once('exit', resolve), proc.kill('SIGKILL'))) };
}

const cli = (args) => {
  const proc = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (c) => (err += c));
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  return { proc, exited, stderr: () => err };
};

/** Peak RSS of a live process, MiB (VmHWM). */
const peakRss = (pid) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

/** Every message of `subject` in `stream` with its stored time (ns), in stream order; waits for `count`. */
async function readAll(nc, stream, subject, count, timeoutMs) {
  const jsm = await nc.jetstreamManager();
  const deadline = Date.now() + timeoutMs;
  let info;
  for (;;) {
    try {
      info = await jsm.consumers.add(stream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, filter_subject: subject });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const consumer = await nc.jetstream().consumers.get(stream, info.name);
  const messages = await consumer.consume({ max_messages: 2000 });
  const timer = setTimeout(() => messages.stop(new Error(`timed out: ${out.length} of ${count} on ${subject}`)), Math.max(1, deadline - Date.now()));
  const out = [];
  for await (const m of messages) {
    out.push({ subject: m.subject, t: m.info.timestampNanos });
    if (out.length >= count) break;
  }
  clearTimeout(timer);
  return out;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

export default async function fleetBench() {
  ensureDebianPackage('nats-server');
  const dir = mkdtempSync(join(tmpdir(), 'proctree-fleet-bench-'));
  try {
    // 100 hosts, interleaved line by line (each host's lines in order)
    const perHost = [];
    for (let h = 0; h < HOSTS; h++) perHost.push([...synthLines({ lines: LINES_PER_HOST, seed: h + 1 })].map((l) => l.replace('"hostName":"vm"', `"hostName":"host-${h}.example"`)));
    const all = [];
    for (let j = 0; j < LINES_PER_HOST; j++) for (const lines of perHost) all.push(lines[j]);
    const input = join(dir, 'all.ndjson');
    writeFileSync(input, all.join('\n') + '\n');
    const total = all.length;

    for (const workers of [1, 2]) {
      const server = await startServer(join(dir, `store-${workers}`));
      const group = [];
      try {
        for (let w = 0; w < workers; w++) group.push(cli(['serve', '--quiet', '--nats', server.url, '--group', 'bench', '--partitions', String(PARTITIONS), '--signatures', 'none', ...SERVE_ARGS]));
        // an idle worker's footprint, before any event (the baseline of memory per host)
        await new Promise((r) => setTimeout(r, 1500));
        const idle = peakRss(group[0].proc.pid);
        const t0 = process.hrtime.bigint();
        const pub = cli(['publish', '--quiet', '--nats', server.url, '--no-procfs', '--partitions', String(PARTITIONS), input]);
        const pubCode = await pub.exited;
        if (pubCode !== 0) throw new Error(`publish exited ${pubCode}: ${pub.stderr()}`);
        const publishS = Number(process.hrtime.bigint() - t0) / 1e9;
        const nc = await connect({ servers: server.url });
        const outputs = await readAll(nc, 'PROCTREE_OUTPUT', 'proctree.enriched.>', total, 600_000);
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const inputs = await readAll(nc, 'PROCTREE_EVENTS', 'proctree.events.>', total, 60_000);
        await nc.close();
        // k-th input of a host ↔ k-th output of that host
        const byHost = new Map();
        for (const m of inputs) {
          const host = m.subject.slice(m.subject.lastIndexOf('.') + 1);
          (byHost.get(host) ?? byHost.set(host, { in: [], out: [] }).get(host)).in.push(m.t);
        }
        for (const m of outputs) {
          const host = m.subject.slice(m.subject.lastIndexOf('.') + 1);
          byHost.get(host)?.out.push(m.t);
        }
        const lags = [];
        for (const { in: ins, out } of byHost.values()) for (let k = 0; k < Math.min(ins.length, out.length); k++) lags.push(Number(BigInt(out[k]) - BigInt(ins[k])) / 1e6);
        lags.sort((a, b) => a - b);
        const rss = group.map((g) => peakRss(g.proc.pid));
        const perHostKiB = ((Math.max(...rss) - idle) * 1024 * workers) / HOSTS;
        console.log(
          `fleet ${workers} worker${workers === 1 ? '' : 's'}${SERVE_ARGS.length > 0 ? ` (${SERVE_ARGS.join(' ')})` : ''}, ${HOSTS} hosts, ${total} events: ${(total / seconds / 1000).toFixed(1)} k events/s end to end ` +
            `(publish alone ${(total / publishS / 1000).toFixed(1)} k/s); lag p50 ${pct(lags, 50).toFixed(0)} ms, p99 ${pct(lags, 99).toFixed(0)} ms; ` +
            `worker peak RSS ${rss.map((r) => r.toFixed(0)).join(' / ')} MiB (idle ${idle.toFixed(0)} MiB) → ~${perHostKiB.toFixed(0)} KiB per host`,
        );
      } finally {
        for (const g of group) g.proc.kill('SIGTERM');
        await Promise.all(group.map((g) => g.exited));
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
