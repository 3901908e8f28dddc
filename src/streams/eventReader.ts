/**
 * Reads the lines of one input stream into envelopes, keeping what the stream as a whole tells:
 * its Tracee format (detected from the first lines, or forced), ids computed for releases that
 * print none, and argument problems reported once per stream. The file reader's parser thread
 * and the main-thread reader both read through it, so both give the same envelopes.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { preparseArgs, type PreparsedArgs } from './lifecycleArgs.js';
import { parseEventLine } from './parseEventLine.js';
import { readTime } from './timeArg.js';
import {
  ANY_FORMAT,
  describeFormats,
  EPOCH_100MS,
  formatEvidence,
  formatsIn,
  formatSetOf,
  singleFormat,
  type FormatSet,
  type TraceeFormatInfo,
} from './traceeFormat.js';
import { hashTaskId } from './entityId.js';
import { headOf, isArgList, type Envelope, type EventHead, type InputIssue, type Nanos, type StreamFormatView } from './types.js';
import { exactArgInteger } from './exactNumbers.js';

/**
 * The format of one stream, as far as it is known: a set of candidate formats, narrowed as lines
 * are read. Envelopes of the stream share it, so lines read before the decision see it too when
 * the tree reads them (after ordering). Only the stream's reader changes it.
 */
export class StreamFormat implements StreamFormatView {
  #candidates: FormatSet;

  constructor(
    readonly source: string,
    candidates: FormatSet = ANY_FORMAT,
    readonly forced: boolean = false,
  ) {
    this.#candidates = candidates;
  }

  /** The formats the stream can still be (see `TRACEE_FORMATS`). */
  get candidates(): FormatSet {
    return this.#candidates;
  }

  /** The stream's format, once one is left. */
  get decided(): TraceeFormatInfo | undefined {
    return singleFormat(this.#candidates);
  }

  /** @internal set by the stream's reader (or, on the main thread, from the parser thread's word). */
  setCandidates(set: FormatSet): void {
    this.#candidates = set;
  }
}

/** What a reader says about its stream's format, once. */
export interface FormatNotice {
  readonly source: string;
  /** The line that decided it (the last line when the stream ended undecided). */
  readonly line: number;
  /** `v0.23`, or a range such as `v0.18–v0.20` when the lines did not tell them apart. */
  readonly format: string;
  /** The releases behind it, e.g. `v0.23.0–v0.23.2`. */
  readonly releases: string;
  /** The release prints no entity ids: they are computed from host tid and start time. */
  readonly computedIds: boolean;
  /** Forced by the caller (`--tracee-format`), not detected. */
  readonly forced: boolean;
}

/** The notice in words: `reading Tracee v0.23-format events (v0.23.0–v0.23.2)`. */
export const describeNotice = (n: FormatNotice): string =>
  `reading Tracee ${n.format}-format events (${n.releases}${n.forced ? ', forced' : ''})` +
  (n.computedIds ? '; the release prints no entity ids: they are computed from host tid and start time' : '');

/** Options of {@link createEventReader}. */
export interface EventReaderOptions {
  readonly source: string;
  readonly rank?: number;
  /** Read every line as this format (no detection). */
  readonly format?: TraceeFormatInfo;
  /** Warnings about the stream: mixed formats, arguments missing or malformed (once per argument). */
  readonly onIssue?: (issue: InputIssue) => void;
  /** Told once which format the stream is read as. */
  readonly onFormat?: (notice: FormatNotice) => void;
}

/** One stream's line reader. */
export interface EventReader {
  /** One line (already split, without newline) → an envelope, or why not. */
  read(text: string, line: number, seq: number): E.Either<string, Envelope>;
  /** The stream ended: announces the format when the lines did not decide it. */
  end(lastLine: number): void;
  readonly format: StreamFormat;
}

/**
 * Lines looked at closely before the format is said anyway (as the range still possible); after
 * that, lifecycle lines are checked by keys and event ids only.
 */
export const DETECTION_LINES = 1000;

/** Bound on remembered process start times (pre-v0.18 streams). */
const MAX_REMEMBERED = 1 << 16;

/**
 * Ids for releases that print none (before v0.18): keyed as Tracee later keys tasks, by host tid
 * and epoch start (v0.24's rule, 100 ms buckets). A process's and its parent's start come from
 * what the stream said before: leaders' own lines and fork events.
 */
class ComputedIds {
  private readonly starts = new Map<number, Nanos>();

  private remember(pid: number, start: Nanos): void {
    if (pid <= 0 || start === 0n) return;
    this.starts.delete(pid);
    this.starts.set(pid, start);
    if (this.starts.size > MAX_REMEMBERED) this.starts.delete(this.starts.keys().next().value!);
  }

  private idOf(pid: number, start: Nanos | undefined): number {
    return pid > 0 && start !== undefined && start !== 0n ? hashTaskId(pid, start, EPOCH_100MS.bucket) : 0;
  }

  headOf(env: Envelope): EventHead {
    const head = headOf(env);
    const { hostThreadId: tid, hostProcessId: pid, hostParentProcessId: ppid } = head;
    if (tid === pid) this.remember(pid, env.threadStartTime);
    if (head.eventName === 'sched_process_fork') this.rememberChild(env);
    return {
      ...head,
      threadEntityId: this.idOf(tid, env.threadStartTime),
      processEntityId: this.idOf(pid, this.starts.get(pid)),
      parentEntityId: this.idOf(ppid, this.starts.get(ppid)),
    };
  }

  private rememberChild(env: Envelope): void {
    const args: unknown = env.event.args;
    if (!isArgList(args)) return;
    const value = (name: string): unknown => args.find((a) => a?.name === name)?.value;
    const childTid = value('child_tid');
    if (typeof childTid !== 'number' || childTid !== value('child_pid')) return;
    const v = value('start_time');
    const exact = typeof v === 'number' && !Number.isSafeInteger(v) && env.raw !== undefined ? exactArgInteger(env.raw, 'start_time', v) : undefined;
    const t = readTime(v, exact);
    if (typeof t === 'object' && t.clock === 'epoch') this.remember(childTid, t.ns);
  }
}

/** The envelope with its head replaced (computed ids) and/or preparsed arguments added (lifecycle lines). */
const withFields = (env: Envelope, computedHead: EventHead | undefined, preparsed: PreparsedArgs | undefined): Envelope => {
  const head = computedHead ?? env.head;
  return {
  event: env.event,
  raw: env.raw,
  timestamp: env.timestamp,
  threadStartTime: env.threadStartTime,
  origin: env.origin,
  seq: env.seq,
  rank: env.rank,
  ...(head === undefined ? {} : { head }),
  ...(preparsed === undefined ? {} : { preparsed }),
  ...(env.format === undefined ? {} : { format: env.format }),
  };
};

const notesOf = (p: PreparsedArgs): readonly string[] => (p.args._tag === 'Right' ? (p.args.right.notes ?? []) : []);

/**
 * A reader for one stream. Each line: parsed ({@link parseEventLine}; main's v1beta1 documents
 * mapped), checked against the stream's format so far (a line that contradicts a decided format
 * is reported once per change, and read as what it is), given computed ids when its release
 * prints none, and, for a lifecycle event, its arguments read ahead (`preparsed`), their notes
 * reported once per stream and argument.
 *
 * Detection stops looking at every line once decided; lifecycle lines are still checked.
 *
 * @example
 * ```ts
 * const reader = createEventReader({ source: 'a.ndjson', onFormat: (n) => console.error(describeNotice(n)) });
 * const env = reader.read(line, 1, 0);
 * ```
 */
export function createEventReader(options: EventReaderOptions): EventReader {
  const { source, onIssue, onFormat } = options;
  const forced = options.format;
  const format = new StreamFormat(source, forced === undefined ? ANY_FORMAT : formatSetOf(forced.name), forced !== undefined);
  let announced = false;
  let mixedReported: FormatSet | undefined;
  const noted = new Set<string>();
  const computed = new ComputedIds();

  const announce = (line: number): void => {
    if (announced || format.candidates === ANY_FORMAT) return;
    announced = true;
    const fs = formatsIn(format.candidates);
    onFormat?.({
      source,
      line,
      format: describeFormats(format.candidates),
      releases: fs.map((f) => f.releases).join(', '),
      computedIds: fs.every((f) => f.eventIds === undefined),
      forced: format.forced,
    });
  };
  if (forced !== undefined) announce(0);

  const detect = (env: Envelope, line: number): void => {
    // main's document is mapped to the flat shape by now: its raw line tells it
    const v1beta1 = env.raw !== undefined && env.raw.startsWith('{"timestamp":"');
    // once decided, lifecycle lines are checked by their keys and event ids only (cheap)
    const evidence = formatEvidence(env.event as unknown as Record<string, unknown>, env.threadStartTime, v1beta1, !announced);
    if (evidence === ANY_FORMAT) return;
    const next = format.candidates & evidence;
    if (next !== 0) {
      if (next !== format.candidates) format.setCandidates(next);
      if (singleFormat(next) !== undefined) announce(line);
      return;
    }
    // this line cannot be the stream's format: report once per change of kind
    if (mixedReported !== evidence) {
      mixedReported = evidence;
      onIssue?.({
        origin: { source, line },
        reason: `this line is in Tracee ${describeFormats(evidence)} format, the stream so far in ${describeFormats(format.candidates)} format: a stream that mixes formats is read line by line as each says`,
        severity: 'warning',
      });
    }
  };

  const noteArgs = (name: string, p: PreparsedArgs, line: number): void => {
    for (const note of notesOf(p)) {
      const key = `${name}\u0000${note}`;
      if (noted.has(key)) continue;
      noted.add(key);
      onIssue?.({ origin: { source, line }, reason: `${name}: ${note}; only the fields it feeds are left empty (reported once per input)`, severity: 'warning' });
    }
  };

  return {
    format,
    read(text, line, seq) {
      const parsed = parseEventLine(text, { source, line }, { seq, rank: options.rank ?? 0, format });
      if (parsed._tag === 'Left') return parsed;
      const env = parsed.right;
      const name = headOf(env).eventName;
      const lifecycle = name.includes('sched_process_');
      if (!format.forced && (lifecycle || !announced)) detect(env, line);
      if (!announced && line >= DETECTION_LINES) announce(line);
      const flat = env.event as unknown as Record<string, unknown>;
      const head = 'eventName' in flat && !('threadEntityId' in flat) && !('processEntityId' in flat) ? computed.headOf(env) : undefined;
      const preparsed = lifecycle ? preparseArgs(env) : undefined;
      if (preparsed !== undefined) noteArgs(name, preparsed, line);
      // most lines: the envelope as parsed (the format already on it)
      return head === undefined && preparsed === undefined ? parsed : E.right(withFields(env, head, preparsed));
    },
    end(lastLine) {
      announce(lastLine);
    },
  };
}
