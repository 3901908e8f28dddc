/**
 * Text from the input made safe for a terminal.
 *
 * @module
 */

/**
 * C0 controls (tab and newline included: a reported line must stay one line), DEL, C1 controls,
 * and the Unicode bidirectional overrides and isolates that can make a terminal show text in
 * another order than it was written.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const hex = (code: number, width: number): string => code.toString(16).padStart(width, '0');

/** One unsafe character written as an escape: `\n`, `\t`, `\r`, `\xNN` below U+0100, else `\uNNNN`. */
function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 0x0a) return '\\n';
  if (code === 0x09) return '\\t';
  if (code === 0x0d) return '\\r';
  return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

/**
 * `text` with every control character (C0 including tab and newline, DEL, C1) and every
 * bidirectional override or isolate written as a visible escape (`\x1b`, `\n`, `\u202e`), so that
 * text taken from the input (event names, JSON error excerpts, file names) cannot move the cursor,
 * recolour, retitle or reorder a terminal that shows stderr. A backslash is left as it is. Text
 * without such characters is returned as given (same string).
 *
 * @example
 * ```ts
 * import { escapeControl } from './escapeControl.js';
 * escapeControl('bad \u001b[2J name'); // 'bad \\x1b[2J name'
 * ```
 */
export function escapeControl(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, escapeOne);
}
