/**
 * `proctree-rx publish --nats URL [FILE|-]`: a host's Tracee lines to JetStream, each unchanged.
 *
 * - Subject `<prefix>.events.<partition>.<host>` (host: the line's `hostName`, or `--host`).
 * - De-duplication id `<host>.<run>.<n>` (run: random per process, n: the line number), so a
 *   retried publish is stored once.
 * - Asynchronous acks with a bounded in-flight window (`--window`, default 256): when the window is
 *   full the publisher stops reading its input — the producer is slowed (backpressure), memory
 *   does not grow. Nothing is spooled to disk and nothing is dropped.
 * - While the server is away each unacknowledged line is retried, with backoff up to 2 s; stderr
 *   says when the server went away and when it came back (and how many publishes were retried).
 *   After such a cut, lines that were in flight at the moment of the cut may be stored out of
 *   order (at most the window), each exactly once.
 * - At start-up the host's procfs walk is published first (the records the CLI's bootstrap
 *   makes; `--no-procfs` skips it), so the worker's tree knows the processes that predate Tracee.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { headers, type JetStreamClient } from 'nats';
import { lastValueFrom, tap } from 'rxjs';
import { scanProcfs } from '../bootstrap/index.js';
import type { TextSink } from '../cli/cliTypes.js';
import { connectNats, ensureStreams, type FleetStorage } from './jetstream.js';
import { KIND_HEADER, PROCFS_KIND, procfsRecordToJson } from './procfsRecordJson.js';
import { fleetNames, partitionOf, type FleetNames } from './subjects.js';

/** Options of {@link runPublish}. */
export interface PublishOptions {
  readonly nats: string;
  /** `FILE` or `-` (stdin). */
  readonly input: string;
  /** `--host`: the host of every line (else each line's `hostName`). */
  readonly host: string | undefined;
  /** `--no-procfs` → false. */
  readonly procfs: boolean;
  readonly procfsRoot: string;
  readonly prefix: string;
  readonly partitions: number;
  /** Most publishes awaiting their ack. */
  readonly window: number;
  readonly storage: FleetStorage;
  readonly quiet: boolean;
}

/** What the streams of a publish run are. */
export interface PublishIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stderr: TextSink;
  readonly signal: AbortSignal;
}

/** Counters of a publish run. */
export interface PublishSummary {
  lines: number;
  procfsRecords: number;
  /** Lines with no `hostName` (sent under the last host seen, or `--host`, or `unknown`). */
  noHost: number;
  /** Publishes the server had already stored (a retry after a lost ack). */
  duplicates: number;
  /** Publishes tried again after a failure. */
  retries: number;
  /** Lines read but not stored because the run was stopped while the server was away. */
  unsent: number;
  hosts: Set<string>;
}

/** Splits a byte stream into lines (without `\n`), bytes unchanged; a last line without `\n` counts. */
export async function* byteLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let data = rest.length === 0 ? buf : Buffer.concat([rest, buf]);
    let at = data.indexOf(10);
    while (at >= 0) {
      yield data.subarray(0, at);
      data = data.subarray(at + 1);
      at = data.indexOf(10);
    }
    rest = Buffer.from(data);
  }
  if (rest.length > 0) yield rest;
}

/** The `hostName` of a Tracee line, when it has one (a string). */
export function hostNameOf(line: Buffer): string | undefined {
  try {
    const v: unknown = JSON.parse(line.toString('utf8'));
    const name = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)['hostName'] : undefined;
    if (typeof name === 'string') return name;
  } catch {
    // not JSON: the worker reports it with its line
  }
  return undefined;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Publishes with retries until stored (or the run stops): true when stored. */
class RetryingPublisher {
  private outage = false;
  private retriedInOutage = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly summary: PublishSummary,
    private readonly out: TextSink,
    private readonly signal: AbortSignal,
    private readonly quiet: boolean,
  ) {}

  async publish(subject: string, data: Uint8Array, msgID: string, kind?: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        const h = kind === undefined ? undefined : headers();
        if (h !== undefined && kind !== undefined) h.set(KIND_HEADER, kind);
        const ack = await this.js.publish(subject, data, { msgID, timeout: 2000, ...(h === undefined ? {} : { headers: h }) });
        if (ack.duplicate) this.summary.duplicates++;
        if (this.outage) {
          this.outage = false;
          if (!this.quiet) this.out.write(`proctree-rx: publish: server back; ${this.retriedInOutage} publishes retried\n`);
          this.retriedInOutage = 0;
        }
        return true;
      } catch (err) {
        if (this.signal.aborted) return false;
        if (!this.outage) {
          this.outage = true;
          this.out.write(`proctree-rx: publish: server unavailable (${(err as Error).message}); retrying, nothing is dropped\n`);
        }
        this.summary.retries++;
        this.retriedInOutage++;
        await sleep(Math.min(2000, 50 * 2 ** Math.min(attempt, 6)), this.signal);
        if (this.signal.aborted) return false;
      }
    }
  }
}

/** Runs `publish` until the input ends or the signal stops it; resolves to its counters. */
export async function runPublish(options: PublishOptions, io: PublishIo): Promise<PublishSummary> {
  const names = fleetNames(options.prefix);
  const summary: PublishSummary = { lines: 0, procfsRecords: 0, noHost: 0, duplicates: 0, retries: 0, unsent: 0, hosts: new Set() };
  const nc = await connectNats(options.nats, `proctree-rx publish ${options.host ?? ''}`.trim());
  try {
    await ensureStreams(await nc.jetstreamManager(), names, options.storage);
    const publisher = new RetryingPublisher(nc.jetstream(), summary, io.stderr, io.signal, options.quiet);
    const run = randomBytes(6).toString('hex');
    const inFlight = new Set<Promise<void>>();
    const send = async (subject: string, data: Uint8Array, id: string, kind?: string): Promise<void> => {
      while (inFlight.size >= options.window) await Promise.race(inFlight);
      const p: Promise<void> = publisher.publish(subject, data, id, kind).then((ok) => {
        if (!ok) summary.unsent++;
        inFlight.delete(p);
      });
      inFlight.add(p);
    };
    let lastHost = options.host;
    const input: Readable = options.input === '-' ? (io.stdin as Readable) : createReadStream(options.input);
    const stop = (): void => void input.destroy();
    io.signal.addEventListener('abort', stop, { once: true });
    let n = 0;
    try {
      for await (const line of byteLines(input as AsyncIterable<Buffer>)) {
        n++;
        if (line.length === 0 || (line.length === 1 && line[0] === 13)) continue;
        if (n === 1 && options.procfs) {
          await publishProcfs(options, names, options.host ?? hostNameOf(line), send, summary, io);
        }
        let host = options.host ?? hostNameOf(line);
        if (host === undefined) {
          summary.noHost++;
          host = lastHost ?? 'unknown';
          if (!options.quiet && summary.noHost <= 10) io.stderr.write(`proctree-rx: publish: ${options.input === '-' ? '<stdin>' : options.input}:${n}: no "hostName"; sent as host ${host}\n`);
        }
        lastHost = host;
        summary.hosts.add(host);
        summary.lines++;
        await send(names.events(partitionOf(host, options.partitions), host), line, `${host}.${run}.${n}`);
      }
    } catch (err) {
      if (!io.signal.aborted) throw err;
    } finally {
      io.signal.removeEventListener('abort', stop);
    }
    await Promise.all(inFlight);
  } finally {
    await nc.flush().catch(() => undefined);
    await nc.close();
  }
  return summary;
}

/** Walks procfs and publishes each record to the host's subject, before its first event. */
async function publishProcfs(
  options: PublishOptions,
  names: FleetNames,
  host: string | undefined,
  send: (subject: string, data: Uint8Array, id: string, kind?: string) => Promise<void>,
  summary: PublishSummary,
  io: PublishIo,
): Promise<void> {
  if (host === undefined) {
    io.stderr.write('proctree-rx: publish: the first line names no host; procfs walk not published (give --host)\n');
    return;
  }
  const records: string[] = [];
  await lastValueFrom(scanProcfs({ root: options.procfsRoot }).pipe(tap((r) => records.push(procfsRecordToJson(r)))), { defaultValue: undefined });
  const subject = names.events(partitionOf(host, options.partitions), host);
  const walk = randomBytes(6).toString('hex');
  for (let i = 0; i < records.length; i++) {
    await send(subject, Buffer.from(records[i]!), `${host}.procfs.${walk}.${i}`, PROCFS_KIND);
    summary.procfsRecords++;
  }
}
