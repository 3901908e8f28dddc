/**
 * An event's arguments by name, read without parsing the whole line when its layout allows.
 *
 * @module
 */
import { isArgList, type Envelope } from './types.js';

/** Arguments of one event by name (the last of a repeated name wins, as `JSON.parse` of an object would). */
export type ArgsByName = ReadonlyMap<string, unknown>;

const NO_ARGS: ArgsByName = new Map<string, unknown>();

/**
 * `args` entries → name → value (only `wanted` names when given); malformed entries (null, no
 * name) are left out. The one by-name reader of a parsed `args` list (the lifecycle readers use it).
 */
export function argsByName(args: unknown, wanted?: ReadonlySet<string>): ArgsByName {
  if (!isArgList(args) || args.length === 0) return NO_ARGS;
  const out = new Map<string, unknown>();
  for (const a of args) {
    if (typeof a !== 'object' || a === null) continue;
    const name = (a as { name?: unknown }).name;
    if (typeof name === 'string' && (wanted === undefined || wanted.has(name))) out.set(name, (a as { value?: unknown }).value);
  }
  return out;
}

const ARGS_KEY = ',"args":[';
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COLON = 58;
const COMMA = 44;

/** Index just after the string opening at `i`. */
function skipString(t: string, i: number): number {
  let p = i + 1;
  for (;;) {
    const q = t.indexOf('"', p);
    if (q < 0) return t.length;
    // count the backslashes before the quote: an odd number escapes it
    let b = q - 1;
    while (b >= p && t.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    p = q + 1;
  }
}

/** A JSON value's text → its value (a string without escapes is sliced, not parsed). */
function valueOf(text: string): unknown {
  const c = text.charCodeAt(0);
  if (c === QUOTE && text.indexOf('\\') < 0 && text.length >= 2) return text.slice(1, -1);
  return JSON.parse(text);
}

/**
 * The `wanted` arguments of Tracee's layout, `[{"name":…,"type":…,"value":…},…]`, from the text of
 * the array (`text[start]` is its `[`, `text[end - 1]` its `]`), or `undefined` when the text is
 * not that layout (then the caller parses). Exact for that layout: strings are skipped as
 * strings, depths are tracked, and each wanted value is parsed on its own.
 */
function scanArgs(text: string, start: number, end: number, wanted: ReadonlySet<string>): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  if (text.charCodeAt(start) !== OPEN_BRACKET) return undefined;
  let i = start + 1;
  for (;;) {
    let c = text.charCodeAt(i);
    if (c === CLOSE_BRACKET) return i === end - 1 ? out : undefined;
    if (c !== OPEN_BRACE) return undefined;
    // one argument object: "key":value members, compact
    let name: string | undefined;
    let valueStart = -1;
    let valueEnd = -1;
    i++;
    for (;;) {
      if (text.charCodeAt(i) !== QUOTE) return undefined;
      const after = skipString(text, i);
      if (text.charCodeAt(after) !== COLON) return undefined;
      // the key, compared in place (no slice per member)
      const keyLength = after - i - 2;
      const v = after + 1;
      const ve = memberEnd(text, v, end);
      if (ve < 0) return undefined;
      if (keyLength === 4 && text.startsWith('name', i + 1)) {
        if (text.charCodeAt(v) !== QUOTE) return undefined;
        name = text.slice(v + 1, ve - 1);
        if (name.includes('\\')) return undefined;
      } else if (keyLength === 5 && text.startsWith('value', i + 1)) {
        valueStart = v;
        valueEnd = ve;
      }
      i = ve;
      c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c !== CLOSE_BRACE) return undefined;
      i++;
      break;
    }
    if (name !== undefined && wanted.has(name)) {
      try {
        out.set(name, valueStart < 0 ? undefined : valueOf(text.slice(valueStart, valueEnd)));
      } catch {
        return undefined;
      }
    }
    c = text.charCodeAt(i);
    if (c === COMMA) i++;
    else if (c !== CLOSE_BRACKET) return undefined;
  }
}

/** Index just after the value starting at `i` (no whitespace expected: Tracee's compact layout), or -1. */
function memberEnd(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    let p = i;
    while (p < end) {
      const d = text.charCodeAt(p);
      if (d === QUOTE) {
        p = skipString(text, p);
        continue;
      }
      if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return p + 1;
      }
      p++;
    }
    return -1;
  }
  let p = i;
  while (p < end) {
    const d = text.charCodeAt(p);
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET) return p;
    p++;
  }
  return -1;
}

/** Index of the in-place name among `names` (length, then characters compared in `text`), or -1. */
function nameIndex(text: string, start: number, end: number, names: readonly string[]): number {
  const length = end - start;
  for (let k = 0; k < names.length; k++) {
    const n = names[k]!;
    if (n.length === length && text.startsWith(n, start)) return k;
  }
  return -1;
}

/**
 * Where the values of `names` sit in Tracee's layout of a raw line's `args` (the last member of
 * the line, as Tracee prints it), without allocating: `out[2k]` / `out[2k + 1]` become the start
 * and end (exclusive) in `raw` of the value text of `names[k]` (the last one when repeated), `-1`
 * / `-1` when the name is absent. Returns `false` (and `out` is then meaningless) when the line is
 * not that layout (main's v1beta1 `data`, spaces, escaped names, …): read {@link argsOf} then. The
 * same scan as {@link argsOf}'s (exact for the layout: strings skipped as strings, depths tracked).
 *
 * @example
 * ```ts
 * import { argRanges } from './argsOf.js';
 * const at = new Int32Array(2);
 * if (env.raw !== undefined && argRanges(env.raw, ['pathname'], at) && at[0]! >= 0) console.log(env.raw.slice(at[0], at[1]));
 * ```
 */
export function argRanges(raw: string, names: readonly string[], out: Int32Array): boolean {
  out.fill(-1, 0, 2 * names.length);
  const last = raw.length - 1;
  if (raw.charCodeAt(last) !== CLOSE_BRACE || raw.charCodeAt(last - 1) !== CLOSE_BRACKET) return false;
  // the key searched forward from near the end first (V8's forward search is the faster): a
  // match that is not the array ending the line fails the scan, then the last match is scanned
  const near = raw.indexOf(ARGS_KEY, raw.length > ARGS_NEAR ? raw.length - ARGS_NEAR : 0);
  if (near > 0 && scanRanges(raw, near + ARGS_KEY.length, last, names, out)) return true;
  const at = raw.lastIndexOf(ARGS_KEY);
  if (at <= 0 || at === near) return false;
  out.fill(-1, 0, 2 * names.length);
  return scanRanges(raw, at + ARGS_KEY.length, last, names, out);
}

/** How far from a line's end `argRanges` looks for its `args` key first (an open's args are ~250 characters). */
const ARGS_NEAR = 512;
const ARG_NAME = '{"name":"';
const ARG_TYPE = '","type":"';
const ARG_VALUE = ',"value":';

/** `argRanges`' scan of the array whose first element starts at `i`, up to `end` (the line's closing brace). */
function scanRanges(raw: string, i: number, end: number, names: readonly string[], out: Int32Array): boolean {
  for (;;) {
    let c = raw.charCodeAt(i);
    if (c === CLOSE_BRACKET) return i === end - 1;
    if (c !== OPEN_BRACE) return false;
    let k = -2;
    let valueStart = -1;
    let valueEnd = -1;
    const shaped = shapedArg(raw, i, end);
    if (shaped > 0) {
      // Tracee's shape, {"name":"…","type":"…","value":…}: a few literal checks
      k = nameIndex(raw, i + ARG_NAME.length, shapedNameEnd, names);
      valueStart = shapedValueStart;
      valueEnd = shaped - 1;
      i = shaped;
    } else {
      i++;
      for (;;) {
        if (raw.charCodeAt(i) !== QUOTE) return false;
        const after = skipString(raw, i);
        if (raw.charCodeAt(after) !== COLON) return false;
        const keyLength = after - i - 2;
        const v = after + 1;
        const ve = memberEnd(raw, v, end);
        if (ve < 0) return false;
        if (keyLength === 4 && raw.startsWith('name', i + 1)) {
          if (raw.charCodeAt(v) !== QUOTE) return false;
          // an escaped name is not compared in place: the caller parses
          for (let p = v + 1; p < ve - 1; p++) if (raw.charCodeAt(p) === BACKSLASH) return false;
          k = nameIndex(raw, v + 1, ve - 1, names);
        } else if (keyLength === 5 && raw.startsWith('value', i + 1)) {
          valueStart = v;
          valueEnd = ve;
        }
        i = ve;
        c = raw.charCodeAt(i);
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c !== CLOSE_BRACE) return false;
        i++;
        break;
      }
    }
    if (k >= 0) {
      out[2 * k] = valueStart;
      out[2 * k + 1] = valueEnd;
    }
    c = raw.charCodeAt(i);
    if (c === COMMA) i++;
    else if (c !== CLOSE_BRACKET) return false;
  }
}

/** Where `shapedArg` found the name's closing quote and the value's start. */
let shapedNameEnd = 0;
let shapedValueStart = 0;

/**
 * When the argument object at `i` has exactly Tracee's shape — `{"name":"N","type":"T","value":V}`
 * with no escape in N — the index just after its closing brace (and the name's end and the value's
 * start in `shapedNameEnd` / `shapedValueStart`); else -1 (read it member by member).
 */
function shapedArg(raw: string, i: number, end: number): number {
  if (!raw.startsWith(ARG_NAME, i)) return -1;
  const nameEnd = raw.indexOf('"', i + ARG_NAME.length);
  if (nameEnd < 0 || !raw.startsWith(ARG_TYPE, nameEnd)) return -1;
  for (let p = i + ARG_NAME.length; p < nameEnd; p++) if (raw.charCodeAt(p) === BACKSLASH) return -1;
  const typeEnd = skipString(raw, nameEnd + ARG_TYPE.length - 1);
  if (!raw.startsWith(ARG_VALUE, typeEnd)) return -1;
  const valueStart = typeEnd + ARG_VALUE.length;
  const ve = memberEnd(raw, valueStart, end);
  if (ve < 0 || raw.charCodeAt(ve) !== CLOSE_BRACE) return -1;
  shapedNameEnd = nameEnd;
  shapedValueStart = valueStart;
  return ve + 1;
}

/**
 * The value whose text is `raw[start, end)` (a string without escapes is sliced, not parsed);
 * `undefined` when `start < 0` (absent) or the text is not JSON.
 */
export function valueIn(raw: string, start: number, end: number): unknown {
  if (start < 0) return undefined;
  if (raw.charCodeAt(start) === QUOTE) {
    let plain = end - start >= 2;
    for (let p = start + 1; plain && p < end - 1; p++) if (raw.charCodeAt(p) === BACKSLASH) plain = false;
    if (plain) return raw.slice(start + 1, end - 1);
  }
  try {
    return JSON.parse(raw.slice(start, end)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The arguments of `env`'s event by name (tracee-versions.md §2.2: read by name, ignore unknown
 * and extra ones), only the `wanted` ones when given. Tracee prints `args` as the last member of
 * a line; for such a line only that member's text is read, and only the wanted values are
 * parsed (cheaper than parsing the line, for the bulk of a capture). Any other spelling or layout
 * (main's v1beta1 `data`, spaces, a nested look-alike) falls back to the parsed event, so the
 * answer is always that of `env.event.args`. Values are as `JSON.parse` gives them (64-bit
 * numbers may be rounded: read those from the raw line when they matter). Never throws.
 *
 * @example
 * ```ts
 * import { argsOf } from './argsOf.js';
 * const path = argsOf(env, new Set(['pathname'])).get('pathname'); // unknown: check its type
 * ```
 */
export function argsOf(env: Envelope, wanted?: ReadonlySet<string>): ArgsByName {
  const raw = env.raw;
  if (raw !== undefined && raw.charCodeAt(raw.length - 1) === CLOSE_BRACE) {
    const at = raw.lastIndexOf(ARGS_KEY);
    // a bare quote cannot occur inside a JSON string, so this is a member; it is the top-level
    // `args` exactly when the array ends the line
    if (at > 0) {
      const start = at + ARGS_KEY.length - 1;
      if (wanted !== undefined && raw.charCodeAt(raw.length - 2) === CLOSE_BRACKET) {
        const fast = scanArgs(raw, start, raw.length - 1, wanted);
        if (fast !== undefined) return fast;
      }
      try {
        const parsed: unknown = JSON.parse(raw.slice(start, raw.length - 1));
        if (Array.isArray(parsed)) return argsByName(parsed, wanted);
      } catch {
        // not the top-level member: read the parsed event
      }
    }
  }
  try {
    return argsByName((env.event as { args?: unknown }).args, wanted);
  } catch {
    return NO_ARGS;
  }
}
