/** Shared helpers for the NDJSON stream tests (not a spec). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { lastValueFrom, toArray } from 'rxjs';
import { fromNdjson, type FromNdjsonOptions } from '../../src/streams/fromNdjson.js';
import type { Envelope, InputIssue } from '../../src/streams/types.js';

/** The captured fixtures (test/fixtures/tracee). */
export const FIXTURES = resolve(__dirname, '../fixtures/tracee');

/** The lines of a fixture file (without the newlines). */
export const fixtureLines = (name: string): string[] =>
  readFileSync(resolve(FIXTURES, name), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

/** A minimal valid event line with an exact epoch-ns timestamp. */
export const eventLine = (ts: bigint, name = 'openat', extra = ''): string =>
  `{"timestamp":${ts},"threadStartTime":${ts - 1000n},"eventName":"${name}","args":[]${extra}}`;

/** A Readable that yields exactly these chunks (Buffers or strings), in this order. */
export const chunked = (chunks: ReadonlyArray<Buffer | string>): Readable =>
  Readable.from(
    chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)),
    { objectMode: false },
  );

/** Splits a buffer into chunks of `size` bytes (the last may be shorter). */
export const split = (buf: Buffer, size: number): Buffer[] => {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
};

/** Reads everything: the envelopes and the issues reported on the way. */
export async function readAll(
  input: Readable,
  options: Partial<FromNdjsonOptions> = {},
): Promise<{ envelopes: Envelope[]; issues: InputIssue[] }> {
  const issues: InputIssue[] = [];
  const envelopes = await lastValueFrom(
    fromNdjson(input, { source: 'test', ...options, onIssue: (i) => issues.push(i) }).pipe(toArray()),
  );
  return { envelopes, issues };
}
