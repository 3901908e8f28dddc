/**
 * One finding → one NDJSON line, Tracee's `detect.Finding` shape with exact numbers.
 *
 * @module
 */
import { eventContextJson } from '../operators/eventContextJson.js';
import { stringifyExact } from '../streams/exactNumbers.js';
import type { Envelope } from '../streams/types.js';
import type { Finding, SignatureMetadata } from './types.js';

const s = JSON.stringify;

/** Tracee's `SignatureMetadata` keys (Go struct, no JSON tags: capitalised). */
const metadataJson = (m: SignatureMetadata): string =>
  `{"ID":${s(m.id)},"Version":${s(m.version)},"Name":${s(m.name)},"EventName":${s(m.eventName ?? m.id)},` +
  `"Description":${s(m.description)},"Tags":${s(m.tags)},"Properties":${stringifyExact(m.properties)}}`;

/** The event's own JSON with `"proctree":…` added as its last key; digit-exact when the raw line is known. */
const eventJson = (env: Envelope, proctree: string): string => {
  let body: string;
  if (env.raw !== undefined && env.raw.trimEnd().endsWith('}')) {
    body = env.raw.trimEnd().slice(0, -1);
  } else {
    const exact: Record<string, unknown> = { ...(env.event as unknown as Record<string, unknown>), timestamp: env.timestamp };
    if ('threadStartTime' in env.event) exact['threadStartTime'] = env.threadStartTime;
    body = stringifyExact(exact).slice(0, -1);
  }
  const empty = body.trim() === '{';
  return `${body}${empty ? '' : ','}"proctree":${proctree}}`;
};

/**
 * Serialises a finding as one JSON line (no newline):
 * `{"SigMetadata":{"ID",…,"Properties"},"Event":{…the event's own fields…,"proctree":{…}},"Data":{…}}`.
 *
 * The triggering event is spliced from its raw line, so its fields (and their order) are exactly
 * as read, big integers included; the tree context and `Data` use exact integer ns (`bigint`s are
 * written as integer literals).
 *
 * @example
 * ```ts
 * import { findingToJson } from 'proctree-rx';
 * findings$.subscribe((f) => process.stdout.write(findingToJson(f) + '\n'));
 * ```
 */
export function findingToJson(f: Finding): string {
  return `{"SigMetadata":${metadataJson(f.SigMetadata)},"Event":${eventJson(f.envelope, eventContextJson(f.Event.proctree))},"Data":${stringifyExact(f.Data)}}`;
}
