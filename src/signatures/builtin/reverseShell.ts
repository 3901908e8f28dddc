/**
 * `PRX-005`: a shell started by a process whose lineage connected out just before (the shape of
 * a reverse shell). Needs artifacts.
 *
 * @module
 */
import * as O from 'fp-ts/lib/Option.js';
import type { NetArtifact } from '../../tree/artifacts/artifactStore.js';
import type { EntityId, Nanos } from '../../streams/types.js';
import type { ProcessTreeDataSource } from '../../tree/dataSource.js';
import type { ProcessInfo } from '../../tree/queries.js';
import { eventSignature } from '../eventSignature.js';
import { basename, execFacts } from '../internal/execFacts.js';
import type { SignatureMetadata, SignatureOperator } from '../types.js';
import { SHELLS } from './shellUnderServer.js';

/** Options of {@link reverseShell}. */
export interface ReverseShellOptions {
  /** Shell binaries (basenames); default those of PRX-001. */
  readonly shells?: readonly string[];
  /** How recent the connection must be, ns before the shell's exec (default 10 s). */
  readonly windowNs?: Nanos;
  /** Spawn ancestors looked at besides the process itself (default 2). */
  readonly depth?: number;
  /** Remote ports that never count (default `[53]`: a DNS lookup is not a session). */
  readonly ignoredPorts?: readonly number[];
}

const METADATA: SignatureMetadata = {
  id: 'PRX-005',
  name: 'Shell spawned after its lineage connected out (reverse shell)',
  version: '1',
  description:
    'A shell was executed by a process that, or whose near ancestor, had just made an outbound network connection: the shape of a reverse shell (nc -e, bash -i >& /dev/tcp, a scripting one-liner that connects and spawns a pty).',
  tags: ['linux', 'container', 'network', 'proctree', 'artifacts'],
  properties: {
    Severity: 3,
    Category: 'execution',
    Technique: 'Unix Shell',
    external_id: 'T1059.004',
    'MITRE ATT&CK': 'Execution: Command and Scripting Interpreter: Unix Shell',
  },
};

/** The process `id` as of `time`, or `undefined` (unknown, or that version no longer retained). */
export function processThen(ds: ProcessTreeDataSource, id: EntityId, time: Nanos): ProcessInfo | undefined {
  try {
    return O.toUndefined(ds.process({ entityId: id, time }));
  } catch {
    return undefined;
  }
}

/** A remote peer on the network (not loopback, not a unix socket). */
const isRemote = (n: NetArtifact): boolean => {
  if (n.family !== 'AF_INET' && n.family !== 'AF_INET6') return false;
  const a = n.address;
  return !(a.startsWith('127.') || a === '::1' || a === '0.0.0.0' || a === '::' || a.startsWith('::ffff:127.'));
};

/**
 * Fires on `sched_process_exec` of a shell (by the file run, the interpreter or argv[0]) when the
 * process itself (before the exec: same process) or one of its nearest spawn ancestors (`depth`)
 * made an outbound connection (`connect`, `security_socket_connect`) to a remote IPv4/IPv6 peer
 * within `windowNs` before the exec — read from the artifacts as of the exec's time. `Data`:
 * `shell`, `peer` (`address`, `port`, `family`, `lastTime`), `connector` (`entityId`, `pid`,
 * `name`, `exe`), `depth` (0 = the process itself), `sinceConnectNs`.
 *
 * Needs artifacts (`requires: ['artifacts']`): without them it never fires.
 *
 * Why: every common reverse shell connects first and then hands the socket to a shell: `nc -e
 * /bin/sh`, `bash -c 'bash -i >& /dev/tcp/…'`, `python -c 'socket…connect…pty.spawn("sh")'`.
 *
 * False positives: tools that fetch then shell out (installers, CI runners, `ssh` clients running
 * `ProxyCommand`). Loopback peers, unix sockets and DNS (port 53) never count; narrow `depth` or
 * `windowNs`, or filter on `Data.connector.exe`.
 *
 * MITRE ATT&CK: T1059.004 (Unix Shell), with T1071 (Application Layer Protocol).
 *
 * @example
 * ```ts
 * import { builtinSignatures, pipeline } from 'proctree-rx';
 * const run = await pipeline({ inputs: 'capture.ndjson', artifacts: true });
 * run.findings([builtinSignatures['PRX-005']!()]).subscribe((f) => console.log(f.Data));
 * ```
 */
export function reverseShell(options: ReverseShellOptions = {}): SignatureOperator {
  const shells = new Set(options.shells ?? SHELLS);
  const windowNs = options.windowNs ?? 10_000_000_000n;
  const depth = Math.max(0, options.depth ?? 2);
  const ignored = new Set(options.ignoredPorts ?? [53]);
  const sig = eventSignature(METADATA, ['sched_process_exec'], (e, env) => {
    const artifacts = e.context.artifacts;
    if (artifacts === undefined) return undefined;
    const x = execFacts(e);
    if (x === undefined) return undefined;
    for (const problem of x.problems) env.warn(e, problem);
    const shell = [basename(x.pathname), basename(x.interp), basename(x.argv[0] ?? '')].find((n) => shells.has(n));
    if (shell === undefined) return undefined;
    const t = e.timestamp;
    const self = e.context.process;
    if (self === undefined) return undefined;
    // the process itself (its program before this exec may have connected), then its spawn ancestors
    const lineage: EntityId[] = [self.entityId, ...e.context.ancestors.slice(0, depth).map((a) => a.entityId)];
    for (let i = 0; i < lineage.length; i++) {
      const id = lineage[i]!;
      const did = artifacts.at(id, t);
      if (did === undefined) continue;
      const peer = did.network.find((n) => n.op === 'connect' && isRemote(n) && !ignored.has(n.port) && n.lastTime <= t && t - n.lastTime <= windowNs);
      if (peer !== undefined) {
        // who connected, as it was when it connected (its program then)
        const then = processThen(env.dataSource, id, peer.lastTime);
        const who = { entityId: id, pid: then?.pid ?? 0, name: then?.name ?? '', exe: then?.executionBinary.path ?? '' };
        return {
          shell,
          peer: { address: peer.address, port: peer.port, family: peer.family, lastTime: peer.lastTime },
          connector: who,
          depth: i,
          sinceConnectNs: t - peer.lastTime,
        };
      }
    }
    return undefined;
  });
  return { ...sig, requires: ['artifacts'] };
}
