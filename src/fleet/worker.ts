/**
 * `proctree-rx serve --nats URL --group NAME`: a fleet worker.
 *
 * Hosts are spread over partitions (`<prefix>.events.<partition>.<host>`); the workers of a group
 * share the partitions through leases ({@link LeaseTable}). For each partition it holds, a worker
 * runs one durable pull consumer (`<group>-p<N>`, explicit acks) and applies its messages in
 * stream order, so each host's events are processed in order by exactly one worker at a time.
 *
 * Per message: the host's tree ({@link HostEnricher}: the CLI's builder, encoder, signatures)
 * gives the enriched line and findings; they are published to `<prefix>.enriched.<host>` and
 * `<prefix>.findings.<host>` with de-duplication ids (`e.<host>.<seq>`, `f.<host>.<seq>.<i>`), and
 * the input is acknowledged only once the server stored them. A bad line is reported on stderr
 * with its host and stream sequence, counted and acknowledged (never redelivered).
 *
 * Checkpoints: each host's tree is saved to the object store every N events or T seconds (after
 * its outputs so far were stored), and when a partition is given up. A worker taking a partition
 * over restores each host's checkpoint and re-creates the partition's consumer at the oldest
 * checkpointed position: only events after each host's checkpoint are applied again, and their
 * outputs, carrying the same ids, are dropped by the server as duplicates.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { AckPolicy, DeliverPolicy, nanos, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg, type NatsConnection, type ObjectStore } from 'nats';
import { decodeCheckpoint, type Checkpoint } from '../checkpoint/decodeCheckpoint.js';
import type { BuilderSettings } from '../checkpoint/checkpointFormat.js';
import type { TextSink } from '../cli/cliTypes.js';
import type { AnySignature } from '../signatures/types.js';
import { deliveryHole } from './deliveryOrder.js';
import { HostEnricher } from './hostEnricher.js';
import { connectNats, ensureStreams, type FleetStorage } from './jetstream.js';
import { shareMove } from './fairShare.js';
import { LeaseTable } from './leases.js';
import { KIND_HEADER, PROCFS_KIND, procfsRecordFromJson } from './procfsRecordJson.js';
import { fleetNames, hostOfToken, type FleetNames } from './subjects.js';

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  readonly nats: string;
  readonly group: string;
  readonly prefix: string;
  readonly partitions: number;
  readonly storage: FleetStorage;
  /** Tree settings of new hosts (a restored host keeps its checkpoint's). */
  readonly settings: BuilderSettings;
  /** Tree versions each host keeps (`--history`; default: HostEnricher's). */
  readonly history?: number | undefined;
  /** Bound of each host's encoder cache of rendered text, bytes (`--encoder-cache`; default: HostEnricher's). */
  readonly encoderCacheBytes?: number | undefined;
  /** Makes one fresh set of signatures per host (empty: none run). */
  readonly signatures: () => AnySignature[];
  /** Checkpoint a host after this many events… */
  readonly checkpointEvents: number;
  /** …or this long after its last checkpoint (ms). */
  readonly checkpointIntervalMs: number;
  /** Lease lifetime (ms); renewed every third of it. A dead worker's partitions move after at most this. */
  readonly leaseTtlMs: number;
  /** This worker's id (default: random). */
  readonly workerId?: string | undefined;
  /** Most messages delivered and not yet acknowledged, per partition. */
  readonly maxAckPending: number;
  readonly quiet: boolean;
}

/** Counters of a worker. */
export interface WorkerStats {
  /** Input messages applied (lines and procfs records). */
  applied: number;
  /** Input messages skipped because the host's checkpoint already held them. */
  skipped: number;
  /** Lines reported as bad (acknowledged, not redelivered). */
  badLines: number;
  enriched: number;
  findings: number;
  /** Output publishes the server had already stored (a takeover's replay). */
  duplicateOutputs: number;
  checkpoints: number;
  /** Hosts restored from a checkpoint. */
  restoredHosts: number;
  /** Partitions taken (including takeovers) and given up. */
  acquired: number;
  released: number;
  signatureErrors: number;
}

/** A running worker. */
export interface Worker {
  readonly id: string;
  readonly stats: WorkerStats;
  /** Partitions held now. */
  partitions(): number[];
  /** Stops: checkpoints every host, gives up every partition, closes the connection. */
  stop(): Promise<void>;
  /** Settles when the worker stopped (by {@link Worker.stop} or a fatal error). */
  readonly done: Promise<void>;
}

/** Longest a partition's loop handles messages without letting the event loop turn (ms). */
const YIELD_AFTER_MS = 20;

/** A host's tree and when it was checkpointed last. */
interface HostState {
  readonly enricher: HostEnricher;
  checkpointedEvents: number;
  checkpointedAt: number;
}

/** One held partition: its consumer, its hosts and the outputs in flight. */
class PartitionRun {
  private messages: ConsumerMessages | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  /** The consumer loop ended by itself (an error, a consumer lost with a cluster node): restart it. */
  ended = false;
  /** When the last message arrived (or the run started), ms. */
  private lastMessageAt = Date.now();
  readonly loop: Promise<void>;

  constructor(
    readonly partition: number,
    private readonly w: WorkerCore,
    /** The partition's hosts, each loaded from its checkpoint when its first message comes (a restarted run starts afresh). */
    readonly hosts: Map<string, HostState> = new Map(),
  ) {
    this.loop = this.run()
      .catch((err: unknown) => {
        if (!this.stopped) w.report(`partition ${partition}: ${(err as Error).message}; restarting its consumer`);
      })
      .finally(() => {
        this.ended = !this.stopped;
      });
  }

  private consumerName(): string {
    return `${this.w.options.group}-p${this.partition}`;
  }

  /** Hosts with messages in the partition, each from its checkpoint; the consumer from the oldest position. */
  private async run(): Promise<void> {
    const { jsm, js, names } = this.w;
    const info = await jsm.streams.info(names.eventsStream, { subjects_filter: names.partitionFilter(this.partition) });
    let start = Number.POSITIVE_INFINITY;
    for (const subject of Object.keys(info.state.subjects ?? {})) {
      const token = subject.slice(subject.lastIndexOf('.') + 1);
      const host = await this.loadHost(token);
      start = Math.min(start, host.enricher.streamSeq + 1);
    }
    if (!Number.isFinite(start)) start = 1;
    if (this.stopped) return;
    await jsm.consumers.delete(names.eventsStream, this.consumerName()).catch(() => undefined);
    await jsm.consumers.add(names.eventsStream, {
      durable_name: this.consumerName(),
      filter_subject: names.partitionFilter(this.partition),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(1, start),
      ack_wait: nanos(60_000),
      max_ack_pending: this.w.options.maxAckPending,
      num_replicas: 0,
    });
    if (this.stopped) return;
    const consumer = await js.consumers.get(names.eventsStream, this.consumerName());
    this.messages = await consumer.consume({ max_messages: Math.min(512, this.w.options.maxAckPending) });
    // stopped while the consumer was being made: nothing would end the wait for a first message
    if (this.stopped) this.messages.stop();
    let delivered = 0;
    let lastYield = performance.now();
    try {
      for await (const m of this.messages) {
        if (this.stopped) break;
        // nothing past a hole in the deliveries (see deliveryOrder.ts): the run ends, and the next
        // lease round starts the consumer again from the hosts' checkpoints
        const hole = deliveryHole(delivered, m.info.deliverySequence);
        if (hole !== undefined) throw new Error(hole);
        delivered = m.info.deliverySequence;
        await this.handle(m);
        // messages already buffered are handled on microtasks alone: let timers (lease renewals) and I/O in
        if (performance.now() - lastYield >= YIELD_AFTER_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
    } finally {
      this.messages.stop();
    }
  }

  private async loadHost(token: string): Promise<HostState> {
    const known = this.hosts.get(token);
    if (known !== undefined) return known;
    const host = hostOfToken(token);
    const checkpoint = await this.w.loadCheckpoint(token);
    const enricher = new HostEnricher({
      host,
      source: `nats:${this.w.names.events(this.partition, host)}`,
      settings: this.w.options.settings,
      history: this.w.options.history,
      encoderCacheBytes: this.w.options.encoderCacheBytes,
      signatures: this.w.options.signatures(),
      checkpoint,
      onSignatureError: (message) => {
        this.w.stats.signatureErrors++;
        this.w.report(`signature failed: ${message}`);
      },
    });
    if (checkpoint !== undefined) this.w.stats.restoredHosts++;
    const entry = { enricher, checkpointedEvents: enricher.events, checkpointedAt: Date.now() };
    this.hosts.set(token, entry);
    return entry;
  }

  /**
   * Is the consumer stuck: nothing delivered for `quietMs` while the partition has messages
   * waiting, or delivered and never acknowledged (a pull left hanging when its cluster node died:
   * those would otherwise wait the whole ack wait for their redelivery)?
   */
  async stalled(quietMs: number): Promise<boolean> {
    if (this.ended || Date.now() - this.lastMessageAt < quietMs) return false;
    const info = await this.w.jsm.consumers.info(this.w.names.eventsStream, this.consumerName()).catch(() => undefined);
    return info === undefined || info.num_pending > 0 || info.num_ack_pending > 0;
  }

  private async handle(m: JsMsg): Promise<void> {
    this.lastMessageAt = Date.now();
    const token = m.subject.slice(m.subject.lastIndexOf('.') + 1);
    const host = await this.loadHost(token);
    const { enricher } = host;
    if (m.seq <= enricher.streamSeq) {
      this.w.stats.skipped++;
      m.ack();
      return;
    }
    const text = Buffer.from(m.data).toString('utf8');
    if (m.headers?.get(KIND_HEADER) === PROCFS_KIND) {
      const record = procfsRecordFromJson(text);
      if (typeof record === 'string') this.bad(m, host.enricher, record);
      else {
        enricher.applyRecord(record, m.seq);
        this.w.stats.applied++;
        m.ack();
      }
      return;
    }
    let outcome;
    try {
      outcome = enricher.applyLine(text, m.seq);
    } catch (err) {
      this.bad(m, enricher, `cannot be applied: ${(err as Error).message}`);
      return;
    }
    if (outcome.problem !== undefined || outcome.enriched === undefined) {
      this.bad(m, enricher, outcome.problem ?? 'no output');
      return;
    }
    this.w.stats.applied++;
    const { names } = this.w;
    const pending: Promise<void>[] = [this.w.output(names.enriched(enricher.hostName), outcome.enriched, `e.${token}.${m.seq}`)];
    this.w.stats.enriched++;
    outcome.findings.forEach((f, i) => pending.push(this.w.output(names.findings(enricher.hostName), f, `f.${token}.${m.seq}.${i}`)));
    this.w.stats.findings += outcome.findings.length;
    const p: Promise<void> = Promise.all(pending).then(() => {
      m.ack();
      this.inFlight.delete(p);
    });
    this.inFlight.add(p);
    while (this.inFlight.size >= this.w.options.maxAckPending) await Promise.race(this.inFlight);
    if (enricher.events - host.checkpointedEvents >= this.w.options.checkpointEvents || Date.now() - host.checkpointedAt >= this.w.options.checkpointIntervalMs) {
      await this.checkpoint(token);
    }
  }

  private bad(m: JsMsg, enricher: HostEnricher, reason: string): void {
    this.w.stats.badLines++;
    this.w.report(`${enricher.hostName}: message ${m.seq}: ${reason} (acknowledged, not redelivered)`);
    m.ack();
  }

  /** Saves a host's checkpoint once every output before it is stored. */
  async checkpoint(token: string): Promise<void> {
    const host = this.hosts.get(token);
    if (host === undefined) return;
    await Promise.all(this.inFlight);
    if (!this.w.leases.holds(this.partition)) return; // another worker holds it now: its checkpoints win
    const bytes = host.enricher.checkpoint();
    await this.w.saveCheckpoint(token, bytes);
    host.checkpointedEvents = host.enricher.events;
    host.checkpointedAt = Date.now();
  }

  /** Stops consuming; with `save`, waits for the outputs in flight and checkpoints every host. */
  async stop(save: boolean): Promise<void> {
    this.stopped = true;
    this.messages?.stop();
    await this.loop;
    if (!save) return;
    await Promise.all(this.inFlight);
    for (const token of this.hosts.keys()) await this.checkpoint(token).catch((err: unknown) => this.w.report(`checkpoint of ${hostOfToken(token)}: ${(err as Error).message}`));
  }
}

/** What partitions share: the connection, names, counters, leases and the stores. */
class WorkerCore {
  readonly stats: WorkerStats = { applied: 0, skipped: 0, badLines: 0, enriched: 0, findings: 0, duplicateOutputs: 0, checkpoints: 0, restoredHosts: 0, acquired: 0, released: 0, signatureErrors: 0 };

  constructor(
    readonly options: WorkerOptions,
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly names: FleetNames,
    readonly leases: LeaseTable,
    readonly store: ObjectStore,
    private readonly err: TextSink,
  ) {}

  report(message: string): void {
    this.err.write(`proctree-rx: serve ${this.leases.worker}: ${message}\n`);
  }

  private objectName(token: string): string {
    return `${this.options.group}.${token}`;
  }

  async loadCheckpoint(token: string): Promise<Checkpoint | undefined> {
    const bytes = await this.store.getBlob(this.objectName(token));
    if (bytes === null) return undefined;
    try {
      return decodeCheckpoint(bytes);
    } catch (err) {
      this.report(`checkpoint of ${hostOfToken(token)} unreadable (${(err as Error).message}); starting that host from the stream`);
      return undefined;
    }
  }

  async saveCheckpoint(token: string, bytes: Uint8Array): Promise<void> {
    await this.store.putBlob({ name: this.objectName(token) }, bytes);
    this.stats.checkpoints++;
  }

  /** Publishes one output line until the server stored it (retrying the same id while it is away). */
  async output(subject: string, line: string, msgID: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const ack = await this.js.publish(subject, Buffer.from(line), { msgID, timeout: 5000 });
        if (ack.duplicate) this.stats.duplicateOutputs++;
        return;
      } catch (err) {
        if (this.nc.isClosed()) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** Math.min(attempt, 6))));
      }
    }
  }
}

/**
 * Starts a worker: joins the group, takes its share of the partitions and processes them until
 * {@link Worker.stop}.
 *
 * @example
 * ```ts
 * const worker = await startWorker({ nats: 'nats://127.0.0.1:4222', group: 'fleet', … }, process.stderr);
 * process.once('SIGTERM', () => void worker.stop());
 * ```
 */
export async function startWorker(options: WorkerOptions, stderr: TextSink): Promise<Worker> {
  const id = options.workerId ?? randomBytes(4).toString('hex');
  const names = fleetNames(options.prefix);
  const nc = await connectNats(options.nats, `proctree-rx serve ${options.group} ${id}`);
  const jsm = await nc.jetstreamManager();
  await ensureStreams(jsm, names, options.storage);
  const js = nc.jetstream();
  // leases on a connection of their own: a renewal never queues behind the outputs' publishes
  const leaseNc = await connectNats(options.nats, `proctree-rx serve ${options.group} ${id} leases`);
  // made (when missing) with the usual timeout; bound on the lease connection with a short one (a
  // renewal that times out is tried again on the next tick, or adopted: see LeaseTable.renew)
  await js.views.kv(names.leaseBucket, { history: 1, replicas: options.storage.replicas });
  const kv = await leaseNc.jetstream({ timeout: Math.max(1000, Math.floor(options.leaseTtlMs / 3)) }).views.kv(names.leaseBucket, { bindOnly: true });
  const store = await js.views.os(names.checkpointBucket, { replicas: options.storage.replicas });
  const leaseJsm = await leaseNc.jetstreamManager({ timeout: Math.max(1000, Math.floor(options.leaseTtlMs / 3)) });
  const leases = new LeaseTable(kv, (pattern) => kvKeys(leaseJsm, names.leaseBucket, pattern), options.group, id, options.leaseTtlMs);
  const core = new WorkerCore(options, nc, js, jsm, names, leases, store, stderr);
  const runs = new Map<number, PartitionRun>();
  /** Runs being stopped because their lease was lost (awaited when the worker stops). */
  const losing = new Set<Promise<void>>();
  let stopping = false;
  let others = new Map<string, number>();
  const period = Math.max(50, Math.floor(options.leaseTtlMs / 3));

  const say = (message: string): void => {
    if (!options.quiet) core.report(message);
  };

  /** A lease another worker holds now: that partition stops at once (its checkpoints are the other's to write). */
  const lose = (p: number): void => {
    say(`partition ${p} was taken over by another worker`);
    const run = runs.get(p);
    runs.delete(p);
    if (run === undefined) return;
    const stopped: Promise<void> = run.stop(false).finally(() => losing.delete(stopped));
    losing.add(stopped);
  };

  /** Heartbeat and every held lease renewed at once (its own timer: never behind processing or a hand-over). */
  const renew = async (): Promise<void> => {
    const held = leases.partitions();
    const [, renewed] = await Promise.all([leases.heartbeat(held.length), Promise.all(held.map((p) => leases.renew(p)))]);
    held.forEach((p, i) => {
      if (renewed[i] !== true && runs.has(p) && !leases.holds(p)) lose(p);
    });
  };

  /** Restarts consumers that ended or stalled, then moves toward the fair share (see fairShare.ts). */
  const balance = async (): Promise<void> => {
    // a consumer loop that ended by itself (a hole in its deliveries, its node died): a new one from the hosts' checkpoints
    for (const [p, run] of runs) {
      if (!run.ended && !(await run.stalled(options.leaseTtlMs * 3))) continue;
      say(`partition ${p}: consumer ${run.ended ? 'ended' : 'stalled'}; restarting it`);
      await run.stop(false);
      // its hosts start again from their checkpoints, not from their trees in memory (a tree may
      // hold events applied past a hole in the deliveries: see deliveryOrder.ts)
      if (runs.get(p) === run) runs.set(p, new PartitionRun(p, core));
    }
    if (stopping) return;
    // the other workers are read from the KV bucket; while it does not answer, the last reading holds
    others = await leases.otherWorkers().catch(() => others);
    const first = shareMove(options.partitions, id, runs.size, others);
    // over the share: give the highest partitions up, all at once (each checkpointed first; the
    // leases still held are renewed meanwhile on their own timer)
    if (first.release) {
      const excess = [...runs.keys()].sort((a, b) => b - a).slice(0, runs.size - first.share);
      await Promise.all(
        excess.map(async (p) => {
          const run = runs.get(p)!;
          runs.delete(p);
          await run.stop(true);
          await leases.release(p);
          core.stats.released++;
        }),
      );
      say(`gave partition${excess.length > 1 ? 's' : ''} ${excess.join(',')} up (share ${first.share})`);
      return;
    }
    // under it: take free or expired ones, starting at a place of our own (fewer collisions)
    const offset = parseInt(id.slice(0, 8), 16) % options.partitions || 0;
    const taken: number[] = [];
    for (let i = 0; i < options.partitions && !stopping && shareMove(options.partitions, id, runs.size, others).take; i++) {
      const p = (offset + i) % options.partitions;
      if (runs.has(p)) continue;
      if (await leases.acquire(p)) {
        core.stats.acquired++;
        runs.set(p, new PartitionRun(p, core));
        taken.push(p);
      }
    }
    if (taken.length > 0) say(`took partition${taken.length > 1 ? 's' : ''} ${taken.join(',')} (share ${first.share})`);
  };

  const renewing = every(period, renew, (err) => core.report(`lease renewal failed: ${err.message}`));
  await renew();
  await balance();
  say(`joined group ${options.group}; holds partitions ${leases.partitions().join(',') || 'none yet'}`);
  const balancing = every(period, balance, (err) => core.report(`lease round failed: ${err.message}`));

  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      await balancing.stop();
      // leases stay renewed while the hosts are checkpointed
      await Promise.all(
        [...runs].map(async ([p, run]) => {
          await run.stop(true);
          await leases.release(p);
          core.stats.released++;
        }),
      );
      runs.clear();
      await renewing.stop();
      await Promise.all(losing);
      await leases.leave();
      await nc.drain().catch(() => undefined);
      await leaseNc.drain().catch(() => undefined);
      resolveDone();
    })());

  return { id, stats: core.stats, partitions: () => leases.partitions(), stop, done };
}

/** Keys of KV bucket `bucket` matching `pattern` (deleted ones included), from its stream's subjects: one request, bounded by its timeout. */
async function kvKeys(jsm: JetStreamManager, bucket: string, pattern: string): Promise<string[]> {
  const prefix = `$KV.${bucket}.`;
  const info = await jsm.streams.info(`KV_${bucket}`, { subjects_filter: prefix + pattern });
  return Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(prefix.length));
}

/** A repeating task: `task` runs, then again `periodMs` after it ended, until stopped. */
interface Repeating {
  /** No new run; resolves once the current one ended. */
  stop(): Promise<void>;
}

/** Runs `task` every `periodMs` (measured from the end of the previous run); its failures go to `onError`. */
function every(periodMs: number, task: () => Promise<void>, onError: (err: Error) => void): Repeating {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = (): void => {
    timer = setTimeout(() => {
      current = task()
        .catch((err: unknown) => onError(err instanceof Error ? err : new Error(String(err))))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, periodMs);
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await current;
    },
  };
}
