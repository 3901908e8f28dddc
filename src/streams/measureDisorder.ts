/**
 * How far out of order NDJSON files are, measured by a fast pre-pass — so a full sort of finite
 * inputs can be done with a bounded reorder window instead of holding every event.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { parseRfc3339Nanos } from './timeArg.js';

const PREFIX = Buffer.from('{"timestamp":');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Bytes of a line kept across chunks: enough for the prefix and a 20-digit integer. */
const HEAD = 64;

/** The integer right after `{"timestamp":` at the start of `head`, or `undefined`. */
/**
 * The exact leading `"timestamp"` of a line whose first bytes are `buf[from, to)`, as two exact
 * numbers — all digits but the last 9, and the last 9 — or `undefined` when the line does not
 * start that way. No allocation: this runs once per line of every input file.
 */
function leadingTimestamp(buf: Buffer, from: number, to: number, out: { hi: number; lo: number }): boolean {
  let p = from;
  if (to - p >= 3 && buf[p] === BOM[0] && buf[p + 1] === BOM[1] && buf[p + 2] === BOM[2]) p += 3;
  while (p < to && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
  if (to - p < PREFIX.length + 1) return false;
  for (let i = 0; i < PREFIX.length; i++) if (buf[p + i] !== PREFIX[i]) return false;
  p += PREFIX.length;
  while (p < to && buf[p] === 0x20) p++;
  // main's v1beta1 document: an RFC3339 string (the rare case; it allocates)
  if (buf[p] === 0x22 /* " */) return rfc3339At(buf, p + 1, to, out);
  const start = p;
  while (p < to && buf[p]! >= 0x30 && buf[p]! <= 0x39) p++;
  if (p === start || p - start > 20 || p === to) return false;
  const next = buf[p];
  if (next !== 0x2c /* , */ && next !== 0x7d /* } */ && next !== 0x20) return false;
  const split = Math.max(start, p - 9);
  let hi = 0;
  for (let i = start; i < split; i++) hi = hi * 10 + (buf[i]! - 0x30);
  let lo = 0;
  for (let i = split; i < p; i++) lo = lo * 10 + (buf[i]! - 0x30);
  out.hi = hi;
  out.lo = lo;
  return true;
}

/** A quoted RFC3339 time starting at `from` (after its quote), as two exact numbers. */
function rfc3339At(buf: Buffer, from: number, to: number, out: { hi: number; lo: number }): boolean {
  const end = buf.indexOf(0x22, from);
  if (end < 0 || end >= to) return false;
  const ns = parseRfc3339Nanos(buf.toString('latin1', from, end));
  if (ns === undefined) return false;
  out.hi = Number(ns / 1_000_000_000n);
  out.lo = Number(ns % 1_000_000_000n);
  return true;
}

export async function measureDisorder(paths: readonly string[]): Promise<bigint | undefined> {
  // the newest timestamp so far as (all digits but the last 9, the last 9): exact and allocation-free
  let maxHi = -1;
  let maxLo = 0;
  let disorder = 0n;
  const ts = { hi: 0, lo: 0 };
  const head = Buffer.alloc(HEAD);
  let headLen = 0;
  let blank = true;
  let failed = false;
  /** Notes a line's timestamp (already in `ts`), or a line without one. */
  const note = (ok: boolean): void => {
    if (!ok) failed = true;
    else if (ts.hi > maxHi || (ts.hi === maxHi && ts.lo > maxLo)) {
      maxHi = ts.hi;
      maxLo = ts.lo;
    } else {
      const behind = BigInt(maxHi - ts.hi) * 1_000_000_000n + BigInt(maxLo - ts.lo);
      if (behind > disorder) disorder = behind;
    }
  };
  const endLine = (): void => {
    if (!blank) note(leadingTimestamp(head, 0, headLen, ts));
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
        if (headLen === 0 && blank && nl > pos && chunk[pos] === 0x7b /* { */) {
          // the usual line: whole in this chunk, starting with '{': read its timestamp in place
          note(leadingTimestamp(chunk, pos, Math.min(nl, pos + HEAD), ts));
        } else {
          take(chunk, pos, nl);
          endLine();
        }
        if (failed) return undefined;
        pos = nl + 1;
      }
    }
    endLine(); // a last line without newline; files do not share lines
    if (failed) return undefined;
  }
  return disorder;
}
