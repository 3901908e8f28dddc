/**
 * `pipeline`: the one path from Tracee NDJSON inputs to an ordered, enriched stream — what every
 * command of the CLI runs, and what code runs to get the same result at the same speed.
 *
 * Inputs (files, stdin, FIFOs, streams, a separate signals input) → the procfs rule → ordering
 * (a measured window for files, a bounded window for live input) → the tree → enriched events,
 * encoded lines, findings or the tree itself.
 *
 * @module
 */
import { statSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { concat, defer, delay, EMPTY, filter, fromEvent, ignoreElements, map, merge, NEVER, Observable, takeUntil, tap, throwError } from 'rxjs';
import { createProcfsFiller, scanProcfs } from '../bootstrap/index.js';
import type { ProcfsFiller, ProcfsFillerStats, ProcfsScanStats } from '../bootstrap/index.js';
import { enrich, type EnrichedEnvelope } from '../operators/enrich.js';
import { sortAllRespectingFlow } from '../operators/sortAllRespectingFlow.js';
import { DEFAULT_MAX_BUFFERED_BYTES, sortByTimestamp } from '../operators/sortByTimestamp.js';
import { createFlowControl, type FlowControl } from '../streams/flowControl.js';
import type { FormatNotice } from '../streams/eventReader.js';
import { fromNdjson, type NdjsonInput } from '../streams/fromNdjson.js';
import { PreStartedParser } from '../streams/fromNdjsonFile.js';
import { inputErrorOf } from '../streams/InputError.js';
import { kernelRangeProblem } from '../streams/kernelRanges.js';
import { measureDisorder } from '../streams/measureDisorder.js';
import { formatByName, type TraceeFormatInfo, type TraceeFormatName } from '../streams/traceeFormat.js';
import type { Envelope, InputIssue, Nanos, Origin } from '../streams/types.js';
import { writeNdjson, type NdjsonLine, type WriteNdjsonResult } from '../streams/writeNdjson.js';
import type { ProcessTreeDataSource } from '../tree/dataSource.js';
import type { TreeSource } from '../tree/feedFromEvents.js';
import type { ProcessTree } from '../tree/model.js';
import { TreeBuilder, type TreeBuilderOptions } from '../tree/treeBuilder.js';
import { isAfterPosition, readCheckpointFile } from '../checkpoint/checkpointFiles.js';
import type { Checkpoint } from '../checkpoint/decodeCheckpoint.js';
import { resumeBuilder } from '../checkpoint/resumeBuilder.js';
import type { HistoryBounds } from '../tree/versionHistory.js';
import { runSignatures } from '../signatures/runSignatures.js';
import type { FromSignatureOptions } from '../signatures/fromSignature.js';
import { isSignatureOperator, needsArtifacts, type AnySignature, type Finding } from '../signatures/types.js';
import { classifyInput } from './classifyInput.js';
import { createEnrichEncoder } from './enrichEncoder.js';
import { artifactsPart } from './artifactsPart.js';
import { ArtifactStore, type ArtifactLimits } from '../tree/artifacts/artifactStore.js';
import { planProcfs, type InputKind, type ProcfsOptions, type ProcfsPlan } from './procfsPlan.js';

/**
 * Reorder window for live input when none is given: 1 s of event time.
 * @example
 * ```ts
 * import { DEFAULT_LIVE_REORDER_WINDOW, pipeline } from 'proctree-rx';
 * await pipeline({ inputs: '-', reorderWindow: DEFAULT_LIVE_REORDER_WINDOW * 2n });
 * ```
 */
export const DEFAULT_LIVE_REORDER_WINDOW: Nanos = 1_000_000_000n;

/** Ancestors attached to each enriched event by default (as Tracee's detectors use). */
export const DEFAULT_MAX_DEPTH = 5;

/**
 * After `signal` aborts, how long the events already read and held for ordering may still be
 * processed before the stream is cut (ms). Input stops at once.
 */
export const STOP_GRACE_MS = 400;

/** Options of {@link pipeline}. */
export interface PipelineOptions {
  /** The event inputs: paths (`-` = stdin), streams, or one of them. Read one after the other. */
  readonly inputs: NdjsonInput | readonly NdjsonInput[];
  /** A separate input of Tracee signal events (`signal_sched_process_fork`, …), merged by time. */
  readonly signals?: NdjsonInput;
  /** Which inputs feed the tree (default `events`; `both` with signals; `none`: no tree). */
  readonly source?: TreeSource;
  /**
   * procfs (default `{}`: the rule of {@link planProcfs} — live input walks `/proc` and looks up
   * unknown pids, replayed files never read this host's `/proc` unless a `root` is given).
   * `false`: never.
   */
  readonly procfs?: ProcfsOptions | false;
  /** Versions the tree keeps for as-of answers (default: the builder's, 4096). */
  readonly history?: HistoryBounds;
  /**
   * How far events may arrive out of time order, in ns of event time, or `'unbounded'` (hold
   * everything until the end). Default: for regular files (one stream, no signals) the disorder
   * measured by a pre-pass over the bytes, which gives the full sort's order; for other files
   * (with signals, or a line the pre-pass cannot time) a sort that holds events up to the byte
   * cap; for live input {@link DEFAULT_LIVE_REORDER_WINDOW}. Every default is held to
   * `reorderBytes`: memory stays bounded whatever a file holds.
   */
  readonly reorderWindow?: Nanos | 'unbounded';
  /**
   * Most bytes of event text held for ordering (default 16 MiB, files included; `0` or
   * `Infinity`: no cap). Above it the earliest events leave early and later arrivals behind them
   * are counted late.
   */
  readonly reorderBytes?: number;
  /** Process LRU bound (default 16384). */
  readonly processCacheSize?: number;
  /** Thread LRU bound (default 32768). */
  readonly threadCacheSize?: number;
  /** Most characters of program text (argv, command paths) the held processes keep together (default 32 Mi; see `TreeBuilderOptions`). */
  readonly processTextChars?: number;
  /** Called with the last state of each entity the tree's bounds evict (see `TreeBuilderOptions.onEvicted`). */
  readonly onEvicted?: TreeBuilderOptions['onEvicted'];
  /**
   * Continue from a checkpoint (`snapshot --out`; a decoded one, or the path of its file): the
   * tree, its settings and counters come from it (`source` and the cache sizes given here are not
   * used), no procfs walk runs, and the events it holds already (at or before its position) are
   * skipped and counted (`stats().skipped`). A file that cannot be read rejects with an `InputError`.
   */
  readonly resume?: Checkpoint | string;
  /** Ancestors attached to each enriched event (default 5). */
  readonly maxDepth?: number;
  /**
   * Keep per-process artifacts (default off: no cost): `true` or bounds. The builder's store
   * (`builder.artifacts`) then answers as of any time, ProcessInfo answers of the data source
   * carry `artifacts`, signatures read them (`e.context.artifacts`), and `lines$` adds
   * `"artifacts"` to each line's context (see `enrich --artifacts`).
   */
  readonly artifacts?: boolean | ArtifactLimits;
  /** Read every input as this Tracee format; detected from the lines when absent. */
  readonly traceeFormat?: TraceeFormatName | TraceeFormatInfo;
  /** Told once per input which Tracee format it is read as. */
  readonly onFormat?: (notice: FormatNotice) => void;
  /** Every problem with the input: bad lines (with line numbers), impossible pids/times, unusable lifecycle events. */
  readonly onIssue?: (issue: InputIssue) => void;
  /** An event that arrived after the reorder window had passed it (it is still delivered), and by how many ns. */
  readonly onLate?: (origin: Origin, byNs: Nanos) => void;
  /**
   * Called after each accepted event with the live counters (progress displays). The object is
   * the pipeline's own and changes as the run goes on: read it there, copy what you keep.
   */
  readonly onProgress?: (progress: PipelineProgress) => void;
  /** The stream `-` stands for (default `process.stdin`). */
  readonly stdin?: Readable;
  /**
   * Stops the run: input stops at once; what was read is still ordered and processed for
   * {@link STOP_GRACE_MS}, then the stream ends.
   */
  readonly signal?: AbortSignal;
}

/** The counters {@link PipelineOptions.onProgress} is given after each accepted event. */
export interface PipelineProgress {
  /** Events read and accepted so far. */
  readonly events: number;
  /** Lines refused so far. */
  readonly badLines: number;
  /** Late events so far. */
  readonly late: number;
  /** Exact timestamp of the newest event seen (0n before any). */
  readonly lastTimestamp: Nanos;
}

/** Live counters of a pipeline (see {@link Pipeline.stats}). */
export interface PipelineStats {
  /** Events read and accepted (signal lines included). */
  readonly events: number;
  /** Lines refused: malformed, not an event, impossible pid/tid/time. */
  readonly badLines: number;
  /** Events that arrived after the reorder window had passed them. */
  readonly late: number;
  /** Events handed on after ordering; less than `events` when a run was stopped. */
  readonly processed: number;
  /** Exact timestamp of the newest event seen (0n before any). */
  readonly lastTimestamp: Nanos;
  /** Exact timestamp of the earliest event seen (0n before any). */
  readonly firstTimestamp: Nanos;
  /** procfs start-up walk counts, when a walk ran. */
  readonly scan: ProcfsScanStats | undefined;
  /** Processes the start-up walk put in the tree (0 when none ran). */
  readonly procfsProcesses: number;
  /** Runtime procfs lookups, when they ran. */
  readonly filler: ProcfsFillerStats | undefined;
  /** procfs problems seen (vanished tasks, permission denied, …): normal races, only counted. */
  readonly procfsIssues: number;
  /** Events skipped because the `resume` checkpoint holds them already. */
  readonly skipped: number;
}

/** Options of {@link Pipeline.write}. */
export interface PipelineWriteOptions {
  /** What to write (default the pipeline's `lines$`; e.g. `run.findings(sigs).pipe(map(findingToJson))`). */
  readonly lines?: Observable<NdjsonLine>;
  /** End `output` when done, and wait for it to finish (default `false`: stdout stays open). */
  readonly end?: boolean;
}

/** Options of {@link Pipeline.findings}. */
export type PipelineFindingsOptions = Omit<FromSignatureOptions, 'dataSource'>;

/**
 * A prepared run: its tree builder and its streams. The streams are cold and share one input:
 * subscribe to **one** of `events$`, `enriched$`, `lines$`, `findings(…)`, `build()` or `write(…)`,
 * once.
 */
export interface Pipeline {
  /** The tree (current version, history, data source, stats); it grows as the stream runs. */
  readonly builder: TreeBuilder;
  /** Whether and where procfs is read. */
  readonly procfs: ProcfsPlan;
  /** What each input is (events first, then signals): `file`, `stdin` (a stream) or `fifo`. */
  readonly inputKinds: readonly InputKind[];
  /** Backpressure shared by the readers and {@link Pipeline.write}. */
  readonly flow: FlowControl;
  /** Every input event in time order, **not yet applied** to the tree (the procfs walk is). */
  readonly events$: Observable<Envelope>;
  /** Every event in time order with its context as of its own time (applied to the tree). */
  readonly enriched$: Observable<EnrichedEnvelope>;
  /**
   * What `proctree-rx enrich` writes: each event's raw line, digit for digit, with
   * `"proctree":{…}` added (the fast path: cached per task, written as pieces). With source
   * `none`, the raw lines unchanged.
   */
  readonly lines$: Observable<NdjsonLine>;
  /** Findings of `signatures` over the enriched stream; they query this pipeline's tree. */
  findings(signatures: readonly AnySignature[], options?: PipelineFindingsOptions): Observable<Finding>;
  /** Runs the whole input into the tree and resolves with its newest version. */
  build(): Promise<ProcessTree>;
  /**
   * Writes the lines (default {@link Pipeline.lines$}) to `output` with backpressure (reading
   * waits while `output` is full); resolves when written. A reader that goes away (EPIPE) ends it
   * quietly: `brokenPipe` is then `true`.
   */
  write(output: Writable, options?: PipelineWriteOptions): Promise<WriteNdjsonResult>;
  /** The builder's data source (Tracee's `process_tree` queries, as of any retained time). */
  dataSource(): ProcessTreeDataSource;
  /** The counters so far. */
  stats(): PipelineStats;
}

/** The kinds of all inputs (`Readable`s count as live); rejects with an {@link InputError} naming the first unreadable one. */
async function classifyAll(inputs: readonly NdjsonInput[]): Promise<InputKind[]> {
  const kinds: InputKind[] = [];
  for (const input of inputs) {
    if (typeof input !== 'string') {
      kinds.push('stdin');
      continue;
    }
    let kind: InputKind;
    try {
      kind = await classifyInput(input);
      if (kind === 'fifo' && statSync(input).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (err) {
      throw inputErrorOf(input, err);
    }
    kinds.push(kind);
  }
  return kinds;
}

const isList = (inputs: NdjsonInput | readonly NdjsonInput[]): inputs is readonly NdjsonInput[] => Array.isArray(inputs);
const asArray = (inputs: NdjsonInput | readonly NdjsonInput[]): readonly NdjsonInput[] => (isList(inputs) ? inputs : [inputs]);

/**
 * Prepares a run over Tracee NDJSON inputs: checks them (an unreadable one rejects with an
 * {@link InputError}), applies the procfs rule, makes the tree builder and the ordered streams —
 * the same pipeline as the `proctree-rx` command, at the same speed (regular files are parsed on
 * a parser thread; a pre-pass measures their disorder so the sort holds only what it must).
 *
 * @example
 * ```ts
 * import { pipeline } from 'proctree-rx';
 * const run = await pipeline({ inputs: ['capture.ndjson'], onIssue: (i) => console.error(i.reason) });
 * run.enriched$.subscribe((e) => console.log(e.event.eventName, e.context.process?.executionBinary.path));
 * ```
 * @example
 * ```ts
 * import { builtinSignatures, pipeline } from 'proctree-rx';
 * const run = await pipeline({ inputs: 'capture.ndjson' });
 * run.findings([builtinSignatures['PRX-002']!()]).subscribe((f) => console.log(f.SigMetadata.id));
 * ```
 */
export async function pipeline(options: PipelineOptions): Promise<Pipeline> {
  const inputs = asArray(options.inputs);
  const signalInputs = options.signals === undefined ? [] : [options.signals];
  const kinds = await classifyAll([...inputs, ...signalInputs]);
  const source = options.source ?? 'events';
  const plan = planProcfs(options.procfs ?? {}, source, kinds);
  const allFiles = kinds.every((k) => k === 'file');
  const onIssue = options.onIssue;
  const flow = createFlowControl();
  const counters = { events: 0, badLines: 0, late: 0, processed: 0, lastTimestamp: 0n, firstTimestamp: 0n, scan: undefined as ProcfsScanStats | undefined, procfsProcesses: 0, procfsIssues: 0, skipped: 0 };
  let filler: ProcfsFiller | undefined;
  const stats = (): PipelineStats => ({ ...counters, filler: filler?.stats() });
  const report = (issue: InputIssue): void => {
    if (issue.severity === 'error') counters.badLines++;
    onIssue?.(issue);
  };
  // a checkpoint to continue from: its tree and settings; the events it holds are skipped below
  const resumed = typeof options.resume === 'string' ? readCheckpointFile(options.resume) : options.resume;
  const artifactLimits = options.artifacts === true ? {} : options.artifacts === false ? undefined : options.artifacts;
  const hooks = {
    ...(artifactLimits !== undefined ? { artifacts: new ArtifactStore(artifactLimits) } : {}),
    ...(options.history !== undefined ? { history: options.history } : {}),
    ...(options.onEvicted !== undefined ? { onEvicted: options.onEvicted } : {}),
    onIssue: report,
    ...(plan.runtimeQueries ? { onUnknownPid: (pid: number) => filler?.request(pid) } : {}),
  };
  const builder =
    resumed !== undefined
      ? resumeBuilder(resumed, hooks)
      : new TreeBuilder({
          source,
          ...(options.processCacheSize !== undefined ? { processCacheSize: options.processCacheSize } : {}),
          ...(options.threadCacheSize !== undefined ? { threadCacheSize: options.threadCacheSize } : {}),
          ...(options.processTextChars !== undefined ? { processTextChars: options.processTextChars } : {}),
          ...hooks,
        });
  const afterCheckpoint = resumed === undefined ? undefined : isAfterPosition(resumed.position);

  const bootstrap$: Observable<never> = plan.bootstrap && resumed === undefined
    ? defer(() => {
        const before = builder.tree.processes.size;
        return scanProcfs({
          root: plan.root,
          onStats: (s) => {
            counters.scan = s;
          },
          onIssue: () => {
            counters.procfsIssues++;
          },
        }).pipe(
          tap({
            next: (record) => builder.applyRecord(record),
            complete: () => {
              counters.procfsProcesses = builder.tree.processes.size - before;
            },
          }),
          ignoreElements(),
        );
      })
    : EMPTY;

  const traceeFormat = typeof options.traceeFormat === 'string' ? formatByName(options.traceeFormat) : options.traceeFormat;
  // the run's parser thread, loading while the pre-pass reads; ended with the run if no file took it
  const parser = kinds.includes('file') ? new PreStartedParser() : undefined;
  const read = (which: readonly NdjsonInput[], rank: number): Observable<Envelope> =>
    fromNdjson(which, {
      rank,
      flow,
      onIssue: report,
      ...(parser !== undefined ? { parser } : {}),
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      ...(traceeFormat !== undefined ? { traceeFormat } : {}),
      ...(options.onFormat !== undefined ? { onFormat: options.onFormat } : {}),
    });
  const raw$ = signalInputs.length === 0 ? read(inputs, 0) : merge(read(inputs, 0), read(signalInputs, 1));
  // Files in one stream (no separate signals): a byte-level pre-pass measures how late any line
  // is; a reorder window of that size gives exactly the full sort's order while holding only the
  // events inside it. Otherwise files are held until their end, live input gets a bounded window.
  const paths = inputs.filter((i): i is string => typeof i === 'string');
  const prescanned =
    options.reorderWindow === undefined && allFiles && signalInputs.length === 0 && paths.length === inputs.length && inputs.length > 0 && !paths.includes('-')
      ? await measureDisorder(paths).catch(() => undefined)
      : undefined;
  const window = options.reorderWindow ?? prescanned ?? (allFiles ? 'unbounded' : DEFAULT_LIVE_REORDER_WINDOW);
  const { onLate, onProgress, reorderBytes } = options;
  const byteCap = reorderBytes === undefined ? DEFAULT_MAX_BUFFERED_BYTES : reorderBytes === 0 ? Number.POSITIVE_INFINITY : reorderBytes;
  // the whole input in memory only when asked for (an explicit 'unbounded' window, or no byte cap)
  const fullSort = window === 'unbounded' && (options.reorderWindow === 'unbounded' || byteCap === Number.POSITIVE_INFINITY);
  const signal = options.signal;
  const aborted$: Observable<unknown> = signal === undefined ? NEVER : fromEvent(signal, 'abort');
  const sorted$ = raw$.pipe(
    takeUntil(aborted$),
    // a pid, tid or time no kernel can produce is reported with its line and never used
    filter((env) => {
      const problem = kernelRangeProblem(env);
      if (problem === undefined) return true;
      report({ origin: env.origin, reason: problem, severity: 'error' });
      return false;
    }),
    // events the checkpoint already holds are not applied again
    filter((env) => afterCheckpoint === undefined || afterCheckpoint(env) || (counters.skipped++, false)),
    tap((env) => {
      counters.events++;
      if (env.timestamp > counters.lastTimestamp) counters.lastTimestamp = env.timestamp;
      if (counters.events === 1 || env.timestamp < counters.firstTimestamp) counters.firstTimestamp = env.timestamp;
      // the live counters themselves: no object per event
      onProgress?.(counters);
    }),
    fullSort
      ? sortAllRespectingFlow(flow)
      : sortByTimestamp({
          window,
          // files: a measured window is exact for real captures (no idle flush, no count cap); a file
          // whose measured lateness spans most of it, or that could not be measured, is still held
          // to the byte cap: beyond it the earliest events leave early and stragglers are late
          ...(prescanned !== undefined || window === 'unbounded' ? { idleFlush: 0, maxBuffered: Number.POSITIVE_INFINITY } : {}),
          maxBufferedBytes: byteCap,
          onLate: (env, by) => {
            counters.late++;
            onLate?.(env.origin, by);
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
    const sub = concat(bootstrap$, signal?.aborted === true ? EMPTY : sorted$)
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
      parser?.close();
    };
  });

  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const enriched$ = events$.pipe(enrich({ builder, maxDepth }));
  const lines$: Observable<NdjsonLine> =
    source === 'none'
      ? events$.pipe(
          map((env) => {
            builder.applyEnvelope(env);
            return env.raw ?? '';
          }),
        )
      : defer(() => enriched$.pipe(map(createEnrichEncoder(undefined, maxDepth, builder.artifacts === undefined ? undefined : artifactsPart(builder.artifacts)))));

  return {
    builder,
    procfs: plan,
    inputKinds: kinds,
    flow,
    events$,
    enriched$,
    lines$,
    findings: (signatures, findingOptions = {}) =>
      builder.artifacts === undefined && needsArtifacts(signatures)
        ? throwError(() => new Error(`signature ${signatures.filter((s) => needsArtifacts([s])).map((s) => (isSignatureOperator(s) ? s.metadata.id : '?')).join(', ')} reads artifacts: make the pipeline with artifacts: true`))
        : enriched$.pipe(runSignatures(signatures, { ...findingOptions, dataSource: builder.dataSource() })),
    build: () =>
      new Promise<ProcessTree>((resolve, reject) => {
        events$.subscribe({
          next: (env) => {
            builder.applyEnvelope(env);
          },
          error: reject,
          complete: () => resolve(builder.tree),
        });
      }),
    write: (output, writeOptions = {}) => writeNdjson(writeOptions.lines ?? lines$, output, { flow, ...(writeOptions.end === true ? { end: true } : {}) }),
    dataSource: () => builder.dataSource(),
    stats,
  };
}
