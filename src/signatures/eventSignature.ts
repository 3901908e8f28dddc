/**
 * The simplest RxJS-native signature: one event in, at most one finding out.
 *
 * @module
 */
import { filter, map, type OperatorFunction } from 'rxjs';
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { createFinding } from './createFinding.js';
import type { Finding, SignatureEnv, SignatureMetadata, SignatureOperator } from './types.js';
import { headOf } from '../streams/types.js';

/**
 * A {@link SignatureOperator} from a per-event test: keeps events named in `events` (all when
 * empty), calls `detect`, and emits a finding with the returned data when it returns an object.
 *
 * @example
 * ```ts
 * import { eventSignature } from 'proctree-rx';
 * const ncSig = eventSignature(META, ['sched_process_exec'], (e) =>
 *   e.context.process?.name === 'nc' ? { argv: e.context.process.cmd } : undefined);
 * ```
 */
export function eventSignature(
  metadata: SignatureMetadata,
  events: readonly string[],
  detect: (event: EnrichedEnvelope, env: SignatureEnv) => Readonly<Record<string, unknown>> | undefined,
): SignatureOperator {
  const names = new Set(events);
  return {
    metadata,
    operator:
      (env): OperatorFunction<EnrichedEnvelope, Finding> =>
      (events$) =>
        events$.pipe(
          filter((e) => names.size === 0 || names.has(headOf(e).eventName)),
          map((e) => {
            const data = detect(e, env);
            return data === undefined ? undefined : createFinding(metadata, e, data);
          }),
          filter((f): f is Finding => f !== undefined),
        ),
  };
}
