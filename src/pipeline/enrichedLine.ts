/**
 * {@link EnrichedLine}: what a line of `proctree-rx enrich` output holds, and
 * {@link parseEnrichedLine}, its exact-ns reader (for code that consumes the command's output).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { parseEventLine } from '../streams/parseEventLine.js';
import { topLevelMember, withoutTopLevelMember } from '../streams/topLevelKey.js';
import type { EntityId, Nanos, Origin, TraceeEvent } from '../streams/types.js';

/** A file as the `"proctree"` JSON writes it (Tracee's `FileInfo`), `ctime` exact. */
export interface EnrichedLineFile {
  readonly path: string;
  readonly hash: string;
  readonly inode: number;
  readonly device: number;
  readonly ctime: Nanos;
  readonly mode: number;
}

/** The event's process in the `"proctree"` JSON (Tracee's `ProcessInfo` and ours), times exact. */
export interface EnrichedLineProcess {
  readonly entityId: EntityId;
  readonly pid: number;
  readonly nsPid: number;
  readonly ppid: number;
  readonly name: string;
  readonly containerId: string;
  readonly cmd: readonly string[];
  readonly executionBinary: EnrichedLineFile;
  readonly interpreter: EnrichedLineFile;
  readonly interp: EnrichedLineFile;
  readonly startTime: Nanos;
  readonly execTime: Nanos;
  readonly exitTime: Nanos | null;
  readonly exitCode: number | null;
  readonly parentEntityId: EntityId;
  readonly spawnParentEntityId: EntityId;
  readonly userId: number | null;
  readonly groupId: number | null;
  readonly isAlive: boolean;
  readonly execInherited: boolean;
  readonly placeholder: boolean;
  /** tid → thread entity id, the first 64 (see `threadsCount`). */
  readonly threadsIds: Readonly<Record<string, EntityId>>;
  readonly threadsCount: number;
  /** pid → child process entity id, the first 64 (see `childProcessesCount`). */
  readonly childProcessesIds: Readonly<Record<string, EntityId>>;
  readonly childProcessesCount: number;
}

/** The event's thread in the `"proctree"` JSON (Tracee's `ThreadInfo`), times exact. */
export interface EnrichedLineThread {
  readonly entityId: EntityId;
  readonly tid: number;
  readonly nsTid: number;
  readonly pid: number;
  readonly name: string;
  readonly userId: number | null;
  readonly groupId: number | null;
  readonly startTime: Nanos;
  readonly exitTime: Nanos | null;
  readonly exitCode: number | null;
  readonly processEntityId: EntityId;
  readonly isAlive: boolean;
}

/** One ancestor in the `"proctree"` JSON: a compact summary, times exact. */
export interface EnrichedLineAncestor {
  readonly entityId: EntityId;
  readonly pid: number;
  readonly nsPid: number;
  readonly ppid: number;
  readonly name: string;
  readonly exe: string;
  readonly startTime: Nanos;
  readonly exitTime: Nanos | null;
  readonly isAlive: boolean;
}

/** The `"proctree"` value `proctree-rx enrich` adds to each event: its context as of its own time. */
export interface EnrichedLineContext {
  /** The tree version the answers come from. */
  readonly version: number;
  readonly process: EnrichedLineProcess | null;
  readonly thread: EnrichedLineThread | null;
  /** Spawn parents, nearest first (up to 5 by default). */
  readonly ancestors: readonly EnrichedLineAncestor[];
}

/** One line of `proctree-rx enrich` output, read back: the event as Tracee wrote it, and its context. */
export interface EnrichedLine {
  /** The event's own fields (without `"proctree"`), as parsed. */
  readonly event: TraceeEvent;
  /** The event's timestamp, exact (ns since the epoch). */
  readonly timestamp: Nanos;
  /** The event's `threadStartTime`, exact. */
  readonly threadStartTime: Nanos;
  /** The context, or `undefined` for a line without one (`--proctree source=none`). */
  readonly proctree: EnrichedLineContext | undefined;
}

/** The keys of the `"proctree"` JSON whose values are ns times. */
const NS_KEYS = /"(startTime|execTime|exitTime|ctime)":(-?\d+)/g;

/** Turns the quoted ns times back into bigints (in place: the object is fresh from JSON.parse). */
function reviveTimes(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) reviveTimes(v);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(record)) {
    if (typeof v === 'string' && (k === 'startTime' || k === 'execTime' || k === 'exitTime' || k === 'ctime') && /^-?\d+$/.test(v)) record[k] = BigInt(v);
    else reviveTimes(v);
  }
}

/**
 * Reads one line of `proctree-rx enrich` output: the event (exact timestamps, as `fromNdjson`
 * reads it) and its `"proctree"` context with every ns time exact (`bigint`: they exceed 2^53,
 * which `JSON.parse` would round). `Left` with the reason for a line that is not an event.
 *
 * @example
 * ```ts
 * import { isRight, parseEnrichedLine } from 'proctree-rx';
 * const parsed = parseEnrichedLine(line);
 * if (isRight(parsed)) console.log(parsed.right.proctree?.process?.executionBinary.path, parsed.right.proctree?.process?.startTime);
 * ```
 */
export function parseEnrichedLine(line: string, origin: Origin = { source: '<line>', line: 1 }): E.Either<string, EnrichedLine> {
  const member = topLevelMember(line, 'proctree');
  const eventText = member === undefined ? line : withoutTopLevelMember(line, 'proctree');
  const parsed = parseEventLine(eventText, origin);
  if (E.isLeft(parsed)) return parsed;
  const env = parsed.right;
  let proctree: EnrichedLineContext | undefined;
  if (member !== undefined) {
    const text = line.slice(member.valueStart, member.end).replace(NS_KEYS, '"$1":"$2"');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return E.left(`"proctree" is not JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return E.left('"proctree" is not an object');
    reviveTimes(value);
    proctree = value as EnrichedLineContext;
  }
  return E.right({ event: env.event, timestamp: env.timestamp, threadStartTime: env.threadStartTime, proctree });
}
