/**
 * Builds a {@link Finding} from a signature's metadata and the triggering enriched event.
 *
 * @module
 */
import type { EnrichedEnvelope } from '../operators/enrich.js';
import type { Finding, FindingEvent, SignatureMetadata } from './types.js';

/**
 * A finding for `event`: `Event` is the original Tracee event (its fields untouched) with the
 * tree context as of its timestamp under `proctree`; `Data` is `data` (default `{}`).
 * The context stays lazy: nothing is computed until read or serialised.
 *
 * @example
 * ```ts
 * import { createFinding } from 'proctree-rx';
 * const f = createFinding(META, enriched, { pathname: '/tmp/x' });
 * f.Event.hostProcessId; // the triggering task
 * f.Event.proctree.process?.executionBinary.path;
 * ```
 */
export function createFinding(metadata: SignatureMetadata, event: EnrichedEnvelope, data: Readonly<Record<string, unknown>> = {}): Finding {
  const Event: FindingEvent = { ...event.event, proctree: event.context };
  return { SigMetadata: metadata, Event, Data: data, envelope: event };
}
