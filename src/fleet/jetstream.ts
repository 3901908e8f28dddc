/**
 * Connecting to NATS and making sure the fleet's streams and buckets exist (idempotent: the
 * first publisher or worker creates them, the others find them).
 *
 * Client: the `nats` v2 package (CommonJS + ESM, JetStream, KV and object store on servers from
 * 2.9: Debian bookworm's `nats-server` is 2.9.10). The v3 `@nats-io/*` packages are ESM-only
 * (Jest here cannot load them from tested code) and target 2.10+ features.
 *
 * @module
 */
import { connect, DiscardPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import type { FleetNames } from './subjects.js';

/** How the fleet's streams are made when missing. */
export interface FleetStorage {
  /** Copies of every stream and bucket (1, or 3 on a three-node cluster). */
  readonly replicas: number;
  /** How long input events stay (ms): longer than the checkpoint interval, with room for an outage. */
  readonly eventsMaxAgeMs: number;
  /** How long outputs stay (ms). */
  readonly outputMaxAgeMs: number;
  /** The de-duplication window of both streams (ms): longer than the longest takeover or publisher retry. */
  readonly duplicateWindowMs: number;
}

/** Defaults: 1 replica, events and outputs kept 24 h, duplicates caught within 10 min. */
export const DEFAULT_STORAGE: FleetStorage = { replicas: 1, eventsMaxAgeMs: 24 * 3600_000, outputMaxAgeMs: 24 * 3600_000, duplicateWindowMs: 600_000 };

/**
 * Connects with endless reconnects (a restarting server is waited for, not an error), the first
 * connection included.
 *
 * @example
 * ```ts
 * const nc = await connectNats('nats://collector:4222', 'proctree-rx publish web-1');
 * ```
 */
export function connectNats(servers: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: servers.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    pingInterval: 5_000,
  });
}

const isNotFound = (err: unknown): boolean => {
  const e = err as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e.api_error?.err_code === 10059 || e.code === '404' || /not found/i.test(e.message ?? '');
};

async function ensureStream(jsm: JetStreamManager, name: string, subjects: string[], maxAgeMs: number, storage: FleetStorage): Promise<void> {
  try {
    await jsm.streams.info(name);
    return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    await jsm.streams.add({
      name,
      subjects,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: storage.replicas,
      max_age: nanos(maxAgeMs),
      duplicate_window: nanos(Math.min(storage.duplicateWindowMs, maxAgeMs)),
      discard: DiscardPolicy.Old,
    });
  } catch (err) {
    // another process made it in between
    await jsm.streams.info(name).catch(() => {
      throw err;
    });
  }
}

/**
 * Makes the input and output streams when missing.
 *
 * @example
 * ```ts
 * await ensureStreams(await nc.jetstreamManager(), fleetNames(), DEFAULT_STORAGE);
 * ```
 */
export async function ensureStreams(jsm: JetStreamManager, names: FleetNames, storage: FleetStorage): Promise<void> {
  await ensureStream(jsm, names.eventsStream, [`${names.prefix}.events.>`], storage.eventsMaxAgeMs, storage);
  await ensureStream(jsm, names.outputStream, [`${names.prefix}.enriched.>`, `${names.prefix}.findings.>`], storage.outputMaxAgeMs, storage);
}
