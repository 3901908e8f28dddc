/**
 * `PRX-006`: a binary written by one process and executed by another soon after (a dropper).
 * Needs artifacts.
 *
 * @module
 */
import type { Nanos } from '../../streams/types.js';
import { eventSignature } from '../eventSignature.js';
import { basename } from '../internal/execFacts.js';
import type { SignatureMetadata, SignatureOperator } from '../types.js';
import { processThen } from './reverseShell.js';

/** Writers whose binaries are expected to run: package managers, compilers and linkers. */
export const EXPECTED_WRITERS: readonly string[] = [
  'dpkg', 'rpm', 'apk', 'apt', 'apt-get', 'dnf', 'yum', 'zypper', 'pacman', 'snapd', 'pip', 'pip3', 'npm', 'cargo', 'go',
  'gcc', 'cc', 'cc1', 'clang', 'ld', 'ld.bfd', 'ld.gold', 'ld.lld', 'collect2', 'rustc', 'javac', 'make', 'cmake', 'ninja', 'install',
];

/** Options of {@link dropper}. */
export interface DropperOptions {
  /** How soon after the write the exec must come, ns (default 10 min). */
  readonly windowNs?: Nanos;
  /** Writers (comm or executable basename) that never count (default {@link EXPECTED_WRITERS}). */
  readonly expectedWriters?: readonly string[];
}

const METADATA: SignatureMetadata = {
  id: 'PRX-006',
  name: 'Binary written by one process and executed by another (dropper)',
  version: '1',
  description:
    'A file was written (opened for writing, created, or renamed into place) by one process and executed by another shortly after: how droppers and download-and-run payloads look.',
  tags: ['linux', 'container', 'proctree', 'artifacts'],
  properties: {
    Severity: 3,
    Category: 'command-and-control',
    Technique: 'Ingress Tool Transfer',
    external_id: 'T1105',
    'MITRE ATT&CK': 'Command and Control: Ingress Tool Transfer',
  },
};

/**
 * Fires on `sched_process_exec` whose binary the artifacts saw written (opened with write or
 * create flags, `creat`, `magic_write`, or the target of a rename) by a *different* process within
 * `windowNs` before the exec, unless that writer is an expected one (package managers, compilers,
 * linkers). `Data`: `path`, `writer` (`entityId`, `pid`, `name`, `exe`, as when it wrote),
 * `writtenAt`, `sinceWrittenNs`.
 *
 * Needs artifacts (`requires: ['artifacts']`): without them it never fires. Paths are compared
 * absolute. A relative path written (`openat(AT_FDCWD, "./x")`, `open("x")`, `rename("x.part",
 * "x")`) is made absolute against the writer's working directory when the events show it: a
 * `chdir` of the process, or of an ancestor before the process started (inherited at fork);
 * `..` is resolved lexically. What the events cannot resolve stays relative and does not match
 * the absolute path exec reports (no finding): a working directory never shown (a process
 * started before the capture and never `chdir`ed during it), one set by `fchdir`, a path
 * relative to another directory fd (`openat(dirfd, …)`), a `..` through a symbolic link, a path in
 * another mount namespace. `security_file_open` and `magic_write` print absolute paths: with
 * those events traced, relative writes are matched regardless.
 *
 * Why: `curl -o /tmp/x …; chmod +x /tmp/x; /tmp/x`, a web shell that writes and runs a payload,
 * and staged malware all write a binary in one process and run it from another.
 *
 * False positives: self-updating software, build steps not in the expected writers (a custom
 * toolchain), test harnesses. Extend `expectedWriters` or filter on `Data.writer.exe`.
 *
 * MITRE ATT&CK: T1105 (Ingress Tool Transfer); with T1204 (User Execution).
 *
 * @example
 * ```ts
 * import { builtinSignatures, pipeline } from 'proctree-rx';
 * const run = await pipeline({ inputs: 'capture.ndjson', artifacts: true });
 * run.findings([builtinSignatures['PRX-006']!()]).subscribe((f) => console.log(f.Data));
 * ```
 */
export function dropper(options: DropperOptions = {}): SignatureOperator {
  const windowNs = options.windowNs ?? 600_000_000_000n;
  const expected = new Set(options.expectedWriters ?? EXPECTED_WRITERS);
  const sig = eventSignature(METADATA, ['sched_process_exec'], (e, env) => {
    const artifacts = e.context.artifacts;
    const self = e.context.process;
    if (artifacts === undefined || self === undefined) return undefined;
    const t = e.timestamp;
    const did = artifacts.at(self.entityId, t);
    const exec = did?.executions.find((x) => x.time === t);
    const w = exec?.writtenBy;
    if (exec === undefined || w === undefined || w.entityId === self.entityId || t - w.time > windowNs) return undefined;
    const writer = processThen(env.dataSource, w.entityId, w.time);
    if (writer !== undefined && (expected.has(writer.name) || expected.has(basename(writer.executionBinary.path)))) return undefined;
    return {
      path: exec.path,
      writer: { entityId: w.entityId, pid: writer?.pid ?? 0, name: writer?.name ?? '', exe: writer?.executionBinary.path ?? '' },
      writtenAt: w.time,
      sinceWrittenNs: t - w.time,
    };
  });
  return { ...sig, requires: ['artifacts'] };
}
