/**
 * `PROCTREE_DATA_SOURCE`: the port of Tracee's end-to-end check of its process-tree data source
 * (spec §8.4), adapted to proctree-rx's boundary rule.
 *
 * @module
 */
import * as O from 'fp-ts/lib/Option.js';
import type { EnrichedEnvelope } from '../../operators/enrich.js';
import type { ProcessTreeDataSource } from '../../tree/dataSource.js';
import type { ProcessInfo } from '../../tree/queries.js';
import { execFacts } from '../internal/execFacts.js';
import type { Signature, SignatureContext, SignatureMetadata } from '../types.js';
import { headOf } from '../../streams/types.js';

/** Options of {@link proctreeDataSource}. */
export interface ProctreeDataSourceOptions {
  /** Check only execs whose `pathname` ends with this (Tracee's test: `proctreetester`); default: every exec. */
  readonly pathSuffix?: string;
  /** Emit a finding for consistent events too, as Tracee's test does (default false: inconsistencies only). */
  readonly reportConsistent?: boolean;
  /** Lineage depth (default 5, as Tracee's test). */
  readonly maxDepth?: number;
}

const METADATA: SignatureMetadata = {
  id: 'PROCTREE_DATA_SOURCE',
  name: 'Process tree data source test',
  version: '1',
  eventName: 'PROCTREE_DATA_SOURCE',
  description: 'Checks that the process-tree data source agrees with each exec event: thread, process and lineage.',
  tags: ['e2e', 'proctree'],
  properties: { Severity: 0 },
};

/** Fields of a ProcessInfo that may legitimately differ between two reads of the same process. */
const VOLATILE = new Set(['isAlive', 'threadsIds', 'childProcessesIds', 'startTime', 'execTime', 'exitTime', 'exitCode']);
/** Fields that never change for a process, whatever the time of the read. */
const IDENTITY = ['entityId', 'pid', 'nsPid', 'startTime', 'spawnParentEntityId', 'containerId'] as const;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) === JSON.stringify(b, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Tracee's map check: the keys of the smaller map must be in the larger one. */
const keysAgree = (a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean => {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  return [...small.keys()].every((k) => large.has(k));
};

const withoutVolatile = (p: ProcessInfo): Record<string, unknown> =>
  Object.fromEntries(Object.entries(p).filter(([k]) => !VOLATILE.has(k)));

/**
 * The e2e check, per exec event `e` at time `t` (= `e.timestamp`; our queries see a change made
 * at `t`, Tracee's see it only after `t`):
 * 1. ThreadKey(threadEntityId, t) exists with `tid == hostThreadId`, `nsTid == threadId`,
 *    `pid == hostProcessId` (and, beyond Tracee, `processEntityId` == the event's).
 * 2. ProcKey(processEntityId, t) exists with `pid == hostProcessId`, `nsPid == processId`,
 *    `ppid == hostParentProcessId`, `threadsIds` holding `hostThreadId`, and (beyond Tracee) the
 *    program being the exec's `pathname`.
 * 3. LineageKey(processEntityId, t, 5): element 0 must equal the ProcKey answer; each ancestor
 *    (read at its child's start, Tracee's rule) must equal a ProcKey read of the same id at that
 *    same time (after zeroing what may differ: alive flag, maps — whose keys must agree —, times);
 *    and its identity (ids, pids, start) must equal a ProcKey read at `t`.
 *
 * A finding is emitted per inconsistent event: `Data.consistent: false`, `Data.problems` lists
 * what failed; with `reportConsistent: true` (Tracee's test) consistent events are reported too
 * (`Data.consistent: true`, `Data.depth`). Severity 0: this is a self-test of the tree (Tracee
 * uses it in CI), not a detection, so it is not in the default set (`DEFAULT_SIGNATURE_IDS`):
 * ask for it by id. No MITRE technique.
 *
 * @example
 * ```ts
 * import { fromSignature, proctreeDataSource } from 'proctree-rx';
 * events$.pipe(enrich({ builder }), fromSignature(proctreeDataSource(), { dataSource: builder.dataSource() }));
 * ```
 */
export class ProctreeDataSourceSignature implements Signature {
  private ctx: SignatureContext | undefined;
  private ds: ProcessTreeDataSource | undefined;

  constructor(private readonly options: ProctreeDataSourceOptions = {}) {}

  getMetadata(): SignatureMetadata {
    return METADATA;
  }
  getSelectedEventsToTrace(): readonly { source: 'tracee'; name: string }[] {
    return [{ source: 'tracee', name: 'sched_process_exec' }];
  }
  init(ctx: SignatureContext): void {
    this.ctx = ctx;
    const ds = ctx.getDataSource('tracee', 'process_tree');
    if (O.isNone(ds)) throw new Error('PROCTREE_DATA_SOURCE: data source tracee/process_tree is not registered');
    this.ds = ds.value;
  }
  onEvent(e: EnrichedEnvelope): void {
    const ds = this.ds!;
    const h = headOf(e);
    const x = execFacts(e);
    if (x === undefined) return; // not an exec (only execs are selected)
    // the file the exec opened, as the tree's reducer read it ('' when the line names none)
    const pathname = x.pathname;
    for (const problem of x.problems) this.ctx!.warn(e, problem);
    if (this.options.pathSuffix !== undefined && !pathname.endsWith(this.options.pathSuffix)) return;
    const t = e.timestamp;
    const problems: string[] = [];
    const fail = (what: string): void => void problems.push(what);

    // 1. thread
    const thread = O.toUndefined(ds.thread({ entityId: h.threadEntityId, time: t }));
    if (thread === undefined) fail(`thread ${h.threadEntityId} not found`);
    else {
      if (thread.tid !== h.hostThreadId) fail(`thread tid ${thread.tid} != hostThreadId ${h.hostThreadId}`);
      if (thread.nsTid !== h.threadId) fail(`thread nsTid ${thread.nsTid} != threadId ${h.threadId}`);
      if (thread.pid !== h.hostProcessId) fail(`thread pid ${thread.pid} != hostProcessId ${h.hostProcessId}`);
      if (thread.processEntityId !== h.processEntityId) fail(`thread processEntityId ${thread.processEntityId} != ${h.processEntityId}`);
    }
    // 2. process
    const proc = O.toUndefined(ds.process({ entityId: h.processEntityId, time: t }));
    if (proc === undefined) fail(`process ${h.processEntityId} not found`);
    else {
      if (proc.pid !== h.hostProcessId) fail(`process pid ${proc.pid} != hostProcessId ${h.hostProcessId}`);
      if (proc.nsPid !== h.processId) fail(`process nsPid ${proc.nsPid} != processId ${h.processId}`);
      if (proc.ppid !== h.hostParentProcessId) fail(`process ppid ${proc.ppid} != hostParentProcessId ${h.hostParentProcessId}`);
      if (!proc.threadsIds.has(h.hostThreadId)) fail(`process threads lack tid ${h.hostThreadId}`);
      if (pathname !== '' && proc.executionBinary.path !== pathname) fail(`process executable ${JSON.stringify(proc.executionBinary.path)} != pathname ${JSON.stringify(pathname)}`);
    }
    // 3. lineage
    const lineage = O.toUndefined(ds.lineage({ entityId: h.processEntityId, time: t, maxDepth: this.options.maxDepth ?? 5 }));
    if (lineage === undefined) fail(`lineage of ${h.processEntityId} not found`);
    else {
      let readAt = t;
      lineage.forEach((member, i) => {
        if (i > 0) {
          const child = lineage[i - 1]!;
          if (child.startTime !== 0n && child.startTime < readAt) readAt = child.startTime;
        }
        const direct = O.toUndefined(ds.process({ entityId: member.entityId, time: readAt }));
        if (direct === undefined) return fail(`lineage[${i}] ${member.entityId} not found by ProcKey`);
        if (!keysAgree(member.threadsIds, direct.threadsIds)) fail(`lineage[${i}] threads disagree with ProcKey`);
        if (!keysAgree(member.childProcessesIds, direct.childProcessesIds)) fail(`lineage[${i}] children disagree with ProcKey`);
        if (!same(withoutVolatile(member), withoutVolatile(direct))) fail(`lineage[${i}] (pid ${member.pid}) differs from ProcKey at the same time`);
        const now = i === 0 ? direct : O.toUndefined(ds.process({ entityId: member.entityId, time: t }));
        if (now === undefined) return fail(`lineage[${i}] ${member.entityId} not found at the event time`);
        for (const k of IDENTITY) if (!same(member[k], now[k])) fail(`lineage[${i}] ${k} ${String(member[k])} != ${String(now[k])} at the event time`);
      });
      if (proc !== undefined && lineage[0] !== undefined && !same(withoutVolatile(lineage[0]), withoutVolatile(proc))) fail('lineage[0] differs from the process');
    }
    if (problems.length > 0) this.ctx!.callback({ event: e, data: { consistent: false, problems } });
    else if (this.options.reportConsistent ?? false) this.ctx!.callback({ event: e, data: { consistent: true, depth: lineage?.length ?? 0 } });
  }
  close(): void {
    this.ctx = undefined;
    this.ds = undefined;
  }
}

/**
 * A new {@link ProctreeDataSourceSignature}.
 * @example
 * ```ts
 * const sig = proctreeDataSource({ pathSuffix: 'proctreetester', reportConsistent: true });
 * ```
 */
export function proctreeDataSource(options: ProctreeDataSourceOptions = {}): Signature {
  return new ProctreeDataSourceSignature(options);
}
