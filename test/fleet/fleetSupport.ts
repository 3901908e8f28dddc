/**
 * What the fleet tests share: multi-host Tracee streams (the synthetic generator, one seed and
 * `hostName` per host), the single-process `enrich` output of each host (the reference), the CLI
 * as child processes (`publish`, `serve`), and reading the output stream back.
 *
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, connect, DeliverPolicy, type JetStreamManager } from 'nats';
import { ROOT } from '../support/builtCli.js';

export const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** One host's input and its reference output. */
export interface HostData {
  readonly host: string;
  readonly file: string;
  readonly lines: readonly string[];
  /** `proctree-rx enrich FILE` of the host's lines, one string per line. */
  readonly expected: readonly string[];
}

/**
 * `hosts` synthetic streams of `lines` lines each (hostName `host-<i>.example`), written to `dir`
 * with their reference enrich output; plus all of them interleaved line by line in `all.ndjson`
 * (each host's lines in order).
 */
export function makeHosts(dir: string, hosts: number, lines: number): { hosts: HostData[]; all: string } {
  const script = `
    import { synthLines } from ${JSON.stringify(join(ROOT, 'bench', 'lib', 'synth.mjs'))};
    import { writeFileSync } from 'node:fs';
    for (let i = 0; i < ${hosts}; i++) {
      const out = [];
      for (const l of synthLines({ lines: ${lines}, seed: i + 1 })) out.push(l.replace('"hostName":"vm"', '"hostName":"host-' + i + '.example"'));
      writeFileSync(${JSON.stringify(dir)} + '/host-' + i + '.ndjson', out.join('\\n') + '\\n');
    }`;
  const gen = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(gen.stderr);
  const data: HostData[] = [];
  for (let i = 0; i < hosts; i++) {
    const file = join(dir, `host-${i}.ndjson`);
    const enriched = spawnSync(process.execPath, [MAIN, 'enrich', '--quiet', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (enriched.status !== 0) throw new Error(enriched.stderr);
    const text = spawnSync('cat', [file], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
    data.push({ host: `host-${i}.example`, file, lines: text.split('\n').filter((l) => l !== ''), expected: enriched.stdout.split('\n').filter((l) => l !== '') });
  }
  const all: string[] = [];
  for (let j = 0; j < lines; j++) for (const h of data) if (j < h.lines.length) all.push(h.lines[j]!);
  const allFile = join(dir, 'all.ndjson');
  writeFileSync(allFile, all.join('\n') + '\n');
  return { hosts: data, all: allFile };
}

/** A CLI child process and what it wrote to stderr. */
export interface CliProcess {
  readonly proc: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code (or signal name) once it exited. */
  readonly exited: Promise<number | string>;
}

/** Starts `proctree-rx ARGS` (stdin from `input` when given, else ignored). */
export function startCli(args: readonly string[], input?: 'pipe'): CliProcess {
  const proc = spawn(process.execPath, [MAIN, ...args], { stdio: [input ?? 'ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { proc, stderr: () => err, exited };
}

/** Runs `proctree-rx publish` on a file to the end; its stderr. */
export async function publishFile(urls: string, file: string, extra: readonly string[] = []): Promise<string> {
  const p = startCli(['publish', '--nats', urls, '--no-procfs', '--partitions', '8', ...extra, file]);
  const code = await p.exited;
  if (code !== 0) throw new Error(`publish exited ${code}: ${p.stderr()}`);
  return p.stderr();
}

/** Starts a worker of group `g` (8 partitions, 1 s leases). */
export const startWorkerCli = (urls: string, extra: readonly string[] = []): CliProcess =>
  startCli(['serve', '--nats', urls, '--group', 'g', '--partitions', '8', '--lease-ttl', '1s', '--signatures', 'none', ...extra]);

/** Stops a worker with SIGTERM; resolves to its stderr once it exited. */
export async function stopWorker(w: CliProcess): Promise<string> {
  w.proc.kill('SIGTERM');
  await w.exited;
  return w.stderr();
}

/** A figure of a worker's closing summary (`N applied`, `N skipped`, …). */
export function summaryFigure(stderr: string, name: string): number {
  const m = new RegExp(`(\\d+) ${name}`).exec(stderr.slice(stderr.lastIndexOf('stopped;')));
  if (m === null) throw new Error(`no "${name}" in: ${stderr}`);
  return Number(m[1]);
}

/**
 * Waits until the stream `stream` holds `count` messages on `subject` (a wildcard allowed), then
 * reads them in stream order (subject, text). Rejects after `timeoutMs`.
 */
export async function readStream(urls: string, stream: string, subject: string, count: number, timeoutMs = 40_000): Promise<{ subject: string; text: string }[]> {
  const nc = await connect({ servers: urls.split(','), maxReconnectAttempts: -1 });
  const deadline = Date.now() + timeoutMs;
  const out: { subject: string; text: string }[] = [];
  // the stream sequence read last: a reader whose consumer failed (a cluster node died, its stream
  // leader moved: the client says TIMEOUT or "leader") starts a new one after it
  let lastSeq = 0;
  try {
    while (out.length < count) {
      if (Date.now() > deadline) throw new Error(`${out.length} of ${count} messages on ${subject} after ${timeoutMs} ms`);
      try {
        const jsm = await nc.jetstreamManager();
        const info = await addConsumerOnceStreamExists(jsm, stream, subject, deadline - Date.now(), lastSeq);
        const consumer = await nc.jetstream().consumers.get(stream, info.name);
        const messages = await consumer.consume({ max_messages: 1000 });
        const timer = setTimeout(() => messages.stop(new Error(`${out.length} of ${count} messages on ${subject} after ${timeoutMs} ms`)), Math.max(1, deadline - Date.now()));
        try {
          for await (const m of messages) {
            if (m.seq <= lastSeq) continue;
            lastSeq = m.seq;
            out.push({ subject: m.subject, text: Buffer.from(m.data).toString('utf8') });
            if (out.length >= count) break;
          }
        } finally {
          clearTimeout(timer);
        }
      } catch (err) {
        if (!/timeout|leader|no responders|consumer deleted|heartbeat/i.test((err as Error).message)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** An ephemeral consumer of every message on `subject`; waits (bounded) for the stream to be made by the process under test. */
async function addConsumerOnceStreamExists(jsm: JetStreamManager, stream: string, subject: string, timeoutMs: number, afterSeq = 0) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const from = afterSeq === 0 ? { deliver_policy: DeliverPolicy.All } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 };
      return await jsm.consumers.add(stream, { ack_policy: AckPolicy.None, ...from, filter_subject: subject, inactive_threshold: 60e9 });
    } catch (err) {
      // not made yet by the process under test, or a cluster electing a new leader after a node died
      if (!/stream not found|timeout|no responders|leader/i.test((err as Error).message) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Messages a stream holds on `subject` (wildcards allowed). */
export async function countOn(urls: string, stream: string, subject: string): Promise<number> {
  const nc = await connect({ servers: urls.split(',') });
  try {
    const info = await (await nc.jetstreamManager()).streams.info(stream, { subjects_filter: subject });
    return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
  } finally {
    await nc.close();
  }
}

/** Checks the enriched stream: every host's lines, in order, equal to its reference; returns the total. */
export function expectPerHost(outputs: readonly { subject: string; text: string }[], hosts: readonly HostData[]): void {
  for (const h of hosts) {
    const token = h.host.replace(/\./g, '=2E');
    const got = outputs.filter((o) => o.subject === `proctree.enriched.${token}`).map((o) => o.text);
    expect(got.length).toBe(h.expected.length);
    expect(got.join('\n')).toBe(h.expected.join('\n'));
  }
  expect(outputs.length).toBe(hosts.reduce((n, h) => n + h.expected.length, 0));
}

/**
 * The enriched stream holds every host's reference lines exactly once, in any order within the
 * host (outputs in flight when a cluster node died may be stored out of order).
 */
export function expectPerHostOnce(outputs: readonly { subject: string; text: string }[], hosts: readonly HostData[]): void {
  for (const h of hosts) {
    const token = h.host.replace(/\./g, '=2E');
    const got = outputs.filter((o) => o.subject === `proctree.enriched.${token}`).map((o) => o.text);
    expect(got.length).toBe(h.expected.length);
    expect([...got].sort()).toEqual([...h.expected].sort());
  }
  expect(outputs.length).toBe(hosts.reduce((n, h) => n + h.expected.length, 0));
}
