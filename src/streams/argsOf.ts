/**
 * An event's arguments by name, read without parsing the whole line when its layout allows.
 *
 * @module
 */
import { isArgList, type Envelope } from './types.js';

/** Arguments of one event by name (the last of a repeated name wins, as Tracee's own lookup does). */
export type ArgsByName = ReadonlyMap<string, unknown>;

const NO_ARGS: ArgsByName = new Map<string, unknown>();

/** `args` entries → name → value; malformed entries (null, no name) are left out. */
function byName(args: unknown): ArgsByName {
  if (!isArgList(args) || args.length === 0) return NO_ARGS;
  const out = new Map<string, unknown>();
  for (const a of args) {
    if (typeof a !== 'object' || a === null) continue;
    const name = (a as { name?: unknown }).name;
    if (typeof name === 'string') out.set(name, (a as { value?: unknown }).value);
  }
  return out;
}

const ARGS_KEY = ',"args":[';

/**
 * The arguments of `env`'s event by name (tracee-versions.md §2.2: read by name, ignore unknown
 * and extra ones). Tracee prints `args` as the last member of a line; for such a line only that
 * member's text is parsed (not the whole line: cheaper for the bulk of a capture). Any other
 * spelling or layout (main's v1beta1 `data`, spaces, a nested look-alike) falls back to the parsed
 * event, so the answer is always the one of `env.event.args`. Values are as `JSON.parse` gives them
 * (64-bit numbers may be rounded: read those from the raw line when they matter). Never throws.
 *
 * @example
 * ```ts
 * import { argsOf } from './argsOf.js';
 * const path = argsOf(env).get('pathname'); // unknown: check its type
 * ```
 */
export function argsOf(env: Envelope): ArgsByName {
  const raw = env.raw;
  if (raw !== undefined && raw.charCodeAt(raw.length - 1) === 125 /* } */) {
    const at = raw.lastIndexOf(ARGS_KEY);
    // a bare quote cannot occur inside a JSON string, so this is a member; it is the top-level
    // `args` exactly when the array ends the line (else the parse fails and the slow path reads it)
    if (at > 0) {
      try {
        const parsed: unknown = JSON.parse(raw.slice(at + ARGS_KEY.length - 1, raw.length - 1));
        if (Array.isArray(parsed)) return byName(parsed);
      } catch {
        // not the top-level member: read the parsed event
      }
    }
  }
  try {
    return byName((env.event as { args?: unknown }).args);
  } catch {
    return NO_ARGS;
  }
}
