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
import type { Readable, Writable } from 'node:stream';
import type { Observable } from 'rxjs';
import type { ArtifactsAsOf } from '../tree/artifacts/artifactStore.js';
import { describeNotice, type FormatNotice } from '../streams/eventReader.js';
import { formatByName } from '../streams/traceeFormat.js';
import { writeNdjson, type NdjsonLine } from '../streams/writeNdjson.js';
import { InputError, inputErrorOf } from '../streams/InputError.js';
import type { Envelope, Nanos } from '../streams/types.js';
import type { ProcessTree } from '../tree/model.js';
import type { TreeBuilder, TreeBuilderOptions } from '../tree/treeBuilder.js';
import type { HistoryBounds } from '../tree/versionHistory.js';
import { DEFAULT_MAX_DEPTH, pipeline, type Pipeline, type PipelineStats } from '../pipeline/pipeline.js';
import { renderTree } from '../pipeline/renderTree.js';
import type { CliCommand, TextSink, TreeFormat } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { ExitCode, exitCodeFor, type ExitCodeValue } from './exitCodeFor.js';
import { formatSummary } from './formatSummary.js';
import { escapeControl } from './escapeControl.js';
import { IssueFile } from './IssueFile.js';
import { IssueReporter } from './IssueReporter.js';
import { describeWriteError, isWriteError } from './outputErrors.js';
import type { ProcfsPlan } from './procfsPlan.js';
import { ProgressReporter } from './ProgressReporter.js';

export { DEFAULT_LIVE_REORDER_WINDOW, STOP_GRACE_MS } from '../pipeline/pipeline.js';

/** Ancestors attached to each enriched event (as Tracee's detectors use). */
export const ENRICH_MAX_DEPTH = DEFAULT_MAX_DEPTH;

/** One run of an event-reading command: the shared {@link pipeline}, and the CLI's reporters. */
export interface EventRun {
  readonly cmd: CliCommand;
  readonly io: CliIo;
  /** The library pipeline the command runs over. */
  readonly pipeline: Pipeline;
  readonly builder: TreeBuilder;
  readonly plan: ProcfsPlan;
  readonly issues: IssueReporter;
  readonly progress: ProgressReporter;
  /**
   * The procfs bootstrap (applied to the tree, emits nothing), then every input event in time
   * order, not yet applied to the tree. Cold; subscribe once.
   */
  readonly events$: Observable<Envelope>;
  /** The pipeline's counters so far. */
  stats(): PipelineStats;
  /** Wall time since the run started, ms. */
  elapsedMs(): number;
}

/** What {@link startEventRun} needs besides the command. */
export interface EventRunOptions {
  /** Versions the builder retains (as-of answers need them). Default: the builder's (4096). */
  readonly history?: HistoryBounds;
  /** Called with the last state of each entity the tree's bounds evict (see `TreeBuilderOptions.onEvicted`). */
  readonly onEvicted?: TreeBuilderOptions['onEvicted'];
  /** Keep per-process artifacts even without `--artifacts` (signatures that need them). */
  readonly artifacts?: boolean;
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Opens the `--issues FILE`; an {@link InputError} (exit 1) when it cannot be created. */
function openIssueFile(path: string): IssueFile {
  try {
    return new IssueFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' ? new InputError(`cannot write --issues ${path}: no such directory`, code) : inputErrorOf(path, err, 'write', `--issues ${path}`);
  }
}

/** The stderr line saying which format each input is read as (not with `--quiet`). */
const formatNotices = (cmd: CliCommand, io: CliIo): { readonly onFormat?: (notice: FormatNotice) => void } =>
  cmd.quiet ? {} : { onFormat: (n: FormatNotice) => void io.stderr.write(`proctree-rx: ${n.source}: ${describeNotice(n)}\n`) };

/**
 * Prepares a run of an event-reading command: the command's options mapped onto {@link pipeline}
 * (inputs, `--signals`, the procfs rule, ordering, the tree), with the CLI's issue reporter
 * (stderr and `--issues FILE`) and progress line.
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
  const issues = new IssueReporter({ out: io.stderr, printWarnings: !cmd.quiet, ...(cmd.issues !== undefined ? { file: openIssueFile(cmd.issues) } : {}) });
  // made once the inputs' kinds are known (a progress line only when a file is read)
  const shown: { progress?: ProgressReporter } = {};
  const { proctree } = cmd;
  const traceeFormat = cmd.traceeFormat === undefined ? undefined : formatByName(cmd.traceeFormat);
  const run = await pipeline({
    inputs: cmd.inputs,
    ...(cmd.signals !== undefined ? { signals: cmd.signals } : {}),
    source: proctree.source,
    procfs: { ...(cmd.procfsRoot !== undefined ? { root: cmd.procfsRoot } : {}), walk: proctree.procfsInitialization, queries: proctree.procfsQuerying },
    ...(options.history !== undefined ? { history: options.history } : {}),
    ...(cmd.reorderWindow !== undefined ? { reorderWindow: cmd.reorderWindow } : {}),
    ...(cmd.reorderBytes !== undefined ? { reorderBytes: cmd.reorderBytes } : {}),
    processCacheSize: proctree.processCacheSize,
    threadCacheSize: proctree.threadCacheSize,
    ...(options.onEvicted !== undefined ? { onEvicted: options.onEvicted } : {}),
    ...(cmd.fromSnapshot !== undefined ? { resume: cmd.fromSnapshot } : {}),
    maxDepth: ENRICH_MAX_DEPTH,
    ...(cmd.artifacts === true || options.artifacts === true ? { artifacts: true } : {}),
    ...(traceeFormat !== undefined ? { traceeFormat } : {}),
    ...formatNotices(cmd, io),
    onIssue: issues.report,
    onLate: (origin, by) => issues.reportLate(origin, by),
    onProgress: (s) => shown.progress?.update({ lines: s.events + issues.counts.error, events: s.events, badLines: issues.counts.error }),
    stdin: io.stdin as Readable,
    signal: io.signal,
  });
  const progress = new ProgressReporter({ out: io.stderr, enabled: io.isTTY.stderr && !cmd.quiet && run.inputKinds.includes('file') });
  shown.progress = progress;
  return {
    cmd,
    io,
    pipeline: run,
    builder: run.builder,
    plan: run.procfs,
    issues,
    progress,
    events$: run.events$,
    stats: () => run.stats(),
    elapsedMs: () => performance.now() - started,
  };
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
  const { cmd, io, builder, issues } = run;
  const counters = run.stats();
  run.progress.finish();
  const issuesWritten = issues.finish();
  const stoppedBy = interruptionOf(io.signal);
  if (stoppedBy !== undefined && !cmd.quiet) {
    const unprocessed = counters.events - counters.processed;
    io.stderr.write(`proctree-rx: ${stoppedBy}: stopped reading${unprocessed > 0 ? `; ${unprocessed} of ${counters.events} events read were held for ordering and not processed` : ''}\n`);
  }
  const hasTree = cmd.proctree.source !== 'none';
  const size = treeSize(builder.tree);
  // this host's (or a saved) procfs went into the tree: say so, whatever the flags
  if (counters.scan !== undefined && !cmd.quiet) io.stderr.write(`proctree-rx: merged ${run.plan.root} into the tree: ${counters.procfsProcesses} processes came from it\n`);
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
  const { builder, issues } = run;
  const counters = run.stats();
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
  const f = counters.filler;
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

export { spliceKey, spliceKeyPieces, splicePoint } from '../pipeline/spliceKey.js';

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
    const result = await writeNdjson(lines$, stdoutOf(run.io), { flow: run.pipeline.flow });
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

/** The picture of `tree` as of `t` in `format` (see `renderTree`). */
export const renderTreeAs = (tree: ProcessTree, t: Nanos, format: Exclude<TreeFormat, 'html'>, artifacts?: ArtifactsAsOf): string =>
  renderTree(tree, { at: t, format, ...(artifacts !== undefined ? { artifacts } : {}) });
