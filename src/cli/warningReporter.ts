/**
 * Signature warnings as the CLI reports them.
 *
 * @module
 */
import type { EnrichedEnvelope } from '../operators/enrich.js';
import type { SignatureWarning } from '../signatures/types.js';
import type { EventRun } from './pipeline.js';
import { headOf } from '../streams/types.js';

/**
 * Signature warnings (malformed events worked around) as `FILE:LINE: warning:` issues, each
 * reason once per event however many signatures met it.
 */
export function warningReporter(run: EventRun): (w: SignatureWarning) => void {
  let lastEvent: EnrichedEnvelope | undefined;
  const reasons = new Set<string>();
  return (w) => {
    if (w.event !== lastEvent) {
      lastEvent = w.event;
      reasons.clear();
    }
    if (reasons.has(w.reason)) return;
    reasons.add(w.reason);
    run.issues.report({ origin: w.event.origin, reason: `${headOf(w.event).eventName}: ${w.reason} (ignored by the signatures)`, severity: 'warning' });
  };
}
