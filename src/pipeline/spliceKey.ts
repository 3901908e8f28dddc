/**
 * Adding one key to an event's raw line, digit-exact: how `"proctree"` joins each output line.
 *
 * @module
 */
import { stringifyExact } from '../streams/exactNumbers.js';
import { topLevelMember, withoutTopLevelMember } from '../streams/topLevelKey.js';
import type { Envelope } from '../streams/types.js';

/**
 * The event's raw line with `,"key":value` spliced in before its final `}` (digit-exact), as
 * pieces to be written one after another: the raw line's two sides are slices of it (no copy) and
 * `value` is passed on as given, so no line-sized string is ever built (see {@link writeNdjson}).
 */
export function spliceKeyPieces(env: Envelope, key: string, value: string | readonly string[]): string[] {
  const given = env.raw ?? stringifyExact({ ...env.event, timestamp: env.timestamp, threadStartTime: env.threadStartTime });
  // a line that has the key already (an enriched line enriched again) gets it replaced, not twice
  let raw = given;
  let at = splicePoint(raw, key);
  if (at.end === -1) {
    raw = withoutTopLevelMember(given, key);
    at = splicePoint(raw, key);
  }
  const { end, empty } = at;
  const head = raw.slice(0, end);
  const tail = end === raw.length - 1 ? '}' : raw.slice(end);
  const keyText = empty ? `"${key}":` : `,"${key}":`;
  return typeof value === 'string' ? [head, keyText, value, tail] : [head, keyText, ...value, tail];
}

/**
 * Where a key goes into a raw event line: before its final `}` (`end`, its index), and whether the
 * object is empty there (`{ }`: then the key takes no comma before it).
 *
 * When the line already ends with the key as its last top-level member (proctree-rx's own output,
 * enriched again), `end` is -1: it cannot simply be added, {@link spliceKeyPieces} replaces it.
 * Only a line whose last member is an object (`…}}`) is searched for the key, so Tracee's lines
 * (which end with their `args` array) cost one character test.
 */
export function splicePoint(raw: string, key = 'proctree'): { readonly end: number; readonly empty: boolean } {
  const end = raw.lastIndexOf('}');
  let p = end - 1;
  while (p >= 0 && (raw.charCodeAt(p) === 32 || raw.charCodeAt(p) === 9)) p--;
  const before = raw.charCodeAt(p);
  if (before === 125 /* } */ && topLevelMember(raw, key) !== undefined) return { end: -1, empty: false };
  return { end, empty: before === 123 /* { */ };
}

/** The event's raw line with `,"key":value` spliced in before its final `}` (digit-exact), as one string. */
export const spliceKey = (env: Envelope, key: string, value: string): string => spliceKeyPieces(env, key, value).join('');
