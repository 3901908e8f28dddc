/**
 * The Tracee event model, exactly as `tracee --output json` prints it at the seed version
 * (see docs/design.md, "Tracee events"), plus the envelope proctree-rx moves it in.
 *
 * ## Numbers
 * Tracee's nanosecond times (epoch ns ≈ 1.8e18) exceed 2^53. `JSON.parse` rounds them to a
 * 256 ns grid, so the numeric fields of {@link TraceeEvent} that hold times are **approximate**.
 * Where precision matters — ordering, entity-id hashing, as-of queries — proctree-rx reads the
 * exact digits from the raw line and carries them as `bigint` ({@link Nanos}) in the
 * {@link Envelope}. The raw line itself is kept, so an event passes through digit for digit.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { PreparsedArgs } from './lifecycleArgs.js';

/** Nanoseconds as an exact integer (`bigint`). Epoch ns unless a name says "since boot". */
export type Nanos = bigint;

/**
 * Tracee's entity id: a 32-bit Murmur3 hash of (host tid, start time), see {@link hashTaskId}.
 * An unsigned 32-bit integer carried as a `number`.
 */
export type EntityId = number;

/** One argument of an event, as printed: `{ "name", "type", "value" }`. */
export interface TraceeArg {
  readonly name: string;
  readonly type: string;
  readonly value: unknown;
}

/** `container` object: keys omitted when empty; `{}` on the host. */
export interface TraceeContainer {
  readonly id?: string;
  readonly name?: string;
  readonly image?: string;
  readonly imageDigest?: string;
}

/** `kubernetes` object: keys omitted when empty; `{}` outside a pod. */
export interface TraceeKubernetes {
  readonly podName?: string;
  readonly podNamespace?: string;
  readonly podUID?: string;
  readonly podSandbox?: boolean;
}

/** `metadata` object, present only on signature findings. */
export interface TraceeMetadata {
  readonly Version?: string;
  readonly Description?: string;
  readonly Tags?: readonly string[];
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/**
 * A Tracee event as printed with `--output json`, top-level fields in Tracee's own order. What
 * the reader checks is required: `timestamp` (an integer, read exactly into the envelope).
 * Everything else is optional because some release or producer omits it (before v0.18 no entity
 * ids, before v0.13 no `container`, signals print zeros, main's document is mapped, see
 * `mapV1Beta1`), and is as printed: read the task context through {@link headOf} (decoded and
 * checked) and a lifecycle event's arguments through `forkArgs` / `execArgs` / `exitArgs`.
 * Time fields are numbers here and may be rounded (see module notes); use the
 * {@link Envelope}'s exact values.
 */
export interface TraceeEvent {
  readonly timestamp: number;
  readonly threadStartTime?: number;
  readonly processorId?: number;
  readonly processId?: number;
  readonly cgroupId?: number;
  readonly threadId?: number;
  readonly parentProcessId?: number;
  readonly hostProcessId?: number;
  readonly hostThreadId?: number;
  readonly hostParentProcessId?: number;
  readonly userId?: number;
  readonly mountNamespace?: number;
  readonly pidNamespace?: number;
  readonly processName?: string;
  readonly executable?: { readonly path: string };
  readonly hostName?: string;
  readonly containerId?: string;
  readonly container?: TraceeContainer;
  readonly kubernetes?: TraceeKubernetes;
  /** A decimal string, e.g. `"713"`. */
  readonly eventId?: string;
  /** A string when present (the reader refuses a line whose `eventName` is not). */
  readonly eventName?: string;
  /** Omitted by Tracee when empty. */
  readonly matchedPolicies?: readonly string[];
  readonly argsNum?: number;
  readonly returnValue?: number;
  readonly syscall?: string;
  readonly stackAddresses?: readonly number[] | null;
  readonly contextFlags?: { readonly containerStarted: boolean; readonly isCompat: boolean };
  readonly threadEntityId?: EntityId;
  readonly processEntityId?: EntityId;
  readonly parentEntityId?: EntityId;
  /**
   * An array when present (the reader refuses a line whose `args` is anything else but `null`);
   * its entries are as printed, each a {@link TraceeArg} in a well-formed line but possibly not
   * (`null`, a number, no name): narrow them ({@link isArgList}), or read a lifecycle event's with
   * `forkArgs` / `execArgs` / `exitArgs`.
   */
  readonly args?: readonly unknown[] | null;
  readonly metadata?: TraceeMetadata;
}

/** Where an event came from: a source name (file path, `<stdin>`, …) and its 1-based line. */
export interface Origin {
  readonly source: string;
  readonly line: number;
}

/**
 * The task context of an event — the top-level fields the process tree reads from every event —
 * decoded from the line by the reader ({@link decodeHead}), so every field holds what its type
 * says: a field the line does not print reads as `''` or `0` (Tracee's own "none": signals print
 * zeros), `userId` as `undefined`.
 */
export interface EventHead {
  /** `''` when the line has none. */
  readonly eventName: string;
  /** `''` when the line has none (or not a string). */
  readonly processName: string;
  /** `''` when the line has none (or not a string). */
  readonly containerId: string;
  /** `undefined` when the line prints none (or not a number). */
  readonly userId: number | undefined;
  /** The pids and tids: numbers (a line with another kind of value is refused); 0 when absent. */
  readonly processId: number;
  readonly threadId: number;
  readonly hostProcessId: number;
  readonly hostThreadId: number;
  readonly hostParentProcessId: number;
  /** Unsigned 32-bit; 0 when the line prints none (or not a number). */
  readonly threadEntityId: EntityId;
  readonly processEntityId: EntityId;
  readonly parentEntityId: EntityId;
}

/** The keys of {@link EventHead}, in the order readers transfer them. */
export const EVENT_HEAD_KEYS = [
  'eventName',
  'processName',
  'containerId',
  'userId',
  'processId',
  'threadId',
  'hostProcessId',
  'hostThreadId',
  'hostParentProcessId',
  'threadEntityId',
  'processEntityId',
  'parentEntityId',
] as const satisfies readonly (keyof EventHead)[];

/**
 * An event on its way through proctree-rx: the parsed event, its exact times, the raw line it
 * came from (for digit-exact pass-through), and its origin.
 *
 * Ordering key: `(timestamp, rank, seq)` — exact ns first, then the stream's rank (events before
 * signals by default), then arrival order within the stream.
 */
export interface Envelope {
  /**
   * The event as parsed (time fields may be rounded). Never mutated by proctree-rx. Envelopes
   * read from files on a parser thread parse it again, on first access, from `raw`: there it is
   * a getter of the class (`LineEnvelope`), so an object spread (`{ ...env }`) does not copy it —
   * build copies field by field, or with `markLate` for the one copy the library itself makes.
   */
  readonly event: TraceeEvent;
  /**
   * The event's task context, decoded by the reader (every envelope a reader makes has one;
   * envelopes built in code may leave it out). Read it with {@link headOf}.
   */
  readonly head?: EventHead;
  /**
   * A lifecycle event's typed arguments, when the reader read them ahead (see `PreparsedArgs`).
   * @internal
   */
  readonly preparsed?: PreparsedArgs;
  /** The exact line (no newline, no BOM, no CR), or `undefined` for events built in code. */
  readonly raw: string | undefined;
  /** Exact `timestamp` (epoch ns). */
  readonly timestamp: Nanos;
  /** Exact `threadStartTime` (epoch ns; 0n when absent, e.g. signals). */
  readonly threadStartTime: Nanos;
  readonly origin: Origin;
  /** Arrival sequence number within its stream (0-based). */
  readonly seq: number;
  /** Stream rank used to break timestamp ties deterministically (0 = events, 1 = signals). */
  readonly rank: number;
  /** Set by the reorder operator when the event arrived after the reorder window had passed it. */
  readonly late?: boolean;
  /**
   * The Tracee format of the stream the event came from, as far as its reader knows it (shared
   * by the stream's envelopes; see `StreamFormat`). Absent for events built in code: then each
   * line is read by what it shows.
   */
  readonly format?: StreamFormatView;
}

/** What is known of a stream's Tracee format: the candidate formats (bits of `TRACEE_FORMATS`). */
export interface StreamFormatView {
  readonly source: string;
  readonly candidates: number;
  /** Forced by the caller rather than detected. */
  readonly forced: boolean;
}

/** The pid and tid fields of {@link EventHead}: a line printing another kind of value there is refused. */
const HEAD_PID_KEYS = ['processId', 'threadId', 'hostProcessId', 'hostThreadId', 'hostParentProcessId'] as const;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const entityId = (v: unknown): EntityId => (typeof v === 'number' ? v >>> 0 : 0);

/**
 * Decodes the task context of a parsed line (or an event built in code): every field checked
 * and given the type {@link EventHead} says. A pid or tid that is present and not a number
 * (`null` reads as absent) makes the line unusable: `Left` with the reason, worded as the kernel
 * range check words it (`bad task id: "processId" is string, not a number`). Ranges themselves
 * (negative pids, …) are `kernelRangeProblem`'s.
 *
 * @example
 * ```ts
 * decodeHead({ eventName: 'openat', hostThreadId: 12 }); // Right({ eventName: 'openat', hostThreadId: 12, processId: 0, userId: undefined, … })
 * ```
 */
export function decodeHead(event: Readonly<Record<string, unknown>>): E.Either<string, EventHead> {
  for (const key of HEAD_PID_KEYS) {
    const v = event[key];
    if (v !== undefined && v !== null && typeof v !== 'number') return E.left(`bad task id: "${key}" is ${typeof v}, not a number`);
  }
  const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
  const userId = event['userId'];
  return E.right({
    eventName: str(event['eventName']),
    processName: str(event['processName']),
    containerId: str(event['containerId']),
    userId: typeof userId === 'number' ? userId : undefined,
    processId: num(event['processId']),
    threadId: num(event['threadId']),
    hostProcessId: num(event['hostProcessId']),
    hostThreadId: num(event['hostThreadId']),
    hostParentProcessId: num(event['hostParentProcessId']),
    threadEntityId: entityId(event['threadEntityId']),
    processEntityId: entityId(event['processEntityId']),
    parentEntityId: entityId(event['parentEntityId']),
  });
}

/** Heads of events built in code (envelopes without a `head`), decoded once per event object. */
const CODE_HEADS = new WeakMap<object, EventHead>();

/**
 * The task context of an envelope: the `head` its reader decoded, or, for an envelope built in
 * code, its event decoded ({@link decodeHead}; a pid of the wrong kind there is a programming
 * error: `TypeError`). What code reads an event's task by: every field holds what its type says.
 *
 * @example
 * ```ts
 * import { headOf, pipeline } from 'proctree-rx';
 * const run = await pipeline({ inputs: 'capture.ndjson' });
 * run.enriched$.subscribe((e) => console.log(headOf(e).hostProcessId, headOf(e).processName));
 * ```
 */
export function headOf(env: Envelope): EventHead {
  if (env.head !== undefined) return env.head;
  const event = env.event;
  let head = CODE_HEADS.get(event);
  if (head === undefined) {
    const decoded = decodeHead(event as unknown as Readonly<Record<string, unknown>>);
    if (decoded._tag === 'Left') throw new TypeError(`an event built in code: ${decoded.left}`);
    head = decoded.right;
    CODE_HEADS.set(event, head);
  }
  return head;
}

/**
 * Is `args` an argument list (what `event.args` holds when the line had one)? The guard keeps the
 * elements typed as {@link TraceeArg} (each may still be malformed: check `name`).
 */
export const isArgList = (args: unknown): args is readonly (TraceeArg | null | undefined)[] => Array.isArray(args);

/** A problem with one input line. The line is skipped; the stream goes on. */
export interface InputIssue {
  readonly origin: Origin;
  /** What was wrong, in words a person can act on. */
  readonly reason: string;
  /** `error`: the line was dropped. `warning`: it was kept (e.g. a late or duplicate event). */
  readonly severity: 'error' | 'warning';
}

/**
 * Event ids of the lifecycle events and their signal twins (seed numbering, §1.2).
 * @example
 * ```ts
 * import { EventIds } from 'proctree-rx';
 * const isExec = (e: typeof event) => e.eventId === String(EventIds.sched_process_exec);
 * ```
 */
export const EventIds = {
  sched_process_fork: '712',
  sched_process_exec: '713',
  sched_process_exit: '714',
  signal_sched_process_fork: '5002',
  signal_sched_process_exec: '5003',
  signal_sched_process_exit: '5004',
} as const;

/** Names of the events and signals that feed the process tree. */
export type LifecycleEventName = keyof typeof EventIds;
