/**
 * Names of everything the fleet keeps in NATS JetStream: subjects, streams, buckets and keys,
 * from a prefix (default `proctree`). Pure.
 *
 * ```text
 * <prefix>.events.<partition>.<host>     input: one Tracee line per message (stream <PREFIX>_EVENTS)
 * <prefix>.enriched.<host>               output: the line with its "proctree" context (stream <PREFIX>_OUTPUT)
 * <prefix>.findings.<host>               output: one finding per message (stream <PREFIX>_OUTPUT)
 * KV <prefix>_leases                     <group>.p<partition> → the worker holding it; <group>.w.<id> → worker heartbeats
 * object store <prefix>_checkpoints      <group>.<host> → the host's checkpoint
 * ```
 *
 * A host name becomes one subject token: every character outside `[A-Za-z0-9_-]` is written
 * `=XX` per UTF-8 byte (so `web-1.example.com` is `web-1=2Eexample=2Ecom`), which is also a
 * valid KV key and object name, and reads back unchanged.
 *
 * @module
 */

/** Default subject prefix. */
export const DEFAULT_PREFIX = 'proctree';

/** Default number of partitions hosts are spread over (publisher and workers must agree). */
export const DEFAULT_PARTITIONS = 32;

/**
 * A host name as one subject token (reversible: see {@link hostOfToken}).
 *
 * @example
 * ```ts
 * hostToken('web-1.example.com'); // 'web-1=2Eexample=2Ecom'
 * ```
 */
export function hostToken(host: string): string {
  let out = '';
  for (const byte of Buffer.from(host, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(c) ? c : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out === '' ? '=' : out;
}

/** The host name a {@link hostToken} stands for. */
export function hostOfToken(token: string): string {
  if (token === '=') return '';
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '=') {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** FNV-1a, 32 bits, of a string's UTF-8 bytes: the partition hash (stable across processes and versions). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The partition a host's events go to: `fnv1a32(host) mod partitions`.
 *
 * @example
 * ```ts
 * partitionOf('web-1', 32); // always the same number in 0..31
 * ```
 */
export const partitionOf = (host: string, partitions: number): number => fnv1a32(host) % partitions;

/** Every name the fleet uses under one prefix. */
export interface FleetNames {
  readonly prefix: string;
  readonly eventsStream: string;
  readonly outputStream: string;
  readonly leaseBucket: string;
  readonly checkpointBucket: string;
  /** Input subject of `host` in `partition`. */
  events(partition: number, host: string): string;
  /** Filter of every input subject of one partition. */
  partitionFilter(partition: number): string;
  enriched(host: string): string;
  findings(host: string): string;
}

/**
 * The names under `prefix` (letters, digits, `_` and `-`).
 *
 * @example
 * ```ts
 * const names = fleetNames('proctree');
 * names.events(3, 'web-1'); // 'proctree.events.3.web-1'
 * ```
 */
export function fleetNames(prefix: string = DEFAULT_PREFIX): FleetNames {
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`invalid subject prefix "${prefix}": use letters, digits, _ and -`);
  const upper = prefix.toUpperCase().replace(/-/g, '_');
  return {
    prefix,
    eventsStream: `${upper}_EVENTS`,
    outputStream: `${upper}_OUTPUT`,
    leaseBucket: `${prefix}_leases`,
    checkpointBucket: `${prefix}_checkpoints`,
    events: (partition, host) => `${prefix}.events.${partition}.${hostToken(host)}`,
    partitionFilter: (partition) => `${prefix}.events.${partition}.*`,
    enriched: (host) => `${prefix}.enriched.${hostToken(host)}`,
    findings: (host) => `${prefix}.findings.${hostToken(host)}`,
  };
}
