// @ts-check
/**
 * Live enrichment of a Tracee stream on stdin, with a custom signature:
 *
 *   tracee --output json | node examples/live-enrich.mjs
 *   cat examples/data/threads.ndjson | node examples/live-enrich.mjs
 *
 * Reads NDJSON as it arrives (fromNdjson), restores event-time order with a *bounded* reorder
 * window and an idle flush (so a quiet stream is not held back), enriches each event with its
 * process and ancestry as of its own timestamp, and prints one compact line per event:
 *
 *   2026-11-25T04:22:26.770451000Z  sched_process_fork   20707/20708 python3  /usr/local/bin/python3.11  ?(20703) > sh(20706) > python3(20707)
 *
 * and a `!!` line when the custom signature fires: a *worker thread* (not the main thread of its
 * process) spawning a subprocess — in a server, often the request handler running a command.
 * Writing waits for stdout to drain (backpressure) and stops quietly when the reader goes away
 * (`| head`).
 */
import { pathToFileURL } from 'node:url';
import { connect, map, merge } from 'rxjs';
import {
  createFlowControl,
  enrich,
  eventSignature,
  forkArgs,
  fromNdjson,
  isLeft,
  runSignatures,
  sortByTimestamp,
  TreeBuilder,
  writeNdjson,
} from '../dist/src/index.js';

/** @typedef {import('../dist/src/index.js').EnrichedEnvelope} EnrichedEnvelope */
/** @typedef {import('../dist/src/index.js').Finding} Finding */
/** @typedef {import('../dist/src/index.js').ProcessInfo} ProcessInfo */
/** @typedef {import('../dist/src/index.js').SignatureMetadata} SignatureMetadata */
/** @typedef {import('../dist/src/index.js').SignatureOperator} SignatureOperator */

/** @type {SignatureMetadata} */
export const WORKER_SPAWN_METADATA = {
  id: 'EX-002',
  name: 'Subprocess spawned by a worker thread',
  version: '1',
  description: 'A thread other than the main thread of its process created a new process (fork/clone without CLONE_THREAD).',
  tags: ['linux', 'proctree', 'example'],
  properties: { Severity: 1, Category: 'execution', external_id: 'T1059' },
};

/**
 * The custom signature: fires on a `sched_process_fork` whose caller is a non-leader thread and
 * whose child is a new process (not a thread). `Data`: the thread's tid and name, the child's pid.
 *
 * @returns {SignatureOperator}
 */
export function workerThreadSpawn() {
  return eventSignature(WORKER_SPAWN_METADATA, ['sched_process_fork'], (e) => {
    const ev = e.event;
    if (ev.hostThreadId === undefined || ev.hostThreadId === ev.hostProcessId) return undefined;
    const args = forkArgs(e);
    if (isLeft(args) || args.right.child.tid !== args.right.child.pid) return undefined;
    return { thread: { tid: ev.hostThreadId, name: ev.processName ?? '' }, childPid: args.right.child.pid };
  });
}

/** Exact epoch ns → ISO time with all nine digits. */
export const isoNs = (/** @type {bigint} */ ns) => {
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // …T04:22:26.601Z
  return `${iso.slice(0, -1)}${(ns % 1_000_000n).toString().padStart(6, '0')}Z`;
};

const who = (/** @type {ProcessInfo} */ p) => `${p.name || '?'}(${p.pid})`;

/**
 * One event as a compact line: time, event, pid/tid, comm, executable, ancestry root first
 * ("a > b > c", the process itself last).
 *
 * @param {EnrichedEnvelope} e
 * @returns {string}
 */
export function formatEvent(e) {
  const ev = e.event;
  const p = e.context.process;
  const chain = p === undefined ? '-' : [...e.context.ancestors].reverse().concat(p).map(who).join(' > ');
  const exe = p?.executionBinary.path || '-';
  const late = e.late === true ? ' (late)' : '';
  return `${isoNs(e.timestamp)}  ${ev.eventName.padEnd(20)} ${`${ev.hostProcessId ?? '?'}/${ev.hostThreadId ?? '?'}`.padEnd(11)} ${(ev.processName ?? '?').padEnd(8)} ${exe}  ${chain}${late}`;
}

/**
 * A finding as a `!!` line.
 *
 * @param {Finding} f
 * @returns {string}
 */
export function formatFinding(f) {
  return `!! ${f.SigMetadata.id} ${f.SigMetadata.name}: ${JSON.stringify(f.Data)}`;
}

/**
 * Options of {@link liveEnrich}.
 * @typedef {object} LiveEnrichOptions
 * @property {bigint} [windowNs] reorder window, ns of event time (default 100 ms)
 * @property {number} [idleFlushMs] release everything buffered after this much quiet (default 200 ms)
 */

/**
 * The live pipeline: NDJSON from `input` → compact lines (and finding lines) on `output`.
 * Resolves when the input ends (or the reader of `output` goes away).
 *
 * @param {import('node:stream').Readable} input
 * @param {import('node:stream').Writable} output
 * @param {LiveEnrichOptions} [options]
 * @returns {Promise<{ events: number, findings: number, late: number, badLines: number, brokenPipe: boolean }>}
 */
export async function liveEnrich(input, output, options = {}) {
  const flow = createFlowControl();
  const builder = new TreeBuilder({ source: 'events' });
  const stats = { events: 0, findings: 0, late: 0, badLines: 0 };
  const lines$ = fromNdjson(input, {
    source: '<stdin>',
    flow,
    onIssue: (i) => {
      stats.badLines++;
      process.stderr.write(`${i.origin.source}:${i.origin.line}: ${i.reason}\n`);
    },
  }).pipe(
    sortByTimestamp({ window: options.windowNs ?? 100_000_000n, idleFlush: options.idleFlushMs ?? 200, onLate: () => stats.late++ }),
    enrich({ builder }),
    // one subscription upstream, two outputs: the event line, then any finding it caused
    connect((events$) =>
      merge(
        events$.pipe(map((e) => (stats.events++, formatEvent(e)))),
        events$.pipe(
          runSignatures([workerThreadSpawn()], { dataSource: builder.dataSource() }),
          map((f) => (stats.findings++, formatFinding(f))),
        ),
      ),
    ),
  );
  // batchSize 1: write each line at once (a live view, not a throughput run)
  const result = await writeNdjson(lines$, output, { flow, batchSize: 1 });
  return { ...stats, brokenPipe: result.brokenPipe };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  liveEnrich(process.stdin, process.stdout).then(
    (s) => {
      if (!s.brokenPipe) process.stderr.write(`live-enrich: ${s.events} events, ${s.findings} findings, ${s.late} late, ${s.badLines} bad lines\n`);
      process.exitCode = 0;
    },
    (err) => {
      process.stderr.write(`live-enrich: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
