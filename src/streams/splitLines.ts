/**
 * The NDJSON line splitter behind {@link fromNdjson} and {@link envelopeParser}: bytes in, lines out.
 *
 * It splits on the `\n` *byte* (`Buffer#indexOf`, a native memchr), so a multi-byte UTF-8
 * character split across chunks is reassembled before decoding (UTF-8 never has a `0x0A` byte
 * inside a character). Each complete line is decoded once; no per-character JS loop, no regex.
 *
 * @module
 */

const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const BOM_0 = 0xef;
const BOM_1 = 0xbb;
const BOM_2 = 0xbf;

/** Default longest line: 16 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Options of {@link createLineSplitter}. */
export interface LineSplitterOptions {
  /** Longest line accepted, in bytes (without `\n`); longer lines are discarded unbuffered. Default 16 MiB. */
  readonly maxLineBytes?: number;
  /**
   * Called for every line that is not empty or whitespace only, with its text (no `\n`, no
   * trailing `\r`, no BOM) and its 1-based physical line number.
   */
  readonly onLine: (text: string, line: number) => void;
  /** Called once for each line longer than `maxLineBytes` (its bytes are skipped as they arrive). */
  readonly onOverlong: (line: number, maxLineBytes: number) => void;
  /**
   * Called instead of `onLine` for a line that is not valid UTF-8, with the reason (which byte).
   * Without it such a line reaches `onLine` decoded with U+FFFD in place of the bad bytes (the
   * bytes are then not kept: the readers of this library always give it).
   */
  readonly onInvalidUtf8?: (line: number, reason: string) => void;
  /** Checked after each line: when it returns true, {@link LineSplitter.push} stops and returns its position. */
  readonly shouldStop?: () => boolean;
}

/** A stateful splitter: push chunks in order, then call `end()` once. */
export interface LineSplitter {
  /**
   * Splits `chunk` from byte `from` on. Returns where it stopped: `chunk.length` when the chunk was
   * used up, less when `shouldStop()` asked it to stop (push the same chunk again from there).
   */
  push(chunk: Buffer, from?: number): number;
  /** Emits the last line when the input did not end with a newline. */
  end(): void;
  /** Physical lines completed so far (including empty and overlong ones). */
  readonly lines: number;
}

/**
 * Offset (from `s`) of the first byte of `buf[s, e)` that is not part of a well-formed UTF-8
 * sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or -1 when the
 * bytes are valid UTF-8.
 *
 * @example
 * ```ts
 * firstInvalidUtf8(Buffer.from([0x7b, 0xc3, 0x28]), 0, 3); // 1
 * ```
 */
export function firstInvalidUtf8(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  while (i < e) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i - s;
    if (i + need >= e) return i - s;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i - s;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i - s;
    i += need + 1;
  }
  return -1;
}

/** `16 MiB`, `1 KiB` or `1000 bytes`: a size as a person would write it. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * Creates a {@link LineSplitter}. Empty and whitespace-only lines are skipped silently; a CR
 * before the newline and a UTF-8 BOM at the start of the input are stripped; the line number
 * counts every physical line.
 *
 * Memory: a line is buffered until its newline (at most `maxLineBytes`); an overlong line is
 * reported as soon as it passes the limit and the rest of it is dropped chunk by chunk.
 *
 * @example
 * ```ts
 * const s = createLineSplitter({ onLine: (t, n) => console.log(n, t), onOverlong: () => {} });
 * s.push(Buffer.from('{"a":1}\r\n\n{"b":'));
 * s.push(Buffer.from('2}'));
 * s.end(); // logs 1 {"a":1}, then 3 {"b":2}
 * ```
 */
export function createLineSplitter(options: LineSplitterOptions): LineSplitter {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const { onLine, onOverlong, onInvalidUtf8 } = options;
  const shouldStop = options.shouldStop;
  /** Line number of the line being read (1-based). */
  let lineNo = 1;
  /** Pieces of a line that spans chunks, and their total size. */
  let parts: Buffer[] = [];
  let partBytes = 0;
  /** True while the rest of an overlong line streams by. */
  let discarding = false;

  /** Decodes bytes [s, e) of `buf` as line `lineNo` and hands it on (unless blank). */
  const emit = (buf: Buffer, s: number, e: number): void => {
    if (e > s && buf[e - 1] === CR) e--;
    if (lineNo === 1 && e - s >= 3 && buf[s] === BOM_0 && buf[s + 1] === BOM_1 && buf[s + 2] === BOM_2) s += 3;
    if (e <= s) return;
    const text = buf.toString('utf8', s, e);
    // Tracee lines start with '{': only other lines need the blank check
    if (buf[s] !== OPEN_BRACE && text.trim() === '') return;
    // a bad byte decodes to U+FFFD; only a line holding one is checked (a real U+FFFD is valid)
    if (onInvalidUtf8 !== undefined && text.indexOf('\uFFFD') >= 0) {
      const bad = firstInvalidUtf8(buf, s, e);
      if (bad >= 0) {
        onInvalidUtf8(lineNo, `not valid UTF-8 (byte ${bad + 1} of the line is 0x${buf[s + bad]!.toString(16).padStart(2, '0')}); the line is skipped, not rewritten`);
        return;
      }
    }
    onLine(text, lineNo);
  };

  const push = (chunk: Buffer, from = 0): number => {
    let s = from;
    const n = chunk.length;
    // finish a line that started in an earlier chunk (or is being discarded)
    if (discarding || partBytes > 0) {
      const nl = chunk.indexOf(LF, s);
      if (nl < 0) {
        if (!discarding) {
          if (partBytes + (n - s) > max) {
            discarding = true;
            parts = [];
            partBytes = 0;
            onOverlong(lineNo, max);
          } else {
            parts.push(s === 0 ? chunk : chunk.subarray(s));
            partBytes += n - s;
          }
        }
        return n;
      }
      if (discarding) {
        discarding = false;
      } else if (partBytes + (nl - s) > max) {
        parts = [];
        partBytes = 0;
        onOverlong(lineNo, max);
      } else {
        parts.push(chunk.subarray(s, nl));
        const whole = Buffer.concat(parts, partBytes + (nl - s));
        parts = [];
        partBytes = 0;
        emit(whole, 0, whole.length);
      }
      lineNo++;
      s = nl + 1;
      if (shouldStop !== undefined && shouldStop()) return s;
    }
    // the hot loop: whole lines inside this chunk
    while (s < n) {
      const nl = chunk.indexOf(LF, s);
      if (nl < 0) break;
      if (nl - s > max) onOverlong(lineNo, max);
      else emit(chunk, s, nl);
      lineNo++;
      s = nl + 1;
      if (shouldStop !== undefined && shouldStop()) return s;
    }
    // keep the start of the next line
    if (s < n) {
      if (n - s > max) {
        discarding = true;
        onOverlong(lineNo, max);
      } else {
        parts.push(s === 0 ? chunk : chunk.subarray(s));
        partBytes = n - s;
      }
    }
    return n;
  };

  const end = (): void => {
    if (discarding) {
      discarding = false;
      lineNo++;
      return;
    }
    if (partBytes > 0) {
      const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partBytes);
      parts = [];
      partBytes = 0;
      emit(whole, 0, whole.length);
      lineNo++;
    }
  };

  return {
    push,
    end,
    get lines() {
      return lineNo - 1;
    },
  };
}
