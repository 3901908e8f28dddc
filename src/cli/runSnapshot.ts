/**
 * `proctree-rx snapshot [--procfs-root DIR] [--format …]`: the tree procfs describes now; with
 * `--out FILE`, that tree (or the tree of a replay: `snapshot --out FILE [--at T] FILE…`) as a
 * checkpoint that `--from-snapshot FILE` resumes.
 *
 * @module
 */
import { lastValueFrom, takeWhile, tap } from 'rxjs';
import { readCheckpointFile, writeCheckpointFile } from '../checkpoint/checkpointFiles.js';
import type { BuilderSettings, StreamPosition } from '../checkpoint/checkpointFormat.js';
import { decodeCheckpoint } from '../checkpoint/decodeCheckpoint.js';
import { encodeCheckpoint } from '../checkpoint/encodeCheckpoint.js';
import { scanProcfs } from '../bootstrap/index.js';
import type { ProcfsScanStats } from '../bootstrap/index.js';
import { TreeBuilder } from '../tree/treeBuilder.js';
import type { SnapshotCommand } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { ExitCode } from './exitCodeFor.js';
import { finishRun, guardInputErrors, renderTreeAs, reportFailure, startEventRun, treeSize } from './pipeline.js';
import type { Envelope } from '../streams/types.js';
import { procfsPlan } from './procfsPlan.js';

/**
 * Runs `snapshot`: walks procfs once (`--procfs-root DIR`, default `/proc`) into a fresh tree
 * (cache sizes from `--proctree`) and prints it as of the walk (`text`, `json` or `dot`).
 * Reads no events. With `--out FILE` the tree is written there as a checkpoint (format 1, see
 * `src/checkpoint/`) instead of printed; with FILEs too, the tree is the one those events build
 * (up to `--at T`), resumed from `--from-snapshot` when given. Tasks that vanish or cannot be read during the walk are normal and only
 * counted (`--stats`); an unreadable root is a failure (exit 1).
 *
 * @returns the exit code.
 * @example
 * ```sh
 * proctree-rx snapshot
 * proctree-rx snapshot --procfs-root /host/proc --format json
 * proctree-rx snapshot --out tree.ckpt --at 1795582946700000000 capture.ndjson
 * proctree-rx enrich --from-snapshot tree.ckpt capture.ndjson   # the events after the checkpoint
 * ```
 */
export async function runSnapshot(cmd: SnapshotCommand, io: CliIo): Promise<number> {
  if (cmd.out !== undefined && (cmd.inputs.length > 0 || cmd.fromSnapshot !== undefined)) return checkpointReplay(cmd, cmd.out, io);
  const started = performance.now();
  const { root } = procfsPlan(cmd, []);
  const builder = new TreeBuilder({
    processCacheSize: cmd.proctree.processCacheSize,
    threadCacheSize: cmd.proctree.threadCacheSize,
    history: { maxVersions: 1 },
  });
  let scan: ProcfsScanStats | undefined;
  let issues = 0;
  try {
    await lastValueFrom(
      scanProcfs({
        root,
        onStats: (s) => {
          scan = s;
        },
        onIssue: () => {
          issues++;
        },
      }).pipe(tap((record) => builder.applyRecord(record))),
      { defaultValue: undefined },
    );
  } catch (err) {
    reportFailure(io, err);
    return ExitCode.failure;
  }
  const tree = builder.tree;
  if (cmd.out !== undefined) {
    const settings: BuilderSettings = { source: cmd.proctree.source, processCacheSize: cmd.proctree.processCacheSize, threadCacheSize: cmd.proctree.threadCacheSize };
    const wrote = writeCheckpoint(io, cmd.out, builder, settings, { events: 0 });
    if (!wrote) return ExitCode.failure;
  } else io.stdout.write(renderTreeAs(tree, tree.time, cmd.format));
  const size = treeSize(tree);
  if (cmd.stats && scan !== undefined) {
    const rows: [string, number][] = [
      ['procfs tasks', scan.tasks],
      ['procfs processes', scan.processes],
      ['procfs threads', scan.threads],
      ['vanished', scan.vanished],
      ['permission denied', scan.permissionDenied],
      ['kernel threads', scan.kernelThreads],
      ['zombies', scan.zombies],
      ['errors', scan.errors],
      ['procfs issues', issues],
      ['evicted processes', builder.stats.evictedProcesses],
      ['evicted threads', builder.stats.evictedThreads],
      ['processes', size.processes],
      ['threads', size.threads],
    ];
    for (const [name, value] of rows) io.stderr.write(`proctree-rx: stats: ${name}: ${value}\n`);
  }
  if (!cmd.quiet) {
    const ms = performance.now() - started;
    io.stderr.write(`proctree-rx: ${root}: ${size.processes} processes, ${size.threads} threads, ${ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`}\n`);
  }
  return ExitCode.ok;
}

/** Encodes and writes the checkpoint (reporting a failure); true when written. */
function writeCheckpoint(io: CliIo, path: string, builder: TreeBuilder, settings: BuilderSettings, position: StreamPosition): boolean {
  const bytes = encodeCheckpoint({ builder, settings, position });
  try {
    writeCheckpointFile(path, bytes);
  } catch (err) {
    reportFailure(io, err);
    return false;
  }
  // read back: a checkpoint that would not load is a failure now, not when a colleague opens it
  decodeCheckpoint(bytes);
  return true;
}

/**
 * `snapshot --out FILE [--at T] [--from-snapshot CP] [FILE…]`: replays the events (those at or
 * before T) into the tree, resuming CP when given, and writes the tree as a checkpoint whose
 * position is the last event applied.
 */
function checkpointReplay(cmd: SnapshotCommand, out: string, io: CliIo): Promise<number> {
  return guardInputErrors(io, async () => {
    const run = await startEventRun(cmd, io, { history: { maxVersions: 1 } });
    const resumed = cmd.fromSnapshot === undefined ? undefined : readCheckpointFile(cmd.fromSnapshot);
    const before = resumed?.position;
    let events = before?.events ?? 0;
    let last: Envelope | undefined;
    let failed = false;
    try {
      await lastValueFrom(
        run.events$.pipe(
          takeWhile((env) => cmd.at === undefined || env.timestamp <= cmd.at),
          tap((env) => {
            run.builder.applyEnvelope(env);
            events++;
            last = env;
          }),
        ),
        { defaultValue: undefined },
      );
    } catch (err) {
      reportFailure(io, err);
      failed = true;
    }
    if (!failed) {
      const { proctree } = cmd;
      const settings: BuilderSettings = resumed?.settings ?? { source: proctree.source, processCacheSize: proctree.processCacheSize, threadCacheSize: proctree.threadCacheSize };
      const position: StreamPosition = { events, last: last === undefined ? before?.last : { timestamp: last.timestamp, rank: last.rank, seq: last.seq } };
      failed = !writeCheckpoint(io, out, run.builder, settings, position);
    }
    return finishRun(run, { failed });
  });
}
