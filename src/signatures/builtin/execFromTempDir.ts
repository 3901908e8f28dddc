/**
 * `PRX-002`: execution of a binary from a temporary directory, a memfd or a deleted file.
 *
 * @module
 */
import { eventSignature } from '../eventSignature.js';
import { execFacts } from '../internal/execFacts.js';
import type { SignatureMetadata, SignatureOperator } from '../types.js';

/** World-writable temporary directories (prefixes, with the trailing slash). */
export const TEMP_DIRS: readonly string[] = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/shm/'];

/** Options of {@link execFromTempDir}. */
export interface ExecFromTempDirOptions {
  readonly dirs?: readonly string[];
}

const METADATA: SignatureMetadata = {
  id: 'PRX-002',
  name: 'Execution from a temporary directory, memfd or deleted file',
  version: '1',
  description: 'A program was executed from /tmp, /var/tmp, /dev/shm, an anonymous memory file (memfd) or a file deleted after it was opened.',
  tags: ['linux', 'container', 'fileless'],
  properties: {
    Severity: 3,
    Category: 'defense-evasion',
    Technique: 'Reflective Code Loading',
    external_id: 'T1620',
    'MITRE ATT&CK': 'Defense Evasion: Reflective Code Loading',
  },
};

/** Why a path is suspicious, or `undefined`. */
const reasonFor = (path: string, dirs: readonly string[]): string | undefined => {
  if (path.startsWith('/memfd:') || path.startsWith('memfd:')) return 'memfd';
  if (path.endsWith(' (deleted)')) return 'deleted';
  if (dirs.some((d) => path.startsWith(d))) return 'temp-dir';
  return undefined;
};

/**
 * Fires on `sched_process_exec` whose executed file (`pathname`, else `cmdpath`) is in a
 * temporary directory, is a memfd (`/memfd:name (deleted)`) or was deleted (`… (deleted)`).
 * `Data`: `pathname`, `reason` (`memfd` | `deleted` | `temp-dir`).
 *
 * Why: droppers write payloads where anyone can write and run them from there; fileless malware
 * runs from memfd_create or deletes its binary after exec to hide.
 *
 * False positives: installers and build systems that unpack helpers in /tmp (e.g. `go run`,
 * `pip` builds, self-extracting archives), test harnesses, and runc/crun, which execute
 * themselves from a memfd at container start (filter on the parent `runc`). A script run *from*
 * /tmp by an interpreter in /usr/bin is PRX-003's, not this one's.
 *
 * MITRE ATT&CK: T1620 (Reflective Code Loading) for memfd/deleted; T1204.002 (Malicious File)
 * for temporary directories.
 *
 * @example
 * ```ts
 * import { execFromTempDir } from 'proctree-rx';
 * const sig = execFromTempDir({ dirs: ['/tmp/', '/dev/shm/'] });
 * ```
 */
export function execFromTempDir(options: ExecFromTempDirOptions = {}): SignatureOperator {
  const dirs = options.dirs ?? TEMP_DIRS;
  return eventSignature(METADATA, ['sched_process_exec'], (e, env) => {
    const x = execFacts(e);
    if (x === undefined) return undefined;
    for (const problem of x.problems) env.warn(e, problem);
    const pathname = x.pathname !== '' ? x.pathname : x.cmdpath;
    const reason = reasonFor(pathname, dirs);
    return reason === undefined ? undefined : { pathname, reason };
  });
}
