/**
 * `proctree-rx findings [--signatures ID,…] [--signature-module FILE]… [FILE…]`: detection
 * signatures over the enriched stream.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { map, tap } from 'rxjs';
import { findingToJson } from '../signatures/findingToJson.js';
import { needsArtifacts } from '../signatures/types.js';
import type { FindingsCommand } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { ExitCode } from './exitCodeFor.js';
import { resolveSignatures } from './resolveSignatures.js';
import { warningReporter } from './warningReporter.js';
import { guardInputErrors, startEventRun, writeRunOutput } from './pipeline.js';
import { SignatureErrorReporter } from './SignatureErrorReporter.js';

/**
 * Runs `findings`: the same ordered, enriched stream as `enrich`, fed to signatures, each finding
 * printed as one NDJSON line (`findingToJson`: Tracee's `detect.Finding` shape, the triggering
 * event digit-exact with its `"proctree"` context). Signatures query the same tree through
 * `builder.dataSource()`.
 *
 * Which signatures: `--signatures ID,…` picks among the built-ins and those of the
 * `--signature-module` files; without it, the default built-ins (`DEFAULT_SIGNATURE_IDS`: the
 * detections, not the `PROCTREE_DATA_SOURCE` self-check) and every module signature run. An
 * unknown id, or a module that cannot be loaded or exports no signature, is a usage error
 * (exit 2) saying why.
 *
 * A signature that throws does not stop the run: each error is printed as
 * `signature ID failed on FILE:LINE: …`, counted in the summary, and the exit code is 1 at the
 * end. Malformed events the signatures worked around are `FILE:LINE: warning:` lines.
 *
 * @returns the exit code.
 * @example
 * ```sh
 * proctree-rx findings --signatures PRX-001,PRX-002 capture.ndjson
 * proctree-rx findings --signature-module ./rules.js capture.ndjson
 * ```
 */
export async function runFindings(cmd: FindingsCommand, io: CliIo): Promise<number> {
  const chosen = await resolveSignatures(cmd);
  if (E.isLeft(chosen)) {
    io.stderr.write(`proctree-rx: ${chosen.left}\n`);
    return ExitCode.usage;
  }
  if (cmd.proctree.source === 'none') {
    io.stderr.write('proctree-rx: findings needs a process tree; use --proctree source=events, signals or both\n');
    return ExitCode.usage;
  }
  const signatures = chosen.right;
  return guardInputErrors(io, async () => {
    // artifacts only when a chosen signature reads them (PRX-005, PRX-006)
    const run = await startEventRun(cmd, io, needsArtifacts(signatures) ? { artifacts: true } : {});
    const errors = new SignatureErrorReporter(io.stderr);
    let findings = 0;
    const lines$ = run.pipeline.findings(signatures, { onError: errors.report, onWarning: warningReporter(run) }).pipe(
      tap(() => findings++),
      map(findingToJson),
    );
    return writeRunOutput(run, lines$, {
      findings: () => findings,
      signatureErrors: () => {
        errors.finish();
        return errors.count;
      },
    });
  });
}
