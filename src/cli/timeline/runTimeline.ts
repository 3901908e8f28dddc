/**
 * `proctree-rx tree --format html [--at T] [--from T] [--to T] [--signatures …] FILE…`: the
 * timeline page of a capture.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { basename } from 'node:path';
import { stringifyExact } from '../../streams/exactNumbers.js';
import { headOf, type EntityId } from '../../streams/types.js';
import type { ProcessNode, ThreadNode } from '../../tree/model.js';
import { needsArtifacts, type AnySignature, type Finding } from '../../signatures/types.js';
import type { TreeCommand } from '../cliTypes.js';
import type { CliIo } from '../commands.js';
import { ExitCode } from '../exitCodeFor.js';
import { finishRun, guardInputErrors, reportFailure, startEventRun, type EventRun } from '../pipeline.js';
import { resolveSignatures } from '../resolveSignatures.js';
import { SignatureErrorReporter } from '../SignatureErrorReporter.js';
import { warningReporter } from '../warningReporter.js';
import { timelineModelOf, type RawFinding } from './timelineModel.js';
import { timelinePage } from './timelinePage.js';

/** Processes the page can hold (beyond it, the earliest-starting ones and a note). */
export const TIMELINE_MAX_PROCESSES = 20_000;

/**
 * Keeps every process and thread a run's tree held: those its bounds evicted (their last state),
 * then those still in the tree at the end. Bounded: beyond `maxProcesses` evicted processes (4×
 * for threads) the later ones are counted, not kept — the page shows the earliest-starting ones
 * anyway (see {@link TIMELINE_MAX_PROCESSES}).
 */
export class TimelineRecorder {
  private readonly processes = new Map<EntityId, ProcessNode>();
  private readonly threads = new Map<EntityId, ThreadNode>();
  /** Evicted entities not kept (over the bound). */
  dropped = 0;

  constructor(private readonly maxProcesses = TIMELINE_MAX_PROCESSES) {}

  /** For `TreeBuilderOptions.onEvicted`. */
  readonly evicted = (node: ProcessNode | ThreadNode): void => {
    if (node.kind === 'process') {
      if (this.processes.size < this.maxProcesses + 1) this.processes.set(node.id, node);
      else this.dropped++;
    } else if (this.threads.size < this.maxProcesses * 4) this.threads.set(node.id, node);
  };

  /** Adds what the final tree holds (newer than any evicted state of the same id). */
  finish(processes: Iterable<ProcessNode>, threads: Iterable<ThreadNode>): void {
    for (const p of processes) this.processes.set(p.id, p);
    for (const t of threads) this.threads.set(t.id, t);
  }

  get allProcesses(): Iterable<ProcessNode> {
    return this.processes.values();
  }

  /** Thread ids by leader (every thread kept, evicted ones included). */
  threadIdsByLeader(): Map<EntityId, EntityId[]> {
    const out = new Map<EntityId, EntityId[]>();
    for (const t of this.threads.values()) {
      const list = out.get(t.leaderId);
      if (list === undefined) out.set(t.leaderId, [t.id]);
      else list.push(t.id);
    }
    return out;
  }

  threadOf = (id: EntityId): ThreadNode | undefined => this.threads.get(id);
}

/** A finding as the page draws it. */
const rawFinding = (f: Finding): RawFinding => {
  const head = headOf(f.envelope);
  return {
    time: f.envelope.timestamp,
    process: head.processEntityId,
    id: f.SigMetadata.id,
    name: f.SigMetadata.name,
    severity: typeof f.SigMetadata.properties?.['Severity'] === 'number' ? f.SigMetadata.properties['Severity'] : null,
    description: f.SigMetadata.description,
    eventName: head.eventName,
    data: stringifyExact(f.Data),
  };
};

/**
 * Runs the pipeline's whole input into its tree — through `findings(signatures)` when the page
 * shows findings, else `build()`; resolves false after an input failure (reported).
 */
function consume(run: EventRun, signatures: readonly AnySignature[] | undefined, onFinding: (f: Finding) => void, errors: SignatureErrorReporter): Promise<boolean> {
  const failed = (err: unknown): boolean => {
    reportFailure(run.io, err);
    return false;
  };
  if (signatures === undefined) return run.pipeline.build().then(() => true, failed);
  return new Promise((resolve) => {
    run.pipeline.findings(signatures, { onError: errors.report, onWarning: warningReporter(run) }).subscribe({
      next: onFinding,
      error: (err: unknown) => resolve(failed(err)),
      complete: () => resolve(true),
    });
  });
}

/**
 * Runs `tree --format html`: builds the tree from the whole input (keeping what its bounds evict),
 * with `--signatures` runs them over the enriched stream, and prints the self-contained page.
 *
 * @returns the exit code.
 * @example
 * ```sh
 * proctree-rx tree --format html --signatures PRX-001 capture.ndjson > tree.html
 * ```
 */
export async function runTimeline(cmd: TreeCommand, io: CliIo): Promise<number> {
  const wantFindings = cmd.signatures !== undefined || cmd.signatureModules.length > 0;
  const chosen = wantFindings ? await resolveSignatures(cmd) : E.right([]);
  if (E.isLeft(chosen)) {
    io.stderr.write(`proctree-rx: ${chosen.left}\n`);
    return ExitCode.usage;
  }
  return guardInputErrors(io, async () => {
    const recorder = new TimelineRecorder();
    const run = await startEventRun(cmd, io, { history: { maxVersions: wantFindings ? 64 : 1 }, onEvicted: recorder.evicted, ...(needsArtifacts(chosen.right) ? { artifacts: true } : {}) });
    const errors = new SignatureErrorReporter(io.stderr);
    const findings: RawFinding[] = [];
    const complete = await consume(run, wantFindings ? chosen.right : undefined, (f) => void findings.push(rawFinding(f)), errors);
    errors.finish();
    if (complete) {
      const tree = run.builder.tree;
      recorder.finish(tree.processes.values(), tree.threads.values());
      const { events, firstTimestamp, lastTimestamp } = run.stats();
      const last = lastTimestamp > tree.time ? lastTimestamp : tree.time;
      const threadIds = recorder.threadIdsByLeader();
      const notes = recorder.dropped > 0 ? [`${recorder.dropped} more processes left the tree's bounds and are not drawn: narrow the range with --from/--to`] : [];
      const model = timelineModelOf(
        {
          title: cmd.inputs.length === 0 ? 'stdin' : cmd.inputs.map((f) => (f === '-' ? 'stdin' : basename(f))).join(', '),
          // the first event's time is the page's origin
          first: events > 0 ? firstTimestamp : last,
          last,
          at: cmd.at,
          from: cmd.from,
          to: cmd.to,
          processes: recorder.allProcesses,
          threadOf: recorder.threadOf,
          findings,
          maxProcesses: TIMELINE_MAX_PROCESSES,
          notes,
        },
        (p) => threadIds.get(p.id) ?? [],
      );
      io.stdout.write(timelinePage(model));
    }
    return finishRun(run, { failed: !complete, ...(wantFindings ? { findings: findings.length, signatureErrors: errors.count } : {}) });
  });
}
