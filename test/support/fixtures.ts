/** Loads the captured fixtures (kept in test/fixtures/tracee so CI needs nothing outside the repo), exactly. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { parseEventLine } from '../../src/streams/parseEventLine.js';
import type { Envelope } from '../../src/streams/types.js';
import type { TreeSource } from '../../src/tree/feedFromEvents.js';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'tracee');

/** Every line of a fixture as an envelope (throws on a bad line: fixtures must parse cleanly). */
/** Every captured stream with the tree source that reads it (signals alone, both, or events). */
export const FIXTURE_STREAMS: readonly (readonly [file: string, source: TreeSource])[] = [
  ['pipeline.ndjson', 'events'],
  ['threads.ndjson', 'events'],
  ['interp.ndjson', 'events'],
  ['pipeline.both.ndjson', 'both'],
  ['pipeline.signals.ndjson', 'signals'],
];

/** The envelopes of a fixture stream as its source reads them (signals get rank 1). */
export const loadStream = (file: string, source: TreeSource): Envelope[] => loadEnvelopes(file, source === 'signals' ? 1 : 0);

export function loadEnvelopes(name: string, rank = 0): Envelope[] {
  const source = join(FIXTURES, name);
  const lines = readFileSync(source, 'utf8').split('\n');
  const out: Envelope[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const r = parseEventLine(line, { source, line: i + 1 }, { rank });
    if (E.isLeft(r)) throw new Error(`${source}:${i + 1}: ${r.left}`);
    out.push(r.right);
  });
  return out;
}

export interface TruthExec {
  time: bigint;
  path: string;
  argv: string[];
  cmdpath: string;
}
export interface TruthTask {
  tid: number;
  pid: number;
  spawnPpid: number;
  isThread: boolean;
  startTime: bigint;
  exitTime: bigint | null;
  exitCode: number | null;
  entityId: number;
  execs: TruthExec[];
}
export interface TruthSample {
  pid: number;
  entityId: number;
  time: bigint;
  lineagePids: number[];
  exe: string | null;
  alive: boolean;
}
export interface Truth {
  boot_epoch_ns: bigint;
  root_pid: number;
  tasks: TruthTask[];
  samples: TruthSample[];
}

/** A truth file with every integer of 16+ digits as an exact bigint. */
export function loadTruth(name: string): Truth {
  const text = readFileSync(join(FIXTURES, name), 'utf8').replace(/(:\s*)(\d{16,})/g, '$1"$2"');
  return JSON.parse(text, (key, value: unknown) =>
    typeof value === 'string' && /^\d{16,}$/.test(value) ? BigInt(value) : key === 'time' || key.endsWith('Time') || key === 'boot_epoch_ns' ? (typeof value === 'number' ? BigInt(value) : value) : value,
  ) as Truth;
}
