/**
 * The data of the timeline page (`proctree-rx tree --format html`): every process a capture
 * showed, with what changed about it over time, in a compact JSON the page's script reads.
 *
 * Times are offsets in ns from `t0` (the first event's timestamp, exact as a decimal string):
 * as numbers they are exact within ±2^53 ns (104 days) of `t0`, which covers any capture; a
 * start older than that (a process running long before the capture) is clamped to that bound and
 * its exact value kept in `startAbs`. As-of answers on the page compare these offsets, so they
 * are the same instants `query` compares.
 *
 * @module
 */
import type { EntityId, Nanos } from '../../streams/types.js';
import type { ProcessNode, ThreadNode } from '../../tree/model.js';
import type { Changelog } from '../../tree/changelog.js';

/** Bump when the shape changes (the page script checks it). */
export const TIMELINE_FORMAT = 1;

/** Offsets beyond this are clamped (see the module note). */
const MAX_OFFSET = 2 ** 53 - 1;

/** A thread of a process other than its leader: `[tid, entityId, start, exit]` (offsets; null: unknown / not exited). */
export type TimelineThread = readonly [number, EntityId, number | null, number | null];

/** One process's lane. Changelogs are `[offset, …value]` rows, oldest first. */
export interface TimelineProcess {
  readonly id: EntityId;
  readonly pid: number;
  readonly nsPid: number;
  /** Start offset (null: unknown, a placeholder). */
  readonly start: number | null;
  /** Exact start, epoch ns (decimal), when known. */
  readonly startAbs: string | null;
  readonly exit: number | null;
  readonly exitAbs: string | null;
  /** Raw kernel exit code (`status << 8 | signal`). */
  readonly exitCode: number | null;
  /** The parent at spawn (0: unknown). */
  readonly spawnParent: EntityId;
  /** `[offset, parentId, parentPid]`: the parent over time (reparenting). */
  readonly parents: readonly (readonly [number, EntityId, number])[];
  /** `[offset, comm]`. */
  readonly names: readonly (readonly [number, string])[];
  /** `[offset, argv, executable path, interpreter path, inherited (1: from the parent at fork)]`. */
  readonly execs: readonly (readonly [number, readonly string[], string, string, 0 | 1])[];
  readonly threads: readonly TimelineThread[];
  readonly uid: number | null;
  readonly placeholder: boolean;
}

/** A finding as the run saw it (absolute time). */
export interface RawFinding {
  readonly time: Nanos;
  /** The process it fired on (its lane). */
  readonly process: EntityId;
  readonly id: string;
  readonly name: string;
  readonly severity: number | null;
  readonly description: string;
  /** The finding's data and triggering event name, for the detail panel. */
  readonly eventName: string;
  readonly data: string;
}

/** A finding on a process's lane: its time as an offset from `t0`, and exact as a decimal string. */
export type TimelineFinding = Omit<RawFinding, 'time'> & { readonly t: number; readonly tAbs: string };

/** The page's data. */
export interface TimelineModel {
  readonly format: number;
  readonly title: string;
  /** Epoch ns of offset 0 (decimal string: exact). */
  readonly t0: string;
  /** Offset of the last event. */
  readonly end: number;
  /** Where the cursor starts (`--at`, else the end). */
  readonly cursor: number;
  readonly processes: readonly TimelineProcess[];
  readonly findings: readonly TimelineFinding[];
  /** Said on the page when something was cut (range, size). */
  readonly notes: readonly string[];
}

/** What the model is made of. */
export interface TimelineInput {
  readonly title: string;
  /** Timestamps of the first and last event. */
  readonly first: Nanos;
  readonly last: Nanos;
  /** Initial cursor (default: `last`). */
  readonly at?: Nanos | undefined;
  /** Every process the run held or evicted (the newest state of each), and their threads. */
  readonly processes: Iterable<ProcessNode>;
  readonly threadOf: (id: EntityId) => ThreadNode | undefined;
  readonly findings?: readonly RawFinding[];
  /** Only processes alive at some point in [from, to] (defaults: the capture). */
  readonly from?: Nanos | undefined;
  readonly to?: Nanos | undefined;
  /** At most this many processes (default 20 000); beyond it the earliest-starting ones are kept and a note says so. */
  readonly maxProcesses?: number;
  readonly notes?: readonly string[];
}

/** Offset of `t` from `t0`, clamped to the exact range. */
export const offsetOf = (t: Nanos, t0: Nanos): number => {
  const d = t - t0;
  if (d > BigInt(MAX_OFFSET)) return MAX_OFFSET;
  if (d < -BigInt(MAX_OFFSET)) return -MAX_OFFSET;
  return Number(d);
};

/** The rows of a changelog (flat `[t0, v0, t1, v1, …]`), mapped. */
function rowsOf<V, R>(log: Changelog<V>, t0: Nanos, row: (offset: number, value: V) => R): R[] {
  const out: R[] = [];
  if (log === undefined) return out;
  for (let i = 0; i + 1 < log.length; i += 2) out.push(row(offsetOf(log[i] as Nanos, t0), log[i + 1] as V));
  return out;
}

/** The lane of one process. */
export function timelineProcessOf(p: ProcessNode, t0: Nanos, threadOf: (id: EntityId) => ThreadNode | undefined, threadIds: readonly EntityId[]): TimelineProcess {
  const threads: TimelineThread[] = [];
  for (const id of threadIds) {
    if (id === p.id) continue;
    const th = threadOf(id);
    if (th === undefined) continue;
    threads.push([th.tid, th.id, th.startTime === undefined ? null : offsetOf(th.startTime, t0), th.exitTime === undefined ? null : offsetOf(th.exitTime, t0)]);
  }
  threads.sort((a, b) => (a[2] ?? -Infinity) - (b[2] ?? -Infinity) || a[0] - b[0]);
  const uid = p.uid === undefined || p.uid.length === 0 ? null : (p.uid[p.uid.length - 1] as number);
  return {
    id: p.id,
    pid: p.pid,
    nsPid: p.nsPid,
    start: p.startTime === undefined ? null : offsetOf(p.startTime, t0),
    startAbs: p.startTime === undefined ? null : String(p.startTime),
    exit: p.exitTime === undefined ? null : offsetOf(p.exitTime, t0),
    exitAbs: p.exitTime === undefined ? null : String(p.exitTime),
    exitCode: p.exitCode ?? null,
    spawnParent: p.spawnParentId,
    parents: rowsOf(p.parent, t0, (o, v) => [o, v.id, v.pid] as const),
    names: rowsOf(p.name, t0, (o, v) => [o, v] as const),
    execs: rowsOf(p.exec, t0, (o, v) => [o, v.argv ?? [], v.executable?.path ?? '', v.interpreter?.path ?? '', v.inherited ? 1 : 0] as const),
    threads,
    uid,
    placeholder: p.placeholder,
  };
}

/** Did `p` exist at some point in [from, to]? */
const livedIn = (p: ProcessNode, from: Nanos, to: Nanos): boolean => (p.startTime === undefined || p.startTime <= to) && (p.exitTime === undefined || p.exitTime >= from);

/**
 * The page's data: the processes that lived in the range (each with its threads), ordered by
 * start, cut to `maxProcesses` with a note, and the findings on them.
 */
export function timelineModelOf(input: TimelineInput, threadIdsOf: (p: ProcessNode) => readonly EntityId[]): TimelineModel {
  const t0 = input.from !== undefined && input.from > input.first ? input.from : input.first;
  const to = input.to !== undefined && input.to < input.last ? input.to : input.last;
  const notes = [...(input.notes ?? [])];
  if (input.from !== undefined || input.to !== undefined) notes.push(`showing ${String(t0)} … ${String(to)} (--from/--to) of a capture from ${String(input.first)} to ${String(input.last)}`);
  let chosen: ProcessNode[] = [];
  for (const p of input.processes) if (livedIn(p, t0, to)) chosen.push(p);
  chosen.sort((a, b) => (a.startTime === b.startTime ? a.pid - b.pid : a.startTime === undefined ? -1 : b.startTime === undefined ? 1 : a.startTime < b.startTime ? -1 : 1));
  const max = input.maxProcesses ?? 20_000;
  if (chosen.length > max) {
    const last = chosen[max - 1]!.startTime;
    notes.push(`${chosen.length} processes lived in this range; the first ${max} by start time are shown (up to ${String(last)}): narrow it with --from/--to`);
    chosen = chosen.slice(0, max);
  }
  const ids = new Set(chosen.map((p) => p.id));
  const findings = (input.findings ?? [])
    .filter((f) => ids.has(f.process) && f.time >= t0 && f.time <= to)
    .map(({ time, ...f }): TimelineFinding => ({ ...f, t: offsetOf(time, t0), tAbs: String(time) }));
  const at = input.at ?? to;
  return {
    format: TIMELINE_FORMAT,
    title: input.title,
    t0: String(t0),
    end: offsetOf(to, t0),
    cursor: offsetOf(at < t0 ? t0 : at > to ? to : at, t0),
    processes: chosen.map((p) => timelineProcessOf(p, t0, input.threadOf, threadIdsOf(p))),
    findings,
    notes,
  };
}
