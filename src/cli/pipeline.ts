/**
 * The plumbing every event-reading command shares: inputs (files, stdin, FIFOs, `--signals`),
 * the procfs rule, ordering, the tree builder, issue and progress reporting, and the end-of-run
 * summary. The `run*.ts` commands compose these; nothing here writes to stdout.
 *
 * Ordering: when every input is a regular file the events are fully sorted (`window:
 * 'unbounded'`: the whole input is held until its end). When any input is live (stdin, a FIFO),
 * events are ordered within a bounded reorder window, {@link DEFAULT_LIVE_REORDER_WINDOW} (1 s of
 * event time, released after 1 s without input, and at most 16 MiB held: `--reorder-bytes`);
 * events that arrive later than that are still delivered and counted, summarised in one warning at
 * the end, and listed one by one (`late by N ns`) in the `--issues FILE`. `--reorder-window`
 * overrides both.
 *
 * Hostile input: lines with pids, tids or times no kernel can produce are reported and dropped
 * before the tree sees them (`kernelRangeProblem`). SIGINT/SIGTERM (`io.signal`) stop the input at
 * once; what was read is still ordered and processed for {@link STOP_GRACE_MS}, then cut, and the
 * summary says how many events were left.
 *
 * @module
 */
import { statSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { concat, defer, delay, EMPTY, filter, fromEvent, ignoreElements, merge, Observable, takeUntil, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { createProcfsFiller, scanProcfs } from '../bootstrap/index.js';
import type { ProcfsFiller, ProcfsFillerStats, ProcfsScanStats } from '../bootstrap/index.js';
import { compareEnvelopes } from '../operators/compareEnvelopes.js';
import { sortByTimestamp } from '../operators/sortByTimestamp.js';
import { stringifyExact } from '../streams/exactNumbers.js';
import { createFlowControl, type FlowControl } from '../streams/flowControl.js';
import { describeNotice, type FormatNotice } from '../streams/eventReader.js';
import { fromNdjson } from '../streams/fromNdjson.js';
import { fromNdjsonFile, warmUpFileParser } from '../streams/fromNdjsonFile.js';
import { writeNdjson, type NdjsonLine } from '../streams/writeNdjson.js';
import { kernelRangeProblem } from '../streams/kernelRanges.js';
import { measureDisorder } from '../streams/measureDisorder.js';
import { createTimeSlice } from '../streams/timeSlice.js';
import { InputError, openInput, sourceName } from '../streams/openInput.js';
import { formatByName, type TraceeFormatInfo } from '../streams/traceeFormat.js';
import type { Envelope, Nanos } from '../streams/types.js';
import type { ProcessTree } from '../tree/model.js';
import { TreeBuilder, type TreeBuilderOptions } from '../tree/treeBuilder.js';
import { isAfterPosition, readCheckpointFile } from '../checkpoint/checkpointFiles.js';
import { resumeBuilder } from '../checkpoint/resumeBuilder.js';
import type { HistoryBounds } from '../tree/versionHistory.js';
import { classifyInput } from './classifyInput.js';
import type { CliCommand, TextSink, TreeFormat } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { ExitCode, exitCodeFor, type ExitCodeValue } from './exitCodeFor.js';
import { formatSummary } from './formatSummary.js';
import { escapeControl } from './escapeControl.js';
import { IssueFile } from './IssueFile.js';
import { IssueReporter } from './IssueReporter.js';
import { describeWriteError, isWriteError } from './outputErrors.js';
import { procfsPlan, type InputKind, type ProcfsPlan } from './procfsPlan.js';
import { ProgressReporter } from './ProgressReporter.js';
import { renderDot, renderJson, renderText, treeView } from './renderTree.js';

/** Reorder window for live input when `--reorder-window` is not given: 1 s of event time. */
export const DEFAULT_LIVE_REORDER_WINDOW: Nanos = 1_000_000_000n;

/** Ancestors attached to each enriched event (as Tracee's detectors use). */
export const ENRICH_MAX_DEPTH = 5;

/** Counters of one run, beside the builder's own. */
export interface RunCounters {
  /** Events read and accepted (signal lines included). */
  events: number;
  /** Events that arrived after the reorder window had passed them. */
  late: number;
  /** Exact timestamp of the newest event seen (0n before any). */
  lastTimestamp: Nanos;
  /** procfs start-up scan counts, when a scan ran. */
  scan: ProcfsScanStats | undefined;
  /** procfs problems seen (vanished tasks, permission denied, …): normal races, only counted. */
  procfsIssues: number;
  /** Events handed on to the command (after ordering); less than `events` when a run was interrupted. */
  processed: number;
  /** Events skipped because the `--from-snapshot` checkpoint holds them already. */
  skipped: number;
}

/**
 * After SIGINT/SIGTERM (the run's `io.signal`), how long the events already read and held for
 * ordering may still be processed before the stream is cut (ms). Input stops at once.
 */
export const STOP_GRACE_MS = 400;

/** One run of an event-reading command: its tree, its event stream and its reporters. */
export interface EventRun {
  readonly cmd: CliCommand;
  readonly io: CliIo;
  readonly builder: TreeBuilder;
  readonly plan: ProcfsPlan;
  /** Shared by the readers and the stdout writer (backpressure). */
  readonly flow: FlowControl;
  readonly issues: IssueReporter;
  readonly progress: ProgressReporter;
  readonly counters: RunCounters;
  /**
   * The procfs bootstrap (applied to the tree, emits nothing), then every input event in time
   * order, not yet applied to the tree. Cold; subscribe once. Runtime procfs lookups (live input)
   * run while it is subscribed.
   */
  readonly events$: Observable<Envelope>;
  /** Filler counters, when runtime procfs lookups ran. */
  fillerStats(): ProcfsFillerStats | undefined;
  /** Wall time since the run started, ms. */
  elapsedMs(): number;
}

/** What {@link startEventRun} needs besides the command. */
export interface EventRunOptions {
  /** Versions the builder retains (as-of answers need them). Default: the builder's (4096). */
  readonly history?: HistoryBounds;
  /** Called with the last state of each entity the tree's bounds evict (see `TreeBuilderOptions.onEvicted`). */
  readonly onEvicted?: TreeBuilderOptions['onEvicted'];
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Opens the `--issues FILE`; an {@link InputError} (exit 1) when it cannot be created. */
function openIssueFile(path: string): IssueFile {
  try {
    return new IssueFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : errorMessage(err);
    throw new InputError(`cannot write --issues ${path}: ${reason}`, code);
  }
}

/** Reads one named input (`-` = the injected stdin) as envelopes. */
const openOne = (path: string, io: CliIo): Readable => (path === '-' ? (io.stdin as Readable) : openInput(path));

/**
 * Several NDJSON inputs one after the other (each opened when the previous ended), `seq`
 * continuing across them.
 */
function readInputs(
  paths: readonly string[],
  kinds: readonly InputKind[],
  io: CliIo,
  rank: number,
  flow: FlowControl,
  onIssue: IssueReporter['report'],
  format: FormatOptions,
): Observable<Envelope> {
  let nextSeq = 0;
  return concat(
    ...paths.map((path, i) =>
      defer(() => {
        const options = { source: sourceName(path), rank, flow, onIssue, firstSeq: nextSeq, ...format };
        // regular files are split and validated on a parser thread (JSON.parse off the main thread)
        return kinds[i] === 'file' && path !== '-' ? fromNdjsonFile(path, options) : fromNdjson(openOne(path, io), options);
      }).pipe(
        tap((env) => {
          nextSeq = env.seq + 1;
        }),
      ),
    ),
  );
}

/** How the inputs' Tracee format is chosen and told. */
interface FormatOptions {
  readonly traceeFormat?: TraceeFormatInfo;
  readonly onFormat?: (notice: FormatNotice) => void;
}

/** `--tracee-format` and the stderr line saying which format each input is read as (not with `--quiet`). */
const formatOptions = (cmd: CliCommand, io: CliIo): FormatOptions => {
  const forced = cmd.traceeFormat === undefined ? undefined : formatByName(cmd.traceeFormat);
  return {
    ...(forced === undefined ? {} : { traceeFormat: forced }),
    ...(cmd.quiet ? {} : { onFormat: (n: FormatNotice) => void io.stderr.write(`proctree-rx: ${n.source}: ${describeNotice(n)}\n`) }),
  };
};

/** The kinds of all inputs; rejects with an {@link InputError} naming the first unreadable one. */
async function classifyAll(paths: readonly string[]): Promise<InputKind[]> {
  const kinds: InputKind[] = [];
  for (const path of paths) {
    try {
      const kind = await classifyInput(path);
      if (kind === 'fifo' && statSync(path).isDirectory()) throw new InputError(`cannot read ${path}: is a directory`, 'EISDIR');
      kinds.push(kind);
    } catch (err) {
      if (err instanceof InputError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : errorMessage(err);
      throw new InputError(`cannot read ${path}: ${reason}`, code);
    }
  }
  return kinds;
}

/**
 * Prepares a run of an event-reading command: checks the inputs (a missing file is an
 * {@link InputError}: report it and exit 1), applies the procfs rule, makes the tree builder and
 * the ordered event stream.
 *
 * @throws InputError when an input cannot be read.
 * @example
 * ```ts
 * const run = await startEventRun(cmd, io, { history: { maxVersions: Infinity } });
 * await lastValueFrom(run.events$.pipe(tap((e) => run.builder.applyEnvelope(e))), { defaultValue: undefined });
 * ```
 */
export async function startEventRun(cmd: CliCommand, io: CliIo, options: EventRunOptions = {}): Promise<EventRun> {
  const started = performance.now();
  const signalInputs = cmd.signals === undefined ? [] : [cmd.signals];
  const kinds = await classifyAll([...cmd.inputs, ...signalInputs]);
  const plan = procfsPlan(cmd, kinds);
  const allFiles = kinds.every((k) => k === 'file');
  const issues = new IssueReporter({ out: io.stderr, printWarnings: !cmd.quiet, ...(cmd.issues !== undefined ? { file: openIssueFile(cmd.issues) } : {}) });
  const progress = new ProgressReporter({ out: io.stderr, enabled: io.isTTY.stderr && !cmd.quiet && kinds.includes('file') });
  const counters: RunCounters = { events: 0, late: 0, lastTimestamp: 0n, scan: undefined, procfsIssues: 0, processed: 0, skipped: 0 };
  const flow = createFlowControl();
  let filler: ProcfsFiller | undefined;
  const { proctree } = cmd;
  // --from-snapshot: the checkpoint's tree and settings; its events are skipped below
  const resumed = cmd.fromSnapshot === undefined ? undefined : readCheckpointFile(cmd.fromSnapshot);
  const hooks = {
    ...(options.history !== undefined ? { history: options.history } : {}),
    ...(options.onEvicted !== undefined ? { onEvicted: options.onEvicted } : {}),
    onIssue: issues.report,
    ...(plan.runtimeQueries ? { onUnknownPid: (pid: number) => filler?.request(pid) } : {}),
  };
  const builder =
    resumed !== undefined
      ? resumeBuilder(resumed, hooks)
      : new TreeBuilder({ source: proctree.source, processCacheSize: proctree.processCacheSize, threadCacheSize: proctree.threadCacheSize, ...hooks });
  const afterCheckpoint = resumed === undefined ? undefined : isAfterPosition(resumed.position);

  const bootstrap$: Observable<never> = plan.bootstrap && resumed === undefined
    ? scanProcfs({
        root: plan.root,
        onStats: (s) => {
          counters.scan = s;
        },
        onIssue: () => {
          counters.procfsIssues++;
        },
      }).pipe(
        tap((record) => builder.applyRecord(record)),
        ignoreElements(),
      )
    : EMPTY;

  const format = formatOptions(cmd, io);
  const eventInputs = readInputs(cmd.inputs, kinds, io, 0, flow, issues.report, format);
  const raw$ =
    signalInputs.length === 0
      ? eventInputs
      : merge(eventInputs, readInputs(signalInputs, kinds.slice(cmd.inputs.length), io, 1, flow, issues.report, format));
  // Files are sorted fully. When they come in one stream (no separate --signals file), a byte-level
  // pre-pass measures how late any line is; a reorder window of that size gives exactly the full
  // sort's order while holding only the events inside it (memory bounded by the input's disorder,
  // not its length). Otherwise every event is held until the end.
  // load the parser thread while the pre-pass reads
  if (kinds.includes('file')) warmUpFileParser();
  const prescanned =
    cmd.reorderWindow === undefined && allFiles && signalInputs.length === 0 && cmd.inputs.length > 0 && !cmd.inputs.includes('-')
      ? await measureDisorder(cmd.inputs).catch(() => undefined)
      : undefined;
  const window = cmd.reorderWindow ?? prescanned ?? (allFiles ? 'unbounded' : DEFAULT_LIVE_REORDER_WINDOW);
  const aborted$ = fromEvent(io.signal, 'abort');
  const sorted$ = raw$.pipe(
    takeUntil(aborted$),
    // a pid, tid or time no kernel can produce is reported with its line and never used
    filter((env) => {
      const problem = kernelRangeProblem(env);
      if (problem === undefined) return true;
      issues.report({ origin: env.origin, reason: problem, severity: 'error' });
      return false;
    }),
    // events the checkpoint already holds are not applied again
    filter((env) => afterCheckpoint === undefined || afterCheckpoint(env) || (counters.skipped++, false)),
    tap((env) => {
      counters.events++;
      if (env.timestamp > counters.lastTimestamp) counters.lastTimestamp = env.timestamp;
      progress.update({ lines: counters.events + issues.counts.error, events: counters.events, badLines: issues.counts.error });
    }),
    window === 'unbounded'
      ? sortAllRespectingFlow(flow)
      : sortByTimestamp({
          window,
          // a measured window is exact: nothing may leave early (no idle flush, no cap unless --reorder-bytes)
          ...(prescanned !== undefined ? { idleFlush: 0, maxBuffered: Number.POSITIVE_INFINITY, maxBufferedBytes: Number.POSITIVE_INFINITY } : {}),
          ...(cmd.reorderBytes !== undefined ? { maxBufferedBytes: cmd.reorderBytes === 0 ? Number.POSITIVE_INFINITY : cmd.reorderBytes } : {}),
          onLate: (env, by) => {
            counters.late++;
            issues.reportLate(env.origin, by);
          },
        }),
  );

  const events$ = new Observable<Envelope>((subscriber) => {
    if (plan.runtimeQueries) {
      filler = createProcfsFiller({
        root: plan.root,
        onIssue: () => {
          counters.procfsIssues++;
        },
      });
      filler.records$.subscribe((record) => builder.applyRecord(record));
    }
    // input stops at the signal; what was read is still ordered and processed for a short grace, then cut
    const cut$ = aborted$.pipe(delay(STOP_GRACE_MS));
    const sub = concat(bootstrap$, io.signal.aborted ? EMPTY : sorted$)
      .pipe(
        takeUntil(cut$),
        tap(() => {
          counters.processed++;
        }),
      )
      .subscribe(subscriber);
    return () => {
      sub.unsubscribe();
      filler?.close();
    };
  });

  return {
    cmd,
    io,
    builder,
    plan,
    flow,
    issues,
    progress,
    counters,
    events$,
    fillerStats: () => filler?.stats(),
    elapsedMs: () => performance.now() - started,
  };
}

/**
 * The full sort of finite inputs — `sortByTimestamp({ window: 'unbounded' })`'s order: key
 * `(timestamp, rank, seq)`, equal keys in arrival order — but released at the pace of the
 * writer: while `flow` is paused (stdout full) the release waits for its resume, so the sorted
 * input is never copied wholesale into stdout's buffer. An input error releases what came
 * before it, then errors.
 */
export function sortAllRespectingFlow(flow: FlowControl): MonoTypeOperatorFunction<Envelope> {
  return (source) =>
    new Observable<Envelope>((subscriber) => {
      let held: (Envelope | undefined)[] = [];
      let cancelWait: (() => void) | undefined;
      let resumeLater: NodeJS.Immediate | undefined;
      const slice = createTimeSlice();
      let i = 0;
      const release = (then: () => void): void => {
        cancelWait = undefined;
        resumeLater = undefined;
        slice.start();
        while (i < held.length && !subscriber.closed) {
          if (flow.isPaused) {
            cancelWait = flow.onResume(() => release(then));
            return;
          }
          if (slice.expired()) {
            // a whole file's events in one go would hold the thread for seconds: signals get a turn
            resumeLater = setImmediate(() => release(then));
            return;
          }
          const env = held[i]!;
          held[i++] = undefined; // let it go once written
          subscriber.next(env);
        }
        held = [];
        if (!subscriber.closed) then();
      };
      const sortHeld = (): void => {
        // stable (V8): equal keys keep arrival order; linear on input that is sorted already
        (held as Envelope[]).sort(compareEnvelopes);
      };
      const upstream = source.subscribe({
        next: (env) => {
          held.push(env);
        },
        error: (err: unknown) => {
          sortHeld();
          release(() => subscriber.error(err));
        },
        complete: () => {
          sortHeld();
          release(() => subscriber.complete());
        },
      });
      return () => {
        upstream.unsubscribe();
        cancelWait?.();
        if (resumeLater !== undefined) clearImmediate(resumeLater);
        held = [];
      };
    });
}

/** Processes and threads in a tree. */
export const treeSize = (tree: ProcessTree): { processes: number; threads: number } => ({
  processes: tree.processes.size,
  threads: tree.threads.size,
});

/**
 * Ends a run: erases the progress line, prints the "… N more" line, the `--stats` counters and
 * the summary (unless `--quiet`), and returns the exit code.
 */
export function finishRun(run: EventRun, outcome: { readonly failed: boolean; readonly findings?: number; readonly signatureErrors?: number }): ExitCodeValue {
  const { cmd, io, builder, issues, counters } = run;
  run.progress.finish();
  const issuesWritten = issues.finish();
  const stoppedBy = interruptionOf(io.signal);
  if (stoppedBy !== undefined && !cmd.quiet) {
    const unprocessed = counters.events - counters.processed;
    io.stderr.write(`proctree-rx: ${stoppedBy}: stopped reading${unprocessed > 0 ? `; ${unprocessed} of ${counters.events} events read were held for ordering and not processed` : ''}\n`);
  }
  const hasTree = cmd.proctree.source !== 'none';
  const size = treeSize(builder.tree);
  if (cmd.stats) writeStats(io.stderr, run, size);
  if (!cmd.quiet) {
    io.stderr.write(
      formatSummary({
        events: counters.events,
        lifecycle: builder.stats.lifecycleEvents,
        badLines: issues.counts.error,
        late: counters.late,
        ...(hasTree ? { processes: size.processes } : {}),
        ...(outcome.findings !== undefined ? { findings: outcome.findings } : {}),
        ...(outcome.signatureErrors ? { signatureErrors: outcome.signatureErrors } : {}),
        elapsedMs: run.elapsedMs(),
      }) + '\n',
    );
  }
  // signature errors do not stop a run, but its findings are incomplete: exit 1 at the end
  return exitCodeFor({ failed: outcome.failed || !issuesWritten || (outcome.signatureErrors ?? 0) > 0, badLines: issues.counts.error, strict: cmd.strict });
}

/** `SIGINT` / `SIGTERM` when the run was stopped by that signal (the abort reason main.ts gives), else `undefined`. */
export function interruptionOf(signal: AbortSignal): string | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  const message = reason instanceof Error ? reason.message : undefined;
  return message === 'SIGINT' || message === 'SIGTERM' ? message : undefined;
}

/** The `--stats` block: one `proctree-rx: stats: name value` line per counter. */
function writeStats(out: TextSink, run: EventRun, size: { processes: number; threads: number }): void {
  const { builder, counters, issues } = run;
  const s = builder.stats;
  const rows: [string, number | string][] = [
    ['events', counters.events],
    ['lines', counters.events + issues.counts.error],
    ['bad lines', issues.counts.error],
    ['warnings', issues.counts.warning],
    ['late', counters.late],
    ['processed', counters.processed],
    ['lifecycle events', s.lifecycleEvents],
    ['unusable lifecycle events', s.unusable],
    ['tree records', s.records],
    ['unchanged (duplicates)', s.unchanged],
    ['evicted processes', s.evictedProcesses],
    ['evicted threads', s.evictedThreads],
    ['processes', size.processes],
    ['threads', size.threads],
    ['tree version', builder.tree.version],
    ['versions retained', builder.history.size],
    ['procfs', run.plan.bootstrap || run.plan.runtimeQueries ? `${run.plan.root} (walk ${run.plan.bootstrap ? 'on' : 'off'}, queries ${run.plan.runtimeQueries ? 'on' : 'off'})` : 'off'],
  ];
  if (run.cmd.fromSnapshot !== undefined) rows.push(['skipped (in the --from-snapshot checkpoint)', counters.skipped]);
  if (counters.scan !== undefined) {
    const c = counters.scan;
    rows.push(['procfs scan tasks', c.tasks], ['procfs scan processes', c.processes], ['procfs scan threads', c.threads], ['procfs scan vanished', c.vanished]);
  }
  const f = run.fillerStats();
  if (f !== undefined) rows.push(['procfs lookups requested', f.requested], ['procfs lookups read', f.read], ['procfs lookups dropped', f.dropped]);
  if (counters.procfsIssues > 0) rows.push(['procfs issues', counters.procfsIssues]);
  for (const [name, value] of rows) out.write(`proctree-rx: stats: ${name}: ${value}\n`);
}

/**
 * Runs an event command body and turns an input error into `proctree-rx: cannot read …` and
 * exit 1 (any other rejection is left to `runCli`, which does the same).
 */
export async function guardInputErrors(io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr.write(`proctree-rx: ${escapeControl(err.message)}\n`);
      return ExitCode.failure;
    }
    throw err;
  }
}

/** stdout as the Writable `writeNdjson` expects. */
export const stdoutOf = (io: CliIo): Writable => io.stdout as Writable;

/**
 * The event's raw line with `,"key":value` spliced in before its final `}` (digit-exact), as
 * pieces to be written one after another: the raw line's two sides are slices of it (no copy) and
 * `value` is passed on as given, so no line-sized string is ever built (see {@link writeNdjson}).
 */
export function spliceKeyPieces(env: Envelope, key: string, value: string | readonly string[]): string[] {
  const raw = env.raw ?? stringifyExact({ ...env.event, timestamp: env.timestamp, threadStartTime: env.threadStartTime });
  const { end, empty } = splicePoint(raw);
  const head = raw.slice(0, end);
  const tail = end === raw.length - 1 ? '}' : raw.slice(end);
  const keyText = empty ? `"${key}":` : `,"${key}":`;
  return typeof value === 'string' ? [head, keyText, value, tail] : [head, keyText, ...value, tail];
}

/**
 * Where a key goes into a raw event line: before its final `}` (`end`, its index), and whether the
 * object is empty there (`{ }`: then the key takes no comma before it).
 */
export function splicePoint(raw: string): { readonly end: number; readonly empty: boolean } {
  const end = raw.lastIndexOf('}');
  let p = end - 1;
  while (p >= 0 && (raw.charCodeAt(p) === 32 || raw.charCodeAt(p) === 9)) p--;
  return { end, empty: raw.charCodeAt(p) === 123 /* { */ };
}

/** The event's raw line with `,"key":value` spliced in before its final `}` (digit-exact), as one string. */
export const spliceKey = (env: Envelope, key: string, value: string): string => spliceKeyPieces(env, key, value).join('');

/**
 * Writes a run's output lines to stdout (backpressure shared with the reader) and ends the run:
 * a closed pipe (`| head`) ends it quietly with exit 0, a write failure is reported, then the
 * summary and the exit code as {@link finishRun} gives them.
 */
export async function writeRunOutput(
  run: EventRun,
  lines$: Observable<NdjsonLine>,
  extra: { readonly findings?: () => number; readonly signatureErrors?: () => number } = {},
): Promise<ExitCodeValue> {
  let failed = false;
  try {
    const result = await writeNdjson(lines$, stdoutOf(run.io), { flow: run.flow });
    if (result.brokenPipe) {
      run.progress.finish();
      return ExitCode.ok;
    }
  } catch (err) {
    reportFailure(run.io, err);
    failed = true;
  }
  return finishRun(run, {
    failed,
    ...(extra.findings !== undefined ? { findings: extra.findings() } : {}),
    ...(extra.signatureErrors !== undefined ? { signatureErrors: extra.signatureErrors() } : {}),
  });
}

/**
 * Prints `proctree-rx: <message>` for a failure of the run (unreadable input; a write error as
 * `cannot write output: no space left on device (ENOSPC)`), control characters escaped.
 */
export function reportFailure(io: CliIo, err: unknown): void {
  io.stderr.write(`proctree-rx: ${escapeControl(isWriteError(err) ? describeWriteError(err, 'output') : errorMessage(err))}\n`);
}

/**
 * Feeds the whole event stream into the run's tree. Resolves `true` when it ran to the end,
 * `false` after reporting a failure (an input that could not be read).
 */
export function buildWholeTree(run: EventRun): Promise<boolean> {
  return new Promise((resolve) => {
    run.events$.subscribe({
      next: (env) => {
        run.builder.applyEnvelope(env);
      },
      error: (err: unknown) => {
        reportFailure(run.io, err);
        resolve(false);
      },
      complete: () => resolve(true),
    });
  });
}

/** The picture of `tree` as of `t` in `format` (see `renderTree.ts`). */
export function renderTreeAs(tree: ProcessTree, t: Nanos, format: Exclude<TreeFormat, 'html'>): string {
  const forest = treeView(tree, t);
  return format === 'json' ? renderJson(forest) : format === 'dot' ? renderDot(forest) : renderText(forest);
}
