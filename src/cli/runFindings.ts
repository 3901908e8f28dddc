/**
 * `proctree-rx findings [--signatures ID,…] [FILE…]`: detection signatures over the enriched stream.
 *
 * @module
 */
import { map, tap } from 'rxjs';
import { enrich } from '../operators/enrich.js';
import { builtinSignatures } from '../signatures/builtin/builtinSignatures.js';
import { findingToJson } from '../signatures/findingToJson.js';
import { runSignatures } from '../signatures/runSignatures.js';
import type { AnySignature } from '../signatures/types.js';
import type { FindingsCommand } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { ExitCode } from './exitCodeFor.js';
import { ENRICH_MAX_DEPTH, guardInputErrors, startEventRun, writeRunOutput } from './pipeline.js';

/**
 * Runs `findings`: the same ordered, enriched stream as `enrich`, fed to the built-in signatures
 * (`--signatures ID,…`, default all; see `builtinSignatures`), each finding printed as one NDJSON
 * line (`findingToJson`: Tracee's `detect.Finding` shape, the triggering event digit-exact with
 * its `"proctree"` context). Signatures query the same tree through `builder.dataSource()`.
 * A signature that throws is reported as a warning and the run goes on. An unknown id is a usage
 * error (exit 2) listing the known ones.
 *
 * @returns the exit code.
 * @example
 * ```sh
 * proctree-rx findings --signatures PRX-001,PRX-002 capture.ndjson
 * ```
 */
export function runFindings(cmd: FindingsCommand, io: CliIo): Promise<number> {
  const known = Object.keys(builtinSignatures);
  const ids = cmd.signatures ?? known;
  const unknown = ids.filter((id) => !Object.hasOwn(builtinSignatures, id));
  if (unknown.length > 0) {
    io.stderr.write(`proctree-rx: unknown signature ${unknown.join(', ')}; known signatures: ${known.join(', ')}\n`);
    return Promise.resolve(ExitCode.usage);
  }
  if (cmd.proctree.source === 'none') {
    io.stderr.write('proctree-rx: findings needs a process tree; use --proctree source=events, signals or both\n');
    return Promise.resolve(ExitCode.usage);
  }
  const signatures: AnySignature[] = ids.map((id) => builtinSignatures[id]!());
  return guardInputErrors(io, async () => {
    const run = await startEventRun(cmd, io);
    let findings = 0;
    const lines$ = run.events$.pipe(
      enrich({ builder: run.builder, maxDepth: ENRICH_MAX_DEPTH }),
      runSignatures(signatures, {
        dataSource: run.builder.dataSource(),
        onError: (err, where, event) =>
          run.issues.report({
            origin: event?.origin ?? { source: '<signatures>', line: 0 },
            reason: `a signature failed in ${where}: ${err instanceof Error ? err.message : String(err)}`,
            severity: 'warning',
          }),
      }),
      tap(() => findings++),
      map(findingToJson),
    );
    return writeRunOutput(run, lines$, { findings: () => findings });
  });
}
