/**
 * Checkpoint files on the command line: `snapshot --out FILE` writes one, `--from-snapshot FILE`
 * reads one and skips the events it already holds.
 *
 * @module
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { compareEnvelopes } from '../operators/compareEnvelopes.js';
import { InputError } from '../streams/openInput.js';
import type { Envelope } from '../streams/types.js';
import { CheckpointError, type StreamPosition } from './checkpointFormat.js';
import { decodeCheckpoint, type Checkpoint } from './decodeCheckpoint.js';

const reasonOf = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
};

/**
 * Reads and decodes a checkpoint file.
 *
 * @throws InputError `cannot read --from-snapshot FILE: …` (unreadable, or not a checkpoint: the line is named).
 * @example
 * ```ts
 * const cp = readCheckpointFile('tree.ckpt');
 * ```
 */
export function readCheckpointFile(path: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new InputError(`cannot read --from-snapshot ${path}: ${reasonOf(err)}`, (err as NodeJS.ErrnoException).code);
  }
  try {
    return decodeCheckpoint(bytes);
  } catch (err) {
    if (err instanceof CheckpointError) throw new InputError(`cannot read --from-snapshot ${path}: ${err.message}`, undefined);
    throw err;
  }
}

/**
 * Writes checkpoint bytes to `path` whole or not at all (a temporary file renamed over it).
 *
 * @throws InputError `cannot write --out FILE: …`.
 */
export function writeCheckpointFile(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (err) {
    throw new InputError(`cannot write --out ${path}: ${reasonOf(err)}`, (err as NodeJS.ErrnoException).code);
  }
}

/**
 * Is `env` after the checkpoint's position (in the order the CLI applies events: timestamp,
 * rank, seq)? Events at or before it are already in the checkpointed tree.
 *
 * @example
 * ```ts
 * events$.pipe(filter(isAfterPosition(cp.position)));
 * ```
 */
export function isAfterPosition(position: StreamPosition): (env: Envelope) => boolean {
  const last = position.last;
  if (last === undefined) return () => true;
  const key: Pick<Envelope, 'timestamp' | 'rank' | 'seq'> = { timestamp: last.timestamp, rank: last.rank, seq: last.seq };
  return (env) => compareEnvelopes(env, key as Envelope) > 0;
}
