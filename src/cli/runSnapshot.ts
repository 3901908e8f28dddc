/**
 * `proctree-rx snapshot [--procfs-root DIR] [--format …]`: the tree procfs describes now.
 *
 * @module
 */
import { lastValueFrom, tap } from 'rxjs';
import { scanProcfs } from '../bootstrap/index.js';
import type { ProcfsScanStats } from '../bootstrap/index.js';
import { TreeBuilder } from '../tree/treeBuilder.js';
import type { SnapshotCommand } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { ExitCode } from './exitCodeFor.js';
import { renderTreeAs, reportFailure, treeSize } from './pipeline.js';
import { procfsPlan } from './procfsPlan.js';

/**
 * Runs `snapshot`: walks procfs once (`--procfs-root DIR`, default `/proc`) into a fresh tree
 * (cache sizes from `--proctree`) and prints it as of the walk (`text`, `json` or `dot`).
 * Reads no events. Tasks that vanish or cannot be read during the walk are normal and only
 * counted (`--stats`); an unreadable root is a failure (exit 1).
 *
 * @returns the exit code.
 * @example
 * ```sh
 * proctree-rx snapshot
 * proctree-rx snapshot --procfs-root /host/proc --format json
 * ```
 */
export async function runSnapshot(cmd: SnapshotCommand, io: CliIo): Promise<number> {
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
  io.stdout.write(renderTreeAs(tree, tree.time, cmd.format));
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
