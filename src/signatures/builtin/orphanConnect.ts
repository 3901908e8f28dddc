/**
 * `PRX-004`: an orphaned (reparented) process that makes a network connection.
 *
 * @module
 */
import { defer, filter, map, scan, type OperatorFunction } from 'rxjs';
import type { EnrichedEnvelope } from '../../operators/enrich.js';
import { headOf, type EntityId, type Nanos } from '../../streams/types.js';
import { createFinding } from '../createFinding.js';
import { eventArgs } from '../internal/eventArgs.js';
import type { Finding, SignatureEnv, SignatureMetadata, SignatureOperator } from '../types.js';

/** Events that mean "connects to a remote address". */
export const CONNECT_EVENTS: readonly string[] = ['connect', 'security_socket_connect'];

/** Options of {@link orphanConnect}. */
export interface OrphanConnectOptions {
  /** At most one finding per process per this many ns of event time (default 60 s). */
  readonly windowNs?: Nanos;
}

const METADATA: SignatureMetadata = {
  id: 'PRX-004',
  name: 'Orphaned process connects out',
  version: '1',
  description: 'A process whose parent is gone (reparented to init or a subreaper) made a network connection: the shape of a daemonised backdoor or reverse shell.',
  tags: ['linux', 'container', 'network', 'proctree'],
  properties: {
    Severity: 2,
    Category: 'command-and-control',
    Technique: 'Application Layer Protocol',
    external_id: 'T1071',
    'MITRE ATT&CK': 'Command and Control: Application Layer Protocol',
  },
};

/** Who left a process orphaned, learnt from the parent's exit event. */
interface Orphaning {
  readonly at: Nanos;
  readonly parent: { readonly pid: number; readonly name: string; readonly exe: string };
}

interface State {
  /** Child id → how it was orphaned (parents' exits seen in the stream). */
  readonly orphaned: Map<EntityId, Orphaning>;
  /** Process id → time of its last finding. */
  readonly reported: Map<EntityId, Nanos>;
  out: Finding | undefined;
}

const isLeaderExit = (e: EnrichedEnvelope): boolean => {
  const h = headOf(e);
  return h.eventName === 'sched_process_exit' && h.hostProcessId === h.hostThreadId;
};

/** The remote address of a connect event (`addr`, else `remote_addr`), warning about malformed arguments. */
function remoteOf(e: EnrichedEnvelope, env: SignatureEnv): unknown {
  const args = eventArgs(e.event);
  const key = ['addr', 'remote_addr'].find((k) => args.values.has(k));
  const remote = key === undefined ? undefined : args.values.get(key);
  if (key === undefined) args.problems.push('arguments "addr" and "remote_addr" are missing');
  else if (remote === null || remote === undefined) args.problems.push(`argument "${key}" is ${String(remote)}`);
  for (const problem of args.problems) env.warn(e, problem);
  return remote ?? null;
}

/**
 * Fires on `connect` / `security_socket_connect` by a process whose current parent differs
 * from the parent that spawned it (`ProcessInfo.parentEntityId` ≠ `spawnParentEntityId`).
 *
 * Composition: a `scan` correlates events of one lineage in event time — a parent's exit marks
 * its live children as orphaned (with who and when, reported as `Data.orphanedAt` and
 * `Data.spawnParent`), and a per-process window (`windowNs`) keeps one finding per process per
 * window however often it connects. `Data`: `remote` (the address argument), `spawnParent`
 * (`pid`, `name`, `exe`), `currentParentPid`, `orphanedAt` / `sinceOrphanedNs` when the parent's
 * exit was seen.
 *
 * Why: `nohup cmd &` then the shell exits, a double fork to daemonise, or a payload that outlives
 * its dropper all leave the process reparented; a fresh orphan calling out is how many reverse
 * shells and implants look.
 *
 * False positives: real daemons started by hand or by old-style init scripts (double fork) that
 * connect (NTP, agents, package managers run with `&`). Container entrypoints whose children are
 * reparented to a subreaper (tini, dumb-init). Allow-list by `Data.spawnParent.exe`.
 *
 * MITRE ATT&CK: T1071 (Application Layer Protocol); often with T1059.004 (Unix Shell).
 *
 * @example
 * ```ts
 * import { orphanConnect } from 'proctree-rx';
 * const sig = orphanConnect({ windowNs: 300_000_000_000n });
 * ```
 */
export function orphanConnect(options: OrphanConnectOptions = {}): SignatureOperator {
  const windowNs = options.windowNs ?? 60_000_000_000n;
  const connects = new Set(CONNECT_EVENTS);
  const step = (env: SignatureEnv) => (s: State, e: EnrichedEnvelope): State => {
    s.out = undefined;
    const name = headOf(e).eventName;
    if (isLeaderExit(e)) {
      const dead = e.context.process;
      if (dead !== undefined) {
        const parent = { pid: dead.pid, name: dead.name, exe: dead.executionBinary.path };
        for (const child of dead.childProcessesIds.values()) s.orphaned.set(child, { at: e.timestamp, parent });
      }
      s.orphaned.delete(headOf(e).processEntityId);
      s.reported.delete(headOf(e).processEntityId);
      return s;
    }
    if (!connects.has(name)) return s;
    const remote = remoteOf(e, env);
    const p = e.context.process;
    if (p === undefined || p.spawnParentEntityId === 0 || p.parentEntityId === p.spawnParentEntityId) return s;
    const last = s.reported.get(p.entityId);
    if (last !== undefined && e.timestamp - last < windowNs) return s;
    s.reported.set(p.entityId, e.timestamp);
    const how = s.orphaned.get(p.entityId);
    const spawn = e.context.ancestors[0];
    s.out = createFinding(METADATA, e, {
      remote,
      spawnParent: how?.parent ?? (spawn !== undefined && spawn.entityId === p.spawnParentEntityId ? { pid: spawn.pid, name: spawn.name, exe: spawn.executionBinary.path } : null),
      currentParentPid: p.ppid,
      ...(how !== undefined ? { orphanedAt: how.at, sinceOrphanedNs: e.timestamp - how.at } : {}),
    });
    return s;
  };
  return {
    metadata: METADATA,
    operator:
      (env): OperatorFunction<EnrichedEnvelope, Finding> =>
      (events$) =>
        // fresh state per subscription
        defer(() =>
          events$.pipe(
            scan(step(env), { orphaned: new Map(), reported: new Map(), out: undefined } as State),
            map((s) => s.out),
            filter((f): f is Finding => f !== undefined),
          ),
        ),
  };
}
