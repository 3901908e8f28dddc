/**
 * `proctree-rx [enrich] [FILE…]`: every event out, digit for digit, with its process context.
 *
 * @module
 */
import type { EnrichCommand } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { guardInputErrors, startEventRun, writeRunOutput } from './pipeline.js';

/**
 * Runs `enrich`: reads the inputs, orders them, feeds the tree and writes every event as its raw
 * input line with one key added before the final `}`:
 * `"proctree":{"version":N,"process":{…}|null,"thread":{…}|null,"ancestors":[{…},…]}` — the
 * process, thread and up to 5 ancestors as of the event's own timestamp (after the event itself
 * was applied; exact integer ns). With `--proctree source=none` lines pass through unchanged.
 *
 * Output goes through `writeNdjson` with the readers' FlowControl (backpressure); a reader that
 * goes away (`| head`) ends the run quietly with exit 0.
 *
 * @returns the exit code: 0, or 1 on failure or (with `--strict`) bad lines.
 * @example
 * ```sh
 * proctree-rx capture.ndjson > enriched.ndjson
 * tracee --output json | proctree-rx enrich
 * ```
 */
export function runEnrich(cmd: EnrichCommand, io: CliIo): Promise<number> {
  return guardInputErrors(io, async () => {
    // enrichment reads the current version; a short history keeps old versions from piling up in the heap
    const run = await startEventRun(cmd, io, { history: { maxVersions: 64 } });
    return writeRunOutput(run, run.pipeline.lines$);
  });
}
