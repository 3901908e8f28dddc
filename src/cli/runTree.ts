/**
 * `proctree-rx tree [--at T] [--format text|json|dot|html] [FILE…]`: the tree after the input, or as of T
 * (html: the timeline page of the whole capture, see timeline/runTimeline.ts).
 *
 * @module
 */
import type { TreeCommand } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { buildWholeTree, finishRun, guardInputErrors, renderTreeAs, startEventRun } from './pipeline.js';
import { runTimeline } from './timeline/runTimeline.js';

/**
 * Runs `tree`: builds the tree from all input events (keeping the newest version and, with
 * `--at T`, the version of T: memory does not grow with the input's length), then prints it as of `--at T` (default: the end of the input, the newest
 * event's timestamp) with `renderTree`'s `text` (pstree-like), `json` or `dot`.
 *
 * @returns the exit code.
 * @example
 * ```sh
 * proctree-rx tree capture.ndjson
 * proctree-rx tree --at 1795582946621474559 --format dot capture.ndjson | dot -Tsvg > tree.svg
 * ```
 */
export function runTree(cmd: TreeCommand, io: CliIo): Promise<number> {
  const format = cmd.format;
  if (format === 'html') return runTimeline(cmd, io);
  return guardInputErrors(io, async () => {
    // the newest version only, and the one of --at T (kept when the input passes T)
    const run = await startEventRun(cmd, io, { history: { maxVersions: 1 } });
    if (cmd.at !== undefined) run.builder.keepAsOf([cmd.at]);
    const complete = await buildWholeTree(run);
    run.builder.settleKept();
    if (complete) {
      const { lastTimestamp } = run.stats();
      const end = lastTimestamp > run.builder.tree.time ? lastTimestamp : run.builder.tree.time;
      const at = cmd.at ?? end;
      const tree = cmd.at === undefined ? run.builder.tree : (run.builder.history.at(at) ?? run.builder.tree);
      io.stdout.write(renderTreeAs(tree, at, format, run.builder.artifacts));
    }
    return finishRun(run, { failed: !complete });
  });
}
