/**
 * Partition leases in a JetStream KV bucket, by revision (compare-and-set): the only
 * coordination the fleet adds on top of JetStream.
 *
 * - Key `<group>.p<N>` holds `{"worker":ID,"expires":ms}`. A worker takes a partition when the key
 *   is absent (`create`) or its lease expired (`update` at the revision it read): of two workers
 *   trying, the server lets exactly one through.
 * - The holder renews before expiry (`update` at its own last revision). A renewal that fails means
 *   another worker took the partition: the holder stops it at once.
 * - Key `<group>.w.<ID>` is each worker's heartbeat, with the number of partitions it holds; the
 *   live workers decide each one's fair share (see `fairShare.ts`): a worker over its share
 *   releases partitions (a lease expiring now), one under it takes free or expired ones while no
 *   other live worker holds fewer.
 * - Renewals and heartbeats run on their own timer and connection (see the worker), never behind
 *   message processing or a hand-over.
 *
 * Expiry compares wall clocks: workers' clocks must agree to well within the lease TTL (NTP).
 *
 * @module
 */
import type { KV } from 'nats';

/** What a lease key holds. */
interface LeaseValue {
  readonly worker: string;
  readonly expires: number;
  /** In a heartbeat: the partitions the worker holds. */
  readonly holds?: number;
}

const encode = (v: LeaseValue): Uint8Array => Buffer.from(JSON.stringify(v));

function decode(data: Uint8Array): LeaseValue | undefined {
  try {
    const v = JSON.parse(Buffer.from(data).toString('utf8')) as Partial<LeaseValue>;
    if (typeof v.worker !== 'string' || typeof v.expires !== 'number') return undefined;
    return typeof v.holds === 'number' ? { worker: v.worker, expires: v.expires, holds: v.holds } : { worker: v.worker, expires: v.expires };
  } catch {
    return undefined;
  }
}

/** Leases of one worker in one group. */
export class LeaseTable {
  /** Partition → the revision of our lease. */
  private readonly held = new Map<number, number>();
  /** Renewals in flight, by partition. */
  private readonly renewals = new Map<number, Promise<boolean>>();

  /**
   * @param listKeys - the bucket's keys matching a pattern (`<group>.w.*`), by one request (the
   *   client's `kv.keys()` could wait forever when a key was rewritten while it listed).
   */
  constructor(
    private readonly kv: KV,
    private readonly listKeys: (pattern: string) => Promise<string[]>,
    private readonly group: string,
    readonly worker: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private key(partition: number): string {
    return `${this.group}.p${partition}`;
  }

  /** Partitions held now, ascending. */
  partitions(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  holds(partition: number): boolean {
    return this.held.has(partition);
  }

  /** Tries to take `partition`; true when it is ours now. */
  async acquire(partition: number): Promise<boolean> {
    const value = encode({ worker: this.worker, expires: this.now() + this.ttlMs });
    try {
      const entry = await this.kv.get(this.key(partition));
      let revision: number;
      if (entry === null || entry.operation !== 'PUT') {
        revision = entry === null ? await this.kv.create(this.key(partition), value) : await this.kv.update(this.key(partition), value, entry.revision);
      } else {
        const lease = decode(entry.value);
        if (lease !== undefined && lease.worker !== this.worker && lease.expires > this.now()) return false;
        revision = await this.kv.update(this.key(partition), value, entry.revision);
      }
      this.held.set(partition, revision);
      return true;
    } catch {
      return false; // another worker was faster (wrong last sequence), or the server is away
    }
  }

  /** Renews `partition`; false when it was lost (another worker holds it now). */
  renew(partition: number): Promise<boolean> {
    const renewal = this.renewOnce(partition).finally(() => this.renewals.delete(partition));
    this.renewals.set(partition, renewal);
    return renewal;
  }

  private async renewOnce(partition: number): Promise<boolean> {
    const revision = this.held.get(partition);
    if (revision === undefined) return false;
    try {
      this.held.set(partition, await this.kv.update(this.key(partition), encode({ worker: this.worker, expires: this.now() + this.ttlMs }), revision));
      return true;
    } catch (err) {
      if (/wrong last sequence/i.test((err as Error).message)) {
        // our own earlier renewal may have been stored after its request timed out (a busy event
        // loop): the lease is still ours at a newer revision — adopt it instead of giving up
        const entry = await this.kv.get(this.key(partition)).catch(() => null);
        const lease = entry === null || entry.operation !== 'PUT' ? undefined : decode(entry.value);
        if (entry !== null && lease !== undefined && lease.worker === this.worker && lease.expires > this.now()) {
          this.held.set(partition, entry.revision);
          return true;
        }
        this.held.delete(partition);
        return false;
      }
      return true; // the server is away: keep it until the lease would have expired (the caller checks)
    }
  }

  /** Gives `partition` up (its lease expires now, so others take it at once). */
  async release(partition: number): Promise<void> {
    // a renewal in flight would move the revision under us (and keep the lease alive)
    await this.renewals.get(partition);
    const revision = this.held.get(partition);
    this.held.delete(partition);
    if (revision === undefined) return;
    await this.kv.update(this.key(partition), encode({ worker: this.worker, expires: 0 }), revision).catch(() => undefined);
  }

  /** Writes this worker's heartbeat, with how many partitions it holds (others read it to share fairly). */
  async heartbeat(holding: number): Promise<void> {
    await this.kv.put(`${this.group}.w.${this.worker}`, encode({ worker: this.worker, expires: this.now() + this.ttlMs, holds: holding })).catch(() => undefined);
  }

  /** Says this worker is gone. */
  async leave(): Promise<void> {
    await this.kv.delete(`${this.group}.w.${this.worker}`).catch(() => undefined);
  }

  /** The other workers whose heartbeat has not expired, each with the partitions it said it holds. */
  async otherWorkers(): Promise<Map<string, number>> {
    const keys = await this.listKeys(`${this.group}.w.*`);
    const entries = await Promise.all(keys.map((key) => this.kv.get(key)));
    const out = new Map<string, number>();
    for (const entry of entries) {
      if (entry === null || entry.operation !== 'PUT') continue;
      const v = decode(entry.value);
      if (v !== undefined && v.worker !== this.worker && v.expires > this.now()) out.set(v.worker, v.holds ?? 0);
    }
    return out;
  }
}
