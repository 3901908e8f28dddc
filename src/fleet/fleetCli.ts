/**
 * The fleet's two commands on the command line, `publish` and `serve` (dispatched by `runCli`
 * before the event commands' parser: they share none of its options).
 *
 * @module
 */
import { parseArgs } from 'node:util';
import * as E from 'fp-ts/lib/Either.js';
import type { CliIo } from '../cli/commands.js';
import { ExitCode } from '../cli/exitCodeFor.js';
import { loadSignatureModules } from '../cli/loadSignatureModules.js';
import { parseDuration } from '../cli/parseDuration.js';
import { parseSize } from '../cli/parseSize.js';
import { MAX_CACHE_SIZE, MIN_CACHE_SIZE, PROCTREE_DEFAULTS } from '../cli/parseProctreeOptions.js';
import { builtinSignatures, DEFAULT_SIGNATURE_IDS } from '../signatures/builtin/builtinSignatures.js';
import { needsArtifacts, type AnySignature } from '../signatures/types.js';
import { DEFAULT_HOST_ENCODER_CACHE, DEFAULT_HOST_HISTORY } from './hostEnricher.js';
import { DEFAULT_STORAGE, type FleetStorage } from './jetstream.js';
import { DEFAULT_PARTITIONS, DEFAULT_PREFIX } from './subjects.js';

const PUBLISH_HELP = `proctree-rx publish - send this host's Tracee events to NATS JetStream

Usage:
  tracee --output json | proctree-rx publish --nats URL [OPTIONS] [FILE|-]

Each line goes out unchanged to <prefix>.events.<partition>.<host> (host: the line's hostName, or
--host), with a de-duplication id and asynchronous acks. At most --window publishes wait for their
ack: then input is not read (the producer is slowed; nothing is spooled or dropped). While the
server is away every line is retried with backoff, and stderr says so. The host's procfs walk is
published first, so the worker's tree knows the processes that predate Tracee.

  --nats URL[,URL...]   NATS server(s) (default $NATS_URL)
  --host NAME           the host of every line (default: each line's hostName)
  --no-procfs           do not publish the procfs walk
  --procfs-root DIR     procfs to walk (default /proc)
  --prefix NAME         subject prefix (default ${DEFAULT_PREFIX})
  --partitions N        partitions hosts are spread over; workers must agree (default ${DEFAULT_PARTITIONS})
  --window N            most publishes awaiting an ack (default 256)
  --replicas N          copies of the streams when this creates them (default 1)
  --quiet               no summary`;

const SERVE_HELP = `proctree-rx serve - a fleet worker: enrich many hosts' events from NATS JetStream

Usage:
  proctree-rx serve --nats URL --group NAME [OPTIONS]

The workers of a group share the partitions (leases in the KV bucket <prefix>_leases): each
host's events are processed in order by one worker at a time; a dead worker's partitions are
taken over within --lease-ttl. Enriched events go to <prefix>.enriched.<host>, findings to
<prefix>.findings.<host>; input is acknowledged only after its outputs are stored, and outputs
carry de-duplication ids. Each host's tree is checkpointed to the object store <prefix>_checkpoints.

  --nats URL[,URL...]        NATS server(s) (default $NATS_URL)
  --group NAME               the worker group (required)
  --signatures ID,...        signatures to run (default: the default built-ins but those reading
                             artifacts, PRX-005/006: hosts keep none; none: --signatures none)
  --signature-module FILE    load signatures from an ESM module (repeatable)
  --checkpoint-events N      checkpoint a host every N events (default 10000)
  --checkpoint-interval D    ...or every D (default 30s)
  --lease-ttl D              lease lifetime: how soon a dead worker's hosts move (default 5s)
  --worker-id ID             this worker's id (default random)
  --prefix NAME              subject prefix (default ${DEFAULT_PREFIX})
  --partitions N             (default ${DEFAULT_PARTITIONS})
  --replicas N               copies of streams and buckets when this creates them (default 1)
  --max-ack-pending N        messages in flight per partition (default 1024)
  --history N                tree versions kept per host, for signatures' queries (default ${DEFAULT_HOST_HISTORY})
  --encoder-cache SIZE       per host, the most rendered context text the enrich encoder keeps
                             (default ${DEFAULT_HOST_ENCODER_CACHE / 1024 / 1024}MiB; 0: none; the output is the same)
  --process-cache N          per host, the most processes the tree keeps (default 16384, at least 4096;
                             each costs memory up front: 16384/32768 ≈ 1.4 MiB per host, 4096/4096 ≈ 0.6)
  --thread-cache N           per host, the most threads the tree keeps (default 32768, at least 4096)
  --quiet                    no status lines`;

type Values = Record<string, string | boolean | string[] | undefined>;

const positiveInt = (v: unknown, name: string, fallback: number): number | string => {
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : `--${name}: expected a positive integer, got ${String(v)}`;
};

const durationMs = (v: unknown, name: string, fallback: number): number | string => {
  if (v === undefined) return fallback;
  const d = parseDuration(String(v));
  return E.isLeft(d) ? `--${name}: ${d.left}` : Number(d.right / 1_000_000n);
};

/** A tree cache bound: as `--proctree process-cache=N` takes it, but below the minimum is an error here (a worker's trees must match the reference `enrich` run's). */
const cacheSize = (v: unknown, name: string, fallback: number): number | string => {
  const n = positiveInt(v, name, fallback);
  if (typeof n === 'string') return n;
  return n >= MIN_CACHE_SIZE && n <= MAX_CACHE_SIZE ? n : `--${name}: between ${MIN_CACHE_SIZE} and ${MAX_CACHE_SIZE} (as Tracee's), got ${n}`;
};

const sizeBytes = (v: unknown, name: string, fallback: number): number | string => {
  if (v === undefined) return fallback;
  const size = parseSize(String(v));
  return E.isLeft(size) ? `--${name}: ${size.left}` : size.right;
};

/** Parses and runs `publish` / `serve`; `argv` starts with the command word. */
export async function runFleetCli(argv: readonly string[], io: CliIo): Promise<number> {
  const command = argv[0];
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: {
        nats: { type: 'string' },
        host: { type: 'string' },
        'no-procfs': { type: 'boolean' },
        'procfs-root': { type: 'string' },
        prefix: { type: 'string' },
        partitions: { type: 'string' },
        window: { type: 'string' },
        replicas: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        group: { type: 'string' },
        signatures: { type: 'string' },
        'signature-module': { type: 'string', multiple: true },
        'checkpoint-events': { type: 'string' },
        'checkpoint-interval': { type: 'string' },
        'lease-ttl': { type: 'string' },
        'worker-id': { type: 'string' },
        'max-ack-pending': { type: 'string' },
        history: { type: 'string' },
        'encoder-cache': { type: 'string' },
        'process-cache': { type: 'string' },
        'thread-cache': { type: 'string' },
      },
    }) as { values: Values; positionals: string[] };
  } catch (err) {
    return usage(io, command, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values['help'] === true) {
    io.stdout.write((command === 'publish' ? PUBLISH_HELP : SERVE_HELP) + '\n');
    return ExitCode.ok;
  }
  const nats = (values['nats'] as string | undefined) ?? io.env['NATS_URL'];
  if (nats === undefined) return usage(io, command, `${command} needs --nats URL (or NATS_URL)`);
  const partitions = positiveInt(values['partitions'], 'partitions', DEFAULT_PARTITIONS);
  const replicas = positiveInt(values['replicas'], 'replicas', 1);
  if (typeof partitions === 'string') return usage(io, command, partitions);
  if (typeof replicas === 'string') return usage(io, command, replicas);
  const storage: FleetStorage = { ...DEFAULT_STORAGE, replicas };
  const prefix = (values['prefix'] as string | undefined) ?? DEFAULT_PREFIX;
  const quiet = values['quiet'] === true;
  if (command === 'publish') {
    const window = positiveInt(values['window'], 'window', 256);
    if (typeof window === 'string') return usage(io, command, window);
    if (positionals.length > 1) return usage(io, command, `publish reads one input (got ${positionals.join(' ')})`);
    const { runPublish } = await import('./publish.js');
    const started = performance.now();
    const s = await runPublish(
      {
        nats,
        input: positionals[0] ?? '-',
        host: values['host'] as string | undefined,
        procfs: values['no-procfs'] !== true,
        procfsRoot: (values['procfs-root'] as string | undefined) ?? '/proc',
        prefix,
        partitions,
        window,
        storage,
        quiet,
      },
      io,
    );
    if (!quiet) {
      const stop = io.signal.aborted ? 'stopped; ' : '';
      io.stderr.write(
        `proctree-rx: publish: ${stop}${s.lines} lines for ${s.hosts.size} host(s), ${s.procfsRecords} procfs records, ${s.retries} retries, ${s.duplicates} duplicates, ${s.noHost} without hostName, ${s.unsent} unsent, ${((performance.now() - started) / 1000).toFixed(2)} s\n`,
      );
    }
    return s.unsent > 0 ? ExitCode.failure : ExitCode.ok;
  }
  // serve
  const group = values['group'] as string | undefined;
  if (group === undefined || !/^[A-Za-z0-9_-]+$/.test(group)) return usage(io, command, 'serve needs --group NAME (letters, digits, _ and -)');
  const numbers = {
    checkpointEvents: positiveInt(values['checkpoint-events'], 'checkpoint-events', 10_000),
    checkpointIntervalMs: durationMs(values['checkpoint-interval'], 'checkpoint-interval', 30_000),
    leaseTtlMs: durationMs(values['lease-ttl'], 'lease-ttl', 5_000),
    maxAckPending: positiveInt(values['max-ack-pending'], 'max-ack-pending', 1024),
    history: positiveInt(values['history'], 'history', DEFAULT_HOST_HISTORY),
    encoderCacheBytes: sizeBytes(values['encoder-cache'], 'encoder-cache', DEFAULT_HOST_ENCODER_CACHE),
    processCacheSize: cacheSize(values['process-cache'], 'process-cache', PROCTREE_DEFAULTS.processCacheSize),
    threadCacheSize: cacheSize(values['thread-cache'], 'thread-cache', PROCTREE_DEFAULTS.threadCacheSize),
  };
  for (const v of Object.values(numbers)) if (typeof v === 'string') return usage(io, command, v);
  const signatures = await signatureFactory(values, io);
  if (typeof signatures === 'string') return usage(io, command, signatures);
  const { startWorker } = await import('./worker.js');
  const worker = await startWorker(
    {
      nats,
      group,
      prefix,
      partitions,
      storage,
      settings: { source: 'events', processCacheSize: numbers.processCacheSize as number, threadCacheSize: numbers.threadCacheSize as number },
      history: numbers.history as number,
      encoderCacheBytes: numbers.encoderCacheBytes as number,
      signatures,
      checkpointEvents: numbers.checkpointEvents as number,
      checkpointIntervalMs: numbers.checkpointIntervalMs as number,
      leaseTtlMs: numbers.leaseTtlMs as number,
      maxAckPending: numbers.maxAckPending as number,
      workerId: values['worker-id'] as string | undefined,
      quiet,
    },
    io.stderr,
  );
  const stopOnSignal = (): void => void worker.stop();
  if (io.signal.aborted) stopOnSignal();
  io.signal.addEventListener('abort', stopOnSignal, { once: true });
  await worker.done;
  const s = worker.stats;
  if (!quiet) {
    io.stderr.write(
      `proctree-rx: serve ${worker.id}: stopped; ${s.applied} applied, ${s.skipped} skipped (in checkpoints), ${s.badLines} bad lines, ${s.enriched} enriched, ${s.findings} findings, ${s.duplicateOutputs} duplicate outputs, ${s.checkpoints} checkpoints, ${s.restoredHosts} hosts restored\n`,
    );
  }
  return ExitCode.ok;
}

function usage(io: CliIo, command: string | undefined, message: string): number {
  io.stderr.write(`proctree-rx: ${message}\nTry 'proctree-rx ${command ?? ''} --help' for more information.\n`);
  return ExitCode.usage;
}

/** `--signatures` / `--signature-module` → a factory of fresh instances (one set per host), or a usage message. */
async function signatureFactory(values: Values, io: CliIo): Promise<(() => AnySignature[]) | string> {
  void io;
  const modules = (values['signature-module'] as string[] | undefined) ?? [];
  const loaded = await loadSignatureModules(modules, process.cwd(), Object.keys(builtinSignatures));
  if (E.isLeft(loaded)) return `--signature-module ${loaded.left}`;
  const fromModules = new Map(loaded.right.map((m) => [m.id, m.signature]));
  const list = values['signatures'] as string | undefined;
  const asked = list === 'none' ? [] : list !== undefined ? list.split(',').map((s) => s.trim()) : [...DEFAULT_SIGNATURE_IDS, ...fromModules.keys()];
  const unknown = asked.filter((id) => !Object.hasOwn(builtinSignatures, id) && !fromModules.has(id));
  if (unknown.length > 0) return `unknown signature ${unknown.join(', ')}`;
  // a host keeps no artifacts (its checkpoint could not carry them across a takeover): signatures
  // reading them would never fire; left out of the default set, refused when named
  const readsArtifacts = (id: string): boolean => needsArtifacts([fromModules.get(id) ?? builtinSignatures[id]!()]);
  const needing = asked.filter(readsArtifacts);
  if (list !== undefined && needing.length > 0) return `--signatures: ${needing.join(', ')} read(s) per-process artifacts, which serve does not keep (run them with enrich or findings --artifacts)`;
  const ids = asked.filter((id) => !needing.includes(id));
  if (fromModules.size > 0 && ids.some((id) => fromModules.has(id))) {
    // a module exports instances: one host can run them, several cannot share their state
    return ids.length === 0 ? () => [] : () => ids.map((id) => fromModules.get(id) ?? builtinSignatures[id]!());
  }
  return () => ids.map((id) => builtinSignatures[id]!());
}
