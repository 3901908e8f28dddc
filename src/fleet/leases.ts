/**
 * Partition leases in a JetStream KV bucket, by revision (compare-and-set): the only
 * coordination the fleet adds on top of JetStream.
 *
 * - Key `<group>.p<N>` holds `{"worker":ID,"expires":ms}`. A worker takes a partition when the key
 *   is absent (`create`) or its lease expired (`update` at the revision it read): of two workers
 *   trying, the server lets exactly one through.
 * - The holder renews before expiry (`update` at its own last revision). A renewal that fails means
 *   another worker took the partition: the holder stops it at once.
 * - Key `<group>.w.<ID>` is each worker's heartbeat; the live workers decide each one's fair share
 *   (`ceil(partitions / workers)`): a worker over its share releases partitions (a lease expiring
 *   now), one under it takes free or expired ones.
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
}

const encode = (v: LeaseValue): Uint8Array => Buffer.from(JSON.stringify(v));

function decode(data: Uint8Array): LeaseValue | undefined {
  try {
    const v = JSON.parse(Buffer.from(data).toString('utf8')) as Partial<LeaseValue>;
    return typeof v.worker === 'string' && typeof v.expires === 'number' ? { worker: v.worker, expires: v.expires } : undefined;
  } catch {
    return undefined;
  }
}

/** Leases of one worker in one group. */
export class LeaseTable {
  /** Partition → the revision of our lease. */
  private readonly held = new Map<number, number>();

  constructor(
    private readonly kv: KV,
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
  async renew(partition: number): Promise<boolean> {
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
    const revision = this.held.get(partition);
    this.held.delete(partition);
    if (revision === undefined) return;
    await this.kv.update(this.key(partition), encode({ worker: this.worker, expires: 0 }), revision).catch(() => undefined);
  }

  /** Writes this worker's heartbeat. */
  async heartbeat(): Promise<void> {
    await this.kv.put(`${this.group}.w.${this.worker}`, encode({ worker: this.worker, expires: this.now() + this.ttlMs })).catch(() => undefined);
  }

  /** Says this worker is gone. */
  async leave(): Promise<void> {
    await this.kv.delete(`${this.group}.w.${this.worker}`).catch(() => undefined);
  }

  /** Workers whose heartbeat has not expired (this one included). */
  async liveWorkers(): Promise<number> {
    let live = 0;
    const keys = await this.kv.keys(`${this.group}.w.*`);
    for await (const key of keys) {
      const entry = await this.kv.get(key);
      if (entry === null || entry.operation !== 'PUT') continue;
      const v = decode(entry.value);
      if (v !== undefined && v.expires > this.now()) live++;
    }
    return Math.max(1, live);
  }
}
