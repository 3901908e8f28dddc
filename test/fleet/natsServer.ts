/**
 * Real `nats-server` processes for the fleet tests: JetStream on loopback, random free ports,
 * temporary store directories; one server or a three-node cluster. Readiness is awaited from
 * the server's own log line, never slept for.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';

/** A free TCP port on 127.0.0.1 (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** One nats-server process (restartable on the same port and store). */
export class NatsServer {
  private proc: ChildProcess | undefined;
  private log = '';

  constructor(
    readonly name: string,
    readonly port: number,
    readonly storeDir: string,
    private readonly clusterArgs: readonly string[] = [],
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts it; resolves when it says it is ready (rejects after 15 s or when it exits first). */
  start(): Promise<void> {
    this.log = '';
    const proc = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir, '-n', this.name, ...this.clusterArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server ${this.name} not ready in 15 s:\n${this.log}`)), 15_000);
      proc.stderr!.on('data', (chunk: Buffer) => {
        this.log += chunk.toString();
        if (this.log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server ${this.name} exited (${code}) before it was ready:\n${this.log}`));
      });
    });
  }

  /** Kills it (`SIGKILL` by default) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (proc === undefined || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill(signal);
    await exited;
  }
}

/** Servers of one test, and their removal. */
export interface NatsSetup {
  readonly servers: readonly NatsServer[];
  /** Every server's URL, comma-separated (what `--nats` takes). */
  readonly urls: string;
  stop(): Promise<void>;
}

/** One JetStream server. */
export async function startServer(): Promise<NatsSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'proctree-nats-'));
  const server = new NatsServer('n1', await freePort(), dir);
  await server.start();
  return {
    servers: [server],
    urls: server.url,
    stop: async () => {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A three-node JetStream cluster; resolves once JetStream answers (a meta leader is elected). */
export async function startCluster(): Promise<NatsSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'proctree-nats-cluster-'));
  const clientPorts = [await freePort(), await freePort(), await freePort()];
  const routePorts = [await freePort(), await freePort(), await freePort()];
  const routes = routePorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const servers = clientPorts.map(
    (port, i) => new NatsServer(`n${i + 1}`, port, join(dir, `n${i + 1}`), ['--cluster_name', 'proctree', '--cluster', `nats://127.0.0.1:${routePorts[i]}`, '--routes', routes]),
  );
  await Promise.all(servers.map((s) => s.start()));
  const urls = servers.map((s) => s.url).join(',');
  await jetStreamReady(urls);
  return {
    servers,
    urls,
    stop: async () => {
      await Promise.all(servers.map((s) => s.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when the JetStream API answers (the cluster elected its meta leader). */
async function jetStreamReady(urls: string): Promise<void> {
  const nc: NatsConnection = await connect({ servers: urls.split(',') });
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const jsm = await nc.jetstreamManager({ timeout: 1000 });
        await jsm.getAccountInfo();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        // the API answers "JetStream not enabled / no leader" until the election: ask again on the next flush
        await nc.flush();
      }
    }
  } finally {
    await nc.close();
  }
}
