/**
 * Finding one top-level key of a JSON object line by its text, without parsing the line.
 *
 * @module
 */

/** Where a top-level `"key":value` member sits in a JSON object text. */
export interface MemberSpan {
  /** Index of the member's first character (its key's opening quote). */
  readonly start: number;
  /** Index just after its value. */
  readonly end: number;
  /** Index of the value's first character. */
  readonly valueStart: number;
}

const QUOTE = 34; // "
const BACKSLASH = 92; // \
const OPEN_BRACE = 123; // {
const CLOSE_BRACE = 125; // }
const OPEN_BRACKET = 91; // [
const CLOSE_BRACKET = 93; // ]
const COLON = 58; // :
const COMMA = 44; // ,

/** Index just after the string that opens at `i` (a `"`). */
const skipString = (text: string, i: number): number => {
  let p = i + 1;
  while (p < text.length) {
    const c = text.charCodeAt(p);
    if (c === BACKSLASH) p += 2;
    else if (c === QUOTE) return p + 1;
    else p++;
  }
  return p;
};

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The span of the **last** top-level member named `key` of the JSON object `text`, or
 * `undefined` when it has none (or `text` is not an object). Strings are skipped as strings, so
 * the key's spelling inside a value never matches. O(length of the line); no parse.
 *
 * @example
 * ```ts
 * import { topLevelMember } from './topLevelKey.js';
 * const line = '{"a":1,"proctree":{"version":2}}';
 * const m = topLevelMember(line, 'proctree'); // { start: 7, valueStart: 18, end: 31 }
 * ```
 */
export function topLevelMember(text: string, key: string): MemberSpan | undefined {
  const quoted = `"${key}"`;
  // most lines do not contain it at all: one fast scan decides
  if (!text.includes(quoted)) return undefined;
  let depth = 0;
  let found: MemberSpan | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const after = skipString(text, i);
      if (depth === 1 && text.startsWith(quoted, i) && after === i + quoted.length) {
        let p = after;
        while (p < text.length && isSpace(text.charCodeAt(p))) p++;
        if (text.charCodeAt(p) === COLON) {
          p++;
          while (p < text.length && isSpace(text.charCodeAt(p))) p++;
          const valueStart = p;
          const end = valueEnd(text, p);
          found = { start: i, valueStart, end };
          i = end;
          continue;
        }
      }
      i = after;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    i++;
  }
  return found;
}

/** Index just after the JSON value that starts at `i`. */
function valueEnd(text: string, i: number): number {
  let depth = 0;
  let p = i;
  while (p < text.length) {
    const c = text.charCodeAt(p);
    if (c === QUOTE) {
      p = skipString(text, p);
      if (depth === 0) return p;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) return p; // the end of the enclosing object: a bare value ended
      depth--;
      if (depth === 0) return p + 1;
    } else if (depth === 0 && (c === COMMA || isSpace(c))) return p;
    p++;
  }
  return p;
}

/**
 * `text` without its top-level member `key` (and the comma that joined it), or `text` itself when
 * it has none.
 *
 * @example
 * ```ts
 * import { withoutTopLevelMember } from './topLevelKey.js';
 * withoutTopLevelMember('{"a":1,"proctree":{"version":2}}', 'proctree'); // '{"a":1}'
 * ```
 */
export function withoutTopLevelMember(text: string, key: string): string {
  let out = text;
  for (let m = topLevelMember(out, key); m !== undefined; m = topLevelMember(out, key)) {
    // the comma before it, else the one after it
    let before = m.start - 1;
    while (before >= 0 && isSpace(out.charCodeAt(before))) before--;
    if (out.charCodeAt(before) === COMMA) {
      out = out.slice(0, before) + out.slice(m.end);
      continue;
    }
    let after = m.end;
    while (after < out.length && isSpace(out.charCodeAt(after))) after++;
    out = out.charCodeAt(after) === COMMA ? out.slice(0, m.start) + out.slice(after + 1) : out.slice(0, m.start) + out.slice(m.end);
  }
  return out;
}
