/**
 * Ingest speed: NDJSON file → parsed events, three ways, best of 3 each, on the synthetic
 * Tracee file from lib/synth.mjs (200k lines, ~1 KB each).
 *   (a) bare loop: readFileSync + split('\n') + JSON.parse per line (the floor to compare with);
 *   (b) fromNdjson over a file stream (openInput), counting envelopes (exact timestamps, origins);
 *   (c) the `ndjson` package's parse() Transform;
 *   (floor) JSON.parse alone over lines already in memory, for reference.
 * Also: our splitter + plain JSON.parse (like for like with (c)), envelopeParser (our Node Transform) and a pass-through fromNdjson → writeNdjson to /dev/null.
 * Target: (b) ≥ 0.85 × (a).
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import ndjson from 'ndjson';
import { map } from 'rxjs';
import { createFlowControl } from '../dist/src/streams/flowControl.js';
import { fromNdjson } from '../dist/src/streams/fromNdjson.js';
import { envelopeParser } from '../dist/src/streams/ndjsonTransforms.js';
import { openInput } from '../dist/src/streams/openInput.js';
import { createLineSplitter } from '../dist/src/streams/splitLines.js';
import { writeNdjson } from '../dist/src/streams/writeNdjson.js';
import { best, rate } from './lib/measure.mjs';
import { ensureSynth } from './lib/synth.mjs';

const countStream = (stream) =>
  new Promise((resolve, reject) => {
    let n = 0;
    stream.on('data', () => n++);
    stream.on('end', () => resolve(n));
    stream.on('error', reject);
  });

export default async function ingest() {
  const { path, bytes } = await ensureSynth();
  const RUNS = 3;

  const bare = await best(() => {
    const lines = readFileSync(path, 'utf8').split('\n');
    let n = 0;
    for (const line of lines) {
      if (line !== '') {
        JSON.parse(line);
        n++;
      }
    }
    return n;
  }, RUNS);
  console.log(rate('ingest (a) bare readFileSync+split+JSON.parse', bare.result, bytes, bare.seconds));

  // reference floor: JSON.parse alone over lines already in memory (no I/O, no splitting)
  let inMemory = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const floor = await best(() => {
    for (const line of inMemory) JSON.parse(line);
    return inMemory.length;
  }, RUNS);
  inMemory = undefined;
  console.log(rate('ingest (floor) JSON.parse only, lines in memory', floor.result, bytes, floor.seconds));

  const ours = await best(
    () =>
      new Promise((resolve, reject) => {
        let n = 0;
        let issues = 0;
        fromNdjson(openInput(path), { source: path, onIssue: () => issues++ }).subscribe({
          next: () => n++,
          error: reject,
          complete: () => (issues ? reject(new Error(`${issues} issues`)) : resolve(n)),
        });
      }),
    RUNS,
  );
  console.log(rate('ingest (b) fromNdjson(openInput(file))', ours.result, bytes, ours.seconds));

  const pkg = await best(() => countStream(createReadStream(path).pipe(ndjson.parse())), RUNS);
  console.log(rate('ingest (c) ndjson package parse()', pkg.result, bytes, pkg.seconds));

  // like for like with (c): our splitter + plain JSON.parse (no exact times, no envelopes)
  const splitOnly = await best(
    () =>
      new Promise((resolve, reject) => {
        let n = 0;
        const splitter = createLineSplitter({ onLine: (text) => (JSON.parse(text), n++), onOverlong: () => undefined });
        const input = openInput(path);
        input.on('data', (chunk) => splitter.push(chunk));
        input.on('end', () => (splitter.end(), resolve(n)));
        input.on('error', reject);
      }),
    RUNS,
  );
  console.log(rate('ingest createLineSplitter + JSON.parse (like for like with (c))', splitOnly.result, bytes, splitOnly.seconds));

  const transform = await best(() => countStream(openInput(path).pipe(envelopeParser({ source: path }))), RUNS);
  console.log(rate('ingest envelopeParser (Node Transform)', transform.result, bytes, transform.seconds));

  const through = await best(async () => {
    const flow = createFlowControl();
    const out = createWriteStream('/dev/null');
    const r = await writeNdjson(fromNdjson(openInput(path), { source: path, flow }).pipe(map((e) => e.raw)), out, { flow, end: true });
    return r.lines;
  }, RUNS);
  console.log(rate('ingest pass-through fromNdjson → writeNdjson(/dev/null)', through.result, bytes, through.seconds));

  for (const [label, r] of [['(b)', ours], ['(c)', pkg]]) {
    if (r.result !== bare.result) console.log(`ingest WARNING ${label} counted ${r.result} events, (a) ${bare.result}`);
  }
  const ratio = bare.seconds / ours.seconds;
  console.log(`ingest ratio (b)/(a): ${ratio.toFixed(2)} (target ≥ 0.85: ${ratio >= 0.85 ? 'met' : 'MISSED'}); (c)/(a): ${(bare.seconds / pkg.seconds).toFixed(2)}; (b)/floor: ${(floor.seconds / ours.seconds).toFixed(2)}`);
}
