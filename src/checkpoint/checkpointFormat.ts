/**
 * The checkpoint format, version 1: a tree's content, its builder's counters and eviction order,
 * and a stream position, as gzip-compressed NDJSON. It describes what the queries read (each
 * retained entity's fields and changelogs, the pid index), never how the store lays it out, so
 * the store can change without changing the format.
 *
 * ```text
 * {"format":1,"kind":"proctree-rx/checkpoint","tree":{…},"builder":{…},"position":{…},"counts":{…}}
 * ["p", id, tid, pid, nsTid, nsPid, start, exit, exitCode, name, uid, gid, placeholder, spawnParentId, parent, exec, containerId, children, threads, liveChildren, liveThreads, liveSince]
 * ["t", id, tid, pid, nsTid, nsPid, start, exit, exitCode, name, uid, gid, placeholder, leaderId]
 * ["i", pid, [id, …]]
 * ["r", {"processes":{"live":[…],"exited":[…],"held":[…]},"threads":{…}}]
 * ["end", processes, threads, pids]
 * ```
 *
 * Times (ns) are decimal strings, exact whatever their size; absent values are `null`; a
 * changelog is `null` or its flat `[time, value, time, value, …]` list (oldest first); a parent is
 * `[id, pid, nsPid]`, an exec `[time, cmdpath, argv, executable, interpreter, interp, inherited]`,
 * a file `[path, dev, inode, ctime, mode]`. The closing `end` line makes a cut file an error.
 *
 * @module
 */
import type { TreeSource } from '../tree/feedFromEvents.js';
import type { Nanos } from '../streams/types.js';

/** The format number this code writes and reads. */
export const CHECKPOINT_FORMAT = 1;

/** The `kind` of the header line. */
export const CHECKPOINT_KIND = 'proctree-rx/checkpoint';

/**
 * Where the input stood when the checkpoint was taken: resume after it. Every field but `events`
 * is optional (a procfs walk has no input position).
 */
export interface StreamPosition {
  /** Input events applied so far. */
  readonly events: number;
  /** Sort key of the last event applied (the CLI skips events at or before it on resume). */
  readonly last?: { readonly timestamp: Nanos; readonly rank: number; readonly seq: number } | undefined;
  /** Sequence number, in its JetStream stream, of the last message applied (the fleet's position). */
  readonly streamSeq?: number | undefined;
  /** Output lines written so far (the fleet's findings numbering resumes from it). */
  readonly findings?: number | undefined;
}

/** The builder settings a checkpoint carries (a resumed builder uses the same). */
export interface BuilderSettings {
  readonly source: TreeSource;
  readonly processCacheSize: number;
  readonly threadCacheSize: number;
}

/** Raised when bytes are not a checkpoint this code can read; `line` is 1-based (0: the container). */
export class CheckpointError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(line > 0 ? `checkpoint line ${line}: ${reason}` : `checkpoint: ${reason}`);
    this.name = 'CheckpointError';
  }
}
