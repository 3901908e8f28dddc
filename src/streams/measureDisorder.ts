/**
 * How far out of order NDJSON files are, measured by a fast pre-pass — so a full sort of finite
 * inputs can be done with a bounded reorder window instead of holding every event.
 *
 * @module
 */
import { createReadStream } from 'node:fs';

const PREFIX = Buffer.from('{"timestamp":');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Bytes of a line kept across chunks: enough for the prefix and a 20-digit integer. */
const HEAD = 64;

/** The integer right after `{"timestamp":` at the start of `head`, or `undefined`. */
function leadingTimestamp(head: Buffer, len: number): bigint | undefined {
  let p = 0;
  if (len >= 3 && head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2]) p = 3;
  while (p < len && (head[p] === 0x20 || head[p] === 0x09)) p++;
  if (len - p < PREFIX.length + 1) return undefined;
  for (let i = 0; i < PREFIX.length; i++) if (head[p + i] !== PREFIX[i]) return undefined;
  p += PREFIX.length;
  while (p < len && head[p] === 0x20) p++;
  const start = p;
  while (p < len && head[p]! >= 0x30 && head[p]! <= 0x39) p++;
  if (p === start || p - start > 20 || p === len) return undefined;
  const next = head[p];
  if (next !== 0x2c /* , */ && next !== 0x7d /* } */ && next !== 0x20) return undefined;
  return BigInt(head.toString('latin1', start, p));
}

/**
 * The largest lateness in `paths` read one after the other: over every line, the highest
 * timestamp seen before it minus its own (0n for sorted input). Sorting that sequence with a
 * reorder window of this size releases each event only after every earlier one has arrived, so
 * the result equals a full sort while holding only the events inside the window.
 *
 * Reads bytes only (no JSON parsing). Returns `undefined` when a non-blank line does not start
 * with `{"timestamp":<digits>` (not Tracee's layout): the caller then falls back to a full sort.
 * Blank lines are skipped. An unreadable file rejects.
 *
 * @example
 * ```ts
 * const lateness = await measureDisorder(['capture.ndjson']); // e.g. 0n, or 1_204_331n
 * ```
 */
export async function measureDisorder(paths: readonly string[]): Promise<bigint | undefined> {
  let max: bigint | undefined;
  let disorder = 0n;
  const head = Buffer.alloc(HEAD);
  let headLen = 0;
  let blank = true;
  let failed = false;
  const endLine = (): void => {
    if (!blank) {
      const ts = leadingTimestamp(head, headLen);
      if (ts === undefined) failed = true;
      else if (max === undefined || ts > max) max = ts;
      else if (max - ts > disorder) disorder = max - ts;
    }
    headLen = 0;
    blank = true;
  };
  const take = (chunk: Buffer, from: number, to: number): void => {
    for (let i = from; i < to && blank; i++) {
      const c = chunk[i];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) blank = false;
    }
    const n = Math.min(to - from, HEAD - headLen);
    if (n > 0) {
      chunk.copy(head, headLen, from, from + n);
      headLen += n;
    }
  };
  for (const path of paths) {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, pos);
        if (nl < 0) {
          take(chunk, pos, chunk.length);
          break;
        }
        take(chunk, pos, nl);
        endLine();
        if (failed) return undefined;
        pos = nl + 1;
      }
    }
    endLine(); // a last line without newline; files do not share lines
    if (failed) return undefined;
  }
  return disorder;
}
