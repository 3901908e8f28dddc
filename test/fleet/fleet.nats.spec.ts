/**
 * The fleet against real nats-server processes (Debian's 2.9, JetStream on loopback): the CLI's
 * `publish` and `serve` as child processes, faults injected with kill -9. Each test is bounded
 * (its timeout) and checks exactly-once, byte-for-byte output per host against the
 * single-process `proctree-rx enrich` of that host's events.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { partitionOf } from '../../src/fleet/subjects.js';
import { countOn, expectPerHost, expectPerHostOnce, makeHosts, publishFile, readStream, startCli, startWorkerCli, stopWorker, summaryFigure, type HostData } from './fleetSupport.js';
import { startCluster, startServer, type NatsSetup } from './natsServer.js';

const OUT = 'PROCTREE_OUTPUT';
const ENRICHED = 'proctree.enriched.>';

let dir: string;
let hosts: HostData[];
let all: string;
let total: number;
let setup: NatsSetup | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'proctree-fleet-'));
  ({ hosts, all } = makeHosts(dir, 4, 2500));
  total = hosts.reduce((n, h) => n + h.lines.length, 0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Child processes a test started that must not outlive it. */
const children: { proc: { kill(signal: NodeJS.Signals): boolean; exitCode: number | null } }[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  await setup?.stop();
  setup = undefined;
});

const elapsed = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

describe('fleet on one nats-server', () => {
  it('one worker: every host byte-identical to proctree-rx enrich; a graceful restart replays nothing', async () => {
    const t0 = performance.now();
    setup = await startServer();
    await publishFile(setup.urls, all);
    const w = startWorkerCli(setup.urls);
    children.push(w);
    expectPerHost(await readStream(setup.urls, OUT, ENRICHED, total), hosts);
    const first = await stopWorker(w);
    expect(summaryFigure(first, 'applied')).toBe(total);
    // restarted: every host restored from its checkpoint, nothing applied again
    const again = startWorkerCli(setup.urls);
    children.push(again);
    await waitFor(() => again.stderr().includes('joined group'));
    const second = await stopWorker(again);
    expect(summaryFigure(second, 'applied')).toBe(0);
    expect(await countOn(setup.urls, OUT, ENRICHED)).toBe(total);
    console.log(`fleet: one worker, ${total} events, restart: ${elapsed(t0)}`);
  }, 60_000);

  it('kill -9 a worker mid-stream: the other takes its hosts over; every event exactly once, byte-identical per host', async () => {
    const t0 = performance.now();
    setup = await startServer();
    await publishFile(setup.urls, all);
    const a = startWorkerCli(setup.urls, ['--checkpoint-events', '300', '--max-ack-pending', '64']);
    children.push(a);
    // a alone first: it holds every partition, and has checkpointed its hosts, when b joins and a dies
    await readStream(setup.urls, OUT, ENRICHED, Math.floor(total / 4));
    const b = startWorkerCli(setup.urls, ['--checkpoint-events', '300', '--max-ack-pending', '64']);
    children.push(b);
    a.proc.kill('SIGKILL');
    const tKill = performance.now();
    await a.exited;
    expectPerHost(await readStream(setup.urls, OUT, ENRICHED, total), hosts);
    const took = elapsed(tKill);
    const bErr = await stopWorker(b);
    expect(await countOn(setup.urls, OUT, ENRICHED)).toBe(total);
    // b took a's hosts over from a's checkpoints (not from the start of the stream)
    expect(summaryFigure(bErr, 'hosts restored')).toBeGreaterThan(0);
    expect(summaryFigure(bErr, 'applied')).toBeLessThan(total);
    console.log(`fleet: kill -9 takeover: all outputs ${took} after the kill; b: ${bErr.slice(bErr.lastIndexOf('stopped;'))} (${elapsed(t0)})`);
  }, 60_000);

  it('two busy workers: the second gets its share from the first, no lease lapses, no partition changes hands twice', async () => {
    const t0 = performance.now();
    setup = await startServer();
    await publishFile(setup.urls, all);
    const args = ['--checkpoint-events', '100'];
    const a = startWorkerCli(setup.urls, args);
    children.push(a);
    await readStream(setup.urls, OUT, ENRICHED, Math.floor(total / 5));
    const b = startWorkerCli(setup.urls, args);
    children.push(b);
    expectPerHost(await readStream(setup.urls, OUT, ENRICHED, total), hosts);
    // the hand-over goes on one partition per lease round: wait (bounded) until it settled
    let holders = await leaseHolders(setup.urls, 8);
    for (const deadline = Date.now() + 20_000; JSON.stringify(Object.values(holders).sort()) !== '[4,4]' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      holders = await leaseHolders(setup.urls, 8);
    }
    const [aSaid, bSaid] = [a.stderr(), b.stderr()];
    await Promise.all([stopWorker(a), stopWorker(b)]);
    const moves = (said: string, what: RegExp): number => [...said.matchAll(what)].reduce((n, m) => n + m[1]!.split(',').length, 0);
    console.log(`fleet: two busy workers: holders ${JSON.stringify(holders)}; a gave up ${moves(aSaid, /gave partitions? ([\d,]+) up/g)}, b took ${moves(bSaid, /took partitions? ([\d,]+)/g)} (${elapsed(t0)})`);
    expect(aSaid).not.toContain('taken over');
    expect(bSaid).not.toContain('taken over');
    expect(moves(aSaid, /gave partitions? ([\d,]+) up/g)).toBe(4);
    expect(moves(bSaid, /took partitions? ([\d,]+)/g)).toBe(4);
    expect(Object.values(holders).sort()).toEqual([4, 4]);
  }, 60_000);

  it('kill -9 the only worker, start it again: it resumes from its checkpoints (replayed events counted), no loss, no duplicate', async () => {
    const t0 = performance.now();
    setup = await startServer();
    await publishFile(setup.urls, all);
    const a = startWorkerCli(setup.urls, ['--worker-id', 'w1', '--checkpoint-events', '250', '--max-ack-pending', '32']);
    children.push(a);
    await readStream(setup.urls, OUT, ENRICHED, Math.floor(total / 2));
    a.proc.kill('SIGKILL');
    await a.exited;
    const stored = await countOn(setup.urls, OUT, ENRICHED);
    const again = startWorkerCli(setup.urls, ['--worker-id', 'w1']);
    children.push(again);
    expectPerHost(await readStream(setup.urls, OUT, ENRICHED, total), hosts);
    const err = await stopWorker(again);
    const applied = summaryFigure(err, 'applied');
    const replayed = summaryFigure(err, 'duplicate outputs');
    expect(summaryFigure(err, 'hosts restored')).toBeGreaterThan(0);
    // only what came after each host's checkpoint was applied again: the new events plus a replay
    expect(applied).toBe(total - stored + replayed);
    expect(applied).toBeLessThan(total);
    expect(await countOn(setup.urls, OUT, ENRICHED)).toBe(total);
    console.log(`fleet: restart after kill -9: ${stored} stored before, ${applied} applied after, ${replayed} replayed (${elapsed(t0)})`);
  }, 60_000);

  it('deliveries lost on their way (taken by another client mid-stream): the worker sees the hole, applies nothing past it, and every host is byte-identical, in order', async () => {
    // After a cluster node dies, a consumer can deliver later messages of a partition while earlier
    // ones it delivered were lost in transit (they come back only after the ack wait). Applying the
    // later ones would enrich them from a tree that misses the lost events (88 lines of a host
    // differed once in the cluster test), or skip the lost ones as applied (outputs lost). Here the
    // loss is made on purpose: another client pulls a few messages from the worker's consumer.
    const t0 = performance.now();
    setup = await startServer();
    await publishFile(setup.urls, all);
    const w = startWorkerCli(setup.urls, ['--checkpoint-events', '200', '--max-ack-pending', '16']);
    children.push(w);
    await readStream(setup.urls, OUT, ENRICHED, 400);
    const nc = await connect({ servers: setup.urls });
    const consumer = await nc.jetstream().consumers.get('PROCTREE_EVENTS', `g-p${partitionOf(hosts[0]!.host, 8)}`);
    let taken = 0;
    for await (const m of await consumer.fetch({ max_messages: 5, expires: 2000 })) {
      if (m.seq > 0) taken++; // held, never acknowledged
    }
    expect(taken).toBeGreaterThan(0);
    expectPerHost(await readStream(setup.urls, OUT, ENRICHED, total), hosts);
    await nc.close();
    const err = await stopWorker(w);
    expect(err).toMatch(/delivery \d+ came after \d+/);
    expect(await countOn(setup.urls, OUT, ENRICHED)).toBe(total);
    console.log(`fleet: ${taken} deliveries lost on their way: all outputs byte-identical (${elapsed(t0)})`);
  }, 60_000);

  it('a publisher whose server restarts loses nothing and stores each line once', async () => {
    const t0 = performance.now();
    setup = await startServer();
    const [server] = setup.servers;
    const lines = hosts[0]!.lines;
    const pub = startCli(['publish', '--nats', setup.urls, '--no-procfs', '--partitions', '8', '-'], 'pipe');
    children.push(pub);
    const half = Math.floor(lines.length / 2);
    pub.proc.stdin!.write(lines.slice(0, half).join('\n') + '\n');
    await readStream(setup.urls, 'PROCTREE_EVENTS', 'proctree.events.>', half);
    await server!.kill('SIGKILL');
    pub.proc.stdin!.write(lines.slice(half).join('\n') + '\n');
    pub.proc.stdin!.end();
    await waitFor(() => pub.stderr().includes('server unavailable'));
    await server!.start();
    expect(await pub.exited).toBe(0);
    expect(pub.stderr()).toContain('server back');
    const stored = await readStream(setup.urls, 'PROCTREE_EVENTS', 'proctree.events.>', lines.length);
    expect(await countOn(setup.urls, 'PROCTREE_EVENTS', 'proctree.events.>')).toBe(lines.length);
    expect(stored.map((m) => m.text).sort()).toEqual([...lines].sort());
    console.log(`fleet: publisher across a server restart: ${lines.length} lines once each (${elapsed(t0)})`);
  }, 60_000);

  it('a poison line is reported, acknowledged, counted, never redelivered', async () => {
    setup = await startServer();
    const host = hosts[0]!;
    const good = host.lines.slice(0, 40);
    const bad = ['{not json', good[5]!.replace(/"hostProcessId":\d+/, '"hostProcessId":99999999')];
    const file = join(dir, 'poison.ndjson');
    writeFileSync(file, [...good.slice(0, 20), bad[0], ...good.slice(20, 30), bad[1], ...good.slice(30)].join('\n') + '\n');
    await publishFile(setup.urls, file, ['--host', host.host]);
    const w = startWorkerCli(setup.urls);
    children.push(w);
    await readStream(setup.urls, OUT, ENRICHED, good.length);
    const err = await stopWorker(w);
    expect(summaryFigure(err, 'bad lines')).toBe(2);
    expect(err).toMatch(/host-0\.example: message 21: invalid JSON.*\(acknowledged, not redelivered\)/);
    expect(err).toMatch(/host-0\.example: message 32: .*99999999/);
    const nc = await connect({ servers: setup.urls });
    const info = await (await nc.jetstreamManager()).consumers.info('PROCTREE_EVENTS', `g-p${partitionOf(host.host, 8)}`);
    await nc.close();
    expect(info.num_redelivered).toBe(0);
    expect(info.num_ack_pending).toBe(0);
    expect(info.ack_floor.stream_seq).toBe(good.length + 2);
  }, 60_000);
});

describe('fleet on a three-node cluster', () => {
  it('kill -9 one node mid-stream: no loss, no duplicate, every line byte-identical to its host\'s enrich line', async () => {
    const t0 = performance.now();
    setup = await startCluster();
    await publishFile(setup.urls, all, ['--replicas', '3']);
    const w = startWorkerCli(setup.urls, ['--replicas', '3', '--max-ack-pending', '64']);
    children.push(w);
    await readStream(setup.urls, OUT, ENRICHED, Math.floor(total / 4));
    await setup.servers[1]!.kill('SIGKILL');
    const tKill = performance.now();
    const outputs = await readStream(setup.urls, OUT, ENRICHED, total, 75_000).catch(async (err: unknown) => {
      const stored = await countOn(setup!.urls, OUT, ENRICHED).catch((e: unknown) => `unknown (${String(e)})`);
      throw new Error(`${(err as Error).message} (the stream holds ${stored}); worker said:\n${w.stderr()}`);
    });
    // no loss, no duplicate: each host's lines exactly once (those in flight at the node's death may be stored out of order)
    expectPerHostOnce(outputs, hosts);
    const took = elapsed(tKill);
    await stopWorker(w);
    expect(await countOn(setup.urls, OUT, ENRICHED)).toBe(total);
    const restarts = w.stderr().split('\n').filter((l) => l.includes('restarting'));
    console.log(`fleet: cluster node kill -9: all outputs ${took} after the kill (${elapsed(t0)}); ${restarts.length} consumer restarts:\n${restarts.join('\n')}`);
  }, 150_000);
});

/** Partitions held per worker, as the lease bucket says now. */
async function leaseHolders(urls: string, partitions: number): Promise<Record<string, number>> {
  const nc = await connect({ servers: urls.split(',') });
  try {
    const kv = await nc.jetstream().views.kv('proctree_leases');
    const out: Record<string, number> = {};
    for (let p = 0; p < partitions; p++) {
      const entry = await kv.get(`g.p${p}`);
      const lease = entry === null ? undefined : (JSON.parse(Buffer.from(entry.value).toString('utf8')) as { worker: string; expires: number });
      if (lease !== undefined && lease.expires > Date.now()) out[lease.worker] = (out[lease.worker] ?? 0) + 1;
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** Resolves when `cond()` holds, checking on each event-loop turn that follows I/O (bounded: 20 s). */
async function waitFor(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in 20 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
