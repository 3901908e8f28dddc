/**
 * `proctree-rx findings [--signatures ID,…] [--signature-module FILE]… [FILE…]`: detection
 * signatures over the enriched stream.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { map, tap } from 'rxjs';
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { enrich } from '../operators/enrich.js';
import { builtinSignatures, DEFAULT_SIGNATURE_IDS } from '../signatures/builtin/builtinSignatures.js';
import { findingToJson } from '../signatures/findingToJson.js';
import { runSignatures } from '../signatures/runSignatures.js';
import type { AnySignature, SignatureWarning } from '../signatures/types.js';
import type { FindingsCommand } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { ExitCode } from './exitCodeFor.js';
import { loadSignatureModules } from './loadSignatureModules.js';
import { ENRICH_MAX_DEPTH, guardInputErrors, startEventRun, writeRunOutput, type EventRun } from './pipeline.js';
import { SignatureErrorReporter } from './SignatureErrorReporter.js';

/**
 * Signature warnings (malformed events worked around) as `FILE:LINE: warning:` issues, each
 * reason once per event however many signatures met it.
 */
function warningReporter(run: EventRun): (w: SignatureWarning) => void {
  let lastEvent: EnrichedEnvelope | undefined;
  const reasons = new Set<string>();
  return (w) => {
    if (w.event !== lastEvent) {
      lastEvent = w.event;
      reasons.clear();
    }
    if (reasons.has(w.reason)) return;
    reasons.add(w.reason);
    run.issues.report({ origin: w.event.origin, reason: `${w.event.event.eventName}: ${w.reason} (ignored by the signatures)`, severity: 'warning' });
  };
}

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
  const loaded = await loadSignatureModules(cmd.signatureModules, process.cwd(), Object.keys(builtinSignatures));
  if (E.isLeft(loaded)) {
    io.stderr.write(`proctree-rx: --signature-module ${loaded.left}\n`);
    return ExitCode.usage;
  }
  const fromModules = new Map(loaded.right.map((m) => [m.id, m.signature]));
  const known = [...Object.keys(builtinSignatures), ...fromModules.keys()];
  const ids = cmd.signatures ?? [...DEFAULT_SIGNATURE_IDS, ...fromModules.keys()];
  const unknown = ids.filter((id) => !Object.hasOwn(builtinSignatures, id) && !fromModules.has(id));
  if (unknown.length > 0) {
    const hint = cmd.signatureModules.length === 0 ? ' (to run your own, load them with --signature-module FILE)' : '';
    io.stderr.write(`proctree-rx: unknown signature ${unknown.join(', ')}; known signatures: ${known.join(', ')}${hint}\n`);
    return ExitCode.usage;
  }
  if (cmd.proctree.source === 'none') {
    io.stderr.write('proctree-rx: findings needs a process tree; use --proctree source=events, signals or both\n');
    return ExitCode.usage;
  }
  const signatures: AnySignature[] = [...new Set(ids)].map((id) => fromModules.get(id) ?? builtinSignatures[id]!());
  return guardInputErrors(io, async () => {
    const run = await startEventRun(cmd, io);
    const errors = new SignatureErrorReporter(io.stderr);
    let findings = 0;
    const lines$ = run.events$.pipe(
      enrich({ builder: run.builder, maxDepth: ENRICH_MAX_DEPTH }),
      runSignatures(signatures, { dataSource: run.builder.dataSource(), onError: errors.report, onWarning: warningReporter(run) }),
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
