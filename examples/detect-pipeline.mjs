// @ts-check
/**
 * A custom detection pipeline over a capture, composed from proctree-rx's operators:
 *
 *   fromNdjson → sortByTimestamp → enrich → runSignatures([custom, built-ins]) → findingToJson
 *
 * The custom rule is RxJS-native (a {@link SignatureOperator}): "a process saw more than N of its
 * children start *and* exit within a short window" — the footprint of a shell loop, a scripted
 * discovery sweep or a brute-force helper. It needs the tree: a child's lifetime (start → exit)
 * and its spawn parent come from the context `enrich` attaches to the exit event. Next to it run
 * two built-ins: PRX-002 (exec from a temp dir) and Tracee's PROCTREE_DATA_SOURCE self-check,
 * set to report only disagreements between the tree and the events.
 *
 * Run (after `npm run build`):
 *   node examples/detect-pipeline.mjs examples/data/pipeline.ndjson
 *   node examples/detect-pipeline.mjs --threshold 3 --window-ms 20 examples/data/pipeline.ndjson
 * Prints one finding per line (Tracee's detect.Finding JSON, exact ns), a summary on stderr.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { filter, groupBy, map, mergeMap, scan } from 'rxjs';
import {
  createFinding,
  enrich,
  execFromTempDir,
  findingToJson,
  fromNdjson,
  proctreeDataSource,
  runSignatures,
  sortByTimestamp,
  TreeBuilder,
  writeNdjson,
} from '../dist/src/index.js';

/** @typedef {import('../dist/src/index.js').EnrichedEnvelope} EnrichedEnvelope */
/** @typedef {import('../dist/src/index.js').Finding} Finding */
/** @typedef {import('../dist/src/index.js').InputIssue} InputIssue */
/** @typedef {import('../dist/src/index.js').ProcessInfo} ProcessInfo */
/** @typedef {import('../dist/src/index.js').SignatureMetadata} SignatureMetadata */
/** @typedef {import('../dist/src/index.js').SignatureOperator} SignatureOperator */

/**
 * Options of {@link shortLivedChildBurst}.
 * @typedef {object} BurstOptions
 * @property {number} [threshold] children needed to fire (default 4: "more than 3")
 * @property {bigint} [windowNs] the window their exits must fall in, ns of event time (default 10 ms)
 * @property {bigint} [maxLifetimeNs] the longest start → exit a child may have to count (default 5 ms)
 */

/** @type {SignatureMetadata} */
export const BURST_METADATA = {
  id: 'EX-001',
  name: 'Burst of short-lived child processes',
  version: '1',
  description: 'A process started and reaped several short-lived children within a short time: a command loop, a discovery sweep or a brute-force helper.',
  tags: ['linux', 'proctree', 'example'],
  properties: { Severity: 1, Category: 'execution', Technique: 'Unix Shell', external_id: 'T1059.004' },
};

/**
 * The custom rule, as an operator-style signature: exits of short-lived processes, grouped by
 * spawn parent, counted in a sliding window of event time; fires once per burst (the window
 * starts over after a finding). Time comes from the events (exact ns), never from a clock, so a
 * replay gives the same findings as the live run did.
 *
 * @param {BurstOptions} [options]
 * @returns {SignatureOperator}
 */
export function shortLivedChildBurst(options = {}) {
  const threshold = options.threshold ?? 4;
  const windowNs = options.windowNs ?? 10_000_000n;
  const maxLifetimeNs = options.maxLifetimeNs ?? 5_000_000n;
  /**
   * One short-lived child that exited.
   * @typedef {{ event: EnrichedEnvelope, child: ProcessInfo, exitTime: bigint, lifetimeNs: bigint }} ChildExit
   * @typedef {{ recent: ChildExit[], fired: Finding | undefined }} BurstState
   */
  return {
    metadata: BURST_METADATA,
    operator: () => (events$) =>
      events$.pipe(
        filter((e) => e.event.eventName === 'sched_process_exit'),
        // the exit of a whole process (its group), read from the tree as of the exit
        map((e) => {
          const child = e.context.process;
          if (child === undefined || child.exitTime === undefined || child.startTime === 0n) return undefined;
          return { event: e, child, exitTime: child.exitTime, lifetimeNs: child.exitTime - child.startTime };
        }),
        filter(/** @returns {x is ChildExit} */ (x) => x !== undefined && x.lifetimeNs <= maxLifetimeNs),
        // one group per parent (a long-running deployment would bound the groups with `duration`)
        groupBy((x) => x.child.spawnParentEntityId),
        mergeMap((children$) =>
          children$.pipe(
            scan(
              /** @param {BurstState} state @param {ChildExit} x @returns {BurstState} */
              (state, x) => {
                if (state.recent.some((r) => r.child.entityId === x.child.entityId)) return { recent: state.recent, fired: undefined };
                const recent = [...state.recent.filter((r) => x.exitTime - r.exitTime <= windowNs), x];
                if (recent.length < threshold) return { recent, fired: undefined };
                const parent = x.event.context.ancestors[0];
                const fired = createFinding(BURST_METADATA, x.event, {
                  parent: parent === undefined ? null : { pid: parent.pid, name: parent.name, exe: parent.executionBinary.path },
                  children: recent.map((r) => ({ pid: r.child.pid, name: r.child.name, exe: r.child.executionBinary.path, lifetimeNs: r.lifetimeNs })),
                  windowNs: x.exitTime - (recent[0]?.exitTime ?? x.exitTime),
                });
                return { recent: [], fired };
              },
              /** @type {BurstState} */ ({ recent: [], fired: undefined }),
            ),
            map((s) => s.fired),
            filter(/** @returns {f is Finding} */ (f) => f !== undefined),
          ),
        ),
      ),
  };
}

/**
 * Options of {@link detect}.
 * @typedef {object} DetectOptions
 * @property {BurstOptions} [burst] options of the custom rule
 * @property {(issue: InputIssue) => void} [onIssue] bad input lines (default: ignored)
 */

/**
 * The pipeline: findings of the custom rule and the two built-ins over one capture
 * (`-` = stdin), in the order they are found.
 *
 * @param {string} path an NDJSON capture of Tracee events
 * @param {DetectOptions} [options]
 * @returns {import('rxjs').Observable<Finding>}
 */
export function detect(path, options = {}) {
  const builder = new TreeBuilder({ source: 'events' });
  const signatures = [shortLivedChildBurst(options.burst), execFromTempDir(), proctreeDataSource({ reportConsistent: false })];
  const source = path === '-' ? '<stdin>' : path;
  return fromNdjson(path, { source, ...(options.onIssue ? { onIssue: options.onIssue } : {}) }).pipe(
    // a file: a full sort is exact; a live source would use a bounded window (see live-enrich.mjs)
    sortByTimestamp({ window: 'unbounded' }),
    enrich({ builder }),
    runSignatures(signatures, { dataSource: builder.dataSource() }),
  );
}

const USAGE = 'usage: node examples/detect-pipeline.mjs [--threshold N] [--window-ms MS] [--max-lifetime-ms MS] FILE|-';

/**
 * The command line: prints each finding as one JSON line on stdout and a count per signature on
 * stderr.
 *
 * @param {readonly string[]} argv the arguments after the script name
 * @returns {Promise<number>} the exit code
 */
export async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { threshold: { type: 'string' }, 'window-ms': { type: 'string' }, 'max-lifetime-ms': { type: 'string' } },
    });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const ms = (/** @type {string | undefined} */ v) => (v === undefined ? undefined : BigInt(Math.round(Number(v) * 1e6)));
  /** @type {BurstOptions} */
  const burst = {};
  if (values.threshold !== undefined) burst.threshold = Number(values.threshold);
  const windowNs = ms(values['window-ms']);
  if (windowNs !== undefined) burst.windowNs = windowNs;
  const maxLifetimeNs = ms(values['max-lifetime-ms']);
  if (maxLifetimeNs !== undefined) burst.maxLifetimeNs = maxLifetimeNs;

  /** @type {Record<string, number>} */
  const counts = {};
  let bad = 0;
  const findings$ = detect(/** @type {string} */ (positionals[0]), { burst, onIssue: (i) => (bad++, process.stderr.write(`${i.origin.source}:${i.origin.line}: ${i.reason}\n`)) });
  const result = await writeNdjson(
    findings$.pipe(
      map((f) => {
        counts[f.SigMetadata.id] = (counts[f.SigMetadata.id] ?? 0) + 1;
        return findingToJson(f);
      }),
    ),
    process.stdout,
  );
  if (!result.brokenPipe) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const per = Object.entries(counts).map(([id, n]) => `${id}: ${n}`).join(', ');
    process.stderr.write(`detect-pipeline: ${total} findings${per ? ` (${per})` : ''}, ${bad} bad lines\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`detect-pipeline: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
