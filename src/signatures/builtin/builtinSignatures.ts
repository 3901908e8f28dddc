/**
 * The registry of built-in signatures, by id (for the CLI's `--signatures ids`).
 *
 * @module
 */
import type { SignatureFactory } from '../types.js';
import { execFromTempDir } from './execFromTempDir.js';
import { orphanConnect } from './orphanConnect.js';
import { proctreeDataSource } from './proctreeDataSource.js';
import { scriptFromWritableDir } from './scriptFromWritableDir.js';
import { shellUnderServer } from './shellUnderServer.js';
import { reverseShell } from './reverseShell.js';
import { dropper } from './dropper.js';

/**
 * Built-in signatures: id → factory (each call makes a fresh instance with default options).
 *
 * | id | what |
 * |---|---|
 * | `PROCTREE_DATA_SOURCE` | Tracee's e2e data-source consistency check (a finding per inconsistent exec); not in {@link DEFAULT_SIGNATURE_IDS} |
 * | `PRX-001` | shell under a web server / database |
 * | `PRX-002` | exec from /tmp, /var/tmp, /dev/shm, memfd, deleted file |
 * | `PRX-003` | script run by an interpreter from a writable directory |
 * | `PRX-004` | orphaned process makes a network connection |
 * | `PRX-005` | shell spawned after its lineage connected out (reverse shell; needs artifacts) |
 * | `PRX-006` | binary written by one process, executed by another within 10 min (dropper; needs artifacts) |
 *
 * @example
 * ```ts
 * import { builtinSignatures } from 'proctree-rx';
 * const sigs = ['PRX-001', 'PRX-002'].map((id) => builtinSignatures[id]!());
 * const selfCheck = builtinSignatures['PROCTREE_DATA_SOURCE']!();
 * ```
 */
export const builtinSignatures: Readonly<Record<string, SignatureFactory>> = {
  PROCTREE_DATA_SOURCE: () => proctreeDataSource(),
  'PRX-001': () => shellUnderServer(),
  'PRX-002': () => execFromTempDir(),
  'PRX-003': () => scriptFromWritableDir(),
  'PRX-004': () => orphanConnect(),
  'PRX-005': () => reverseShell(),
  'PRX-006': () => dropper(),
};

/**
 * The ids run when none are asked for (`proctree-rx findings` without `--signatures`): the
 * detections only. The data-source self-check `PROCTREE_DATA_SOURCE` is opt-in.
 *
 * @example
 * ```ts
 * import { builtinSignatures, DEFAULT_SIGNATURE_IDS } from 'proctree-rx';
 * const detections = DEFAULT_SIGNATURE_IDS.map((id) => builtinSignatures[id]!());
 * ```
 */
export const DEFAULT_SIGNATURE_IDS: readonly string[] = Object.freeze(['PRX-001', 'PRX-002', 'PRX-003', 'PRX-004', 'PRX-005', 'PRX-006']);
