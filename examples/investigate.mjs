// @ts-check
/**
 * An investigation: replay a capture into a TreeBuilder that keeps its whole history, then ask
 * the tree questions *as of* any time — the after-the-fact view a responder needs:
 *
 * - which process had pid P at T1, and at T2 (pids are reused: the answer can be a different
 *   process, with a different entity id);
 * - its lineage at that time (processByPid + the data source's lineage);
 * - what it was running just before and just after each of its execs (one pid, many programs);
 * - its children alive at that time;
 * - the same lineage through Tracee's data-source interface: `get(lineageKey(id, T, 5))`.
 *
 * Run (after `npm run build`):
 *   node examples/investigate.mjs --pid 20763 examples/data/interp.ndjson
 *   node examples/investigate.mjs --pid 20650 --at 1795582946640000000 examples/data/pipeline.ndjson
 * `--at` (repeatable) takes epoch ns; without it, each holder of the pid is asked about just
 * at each of its execs, just before its exit and at its exit. `--json` prints the answers as JSON (exact ns).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { fromNdjson, headOf, isLeft, isNone, isRight, isSome, lineageKey, processAt, sortByTimestamp, stringifyExact, toUndefined, TreeBuilder } from '../dist/src/index.js';

/** @typedef {import('../dist/src/index.js').ProcessInfo} ProcessInfo */
/** @typedef {import('../dist/src/index.js').ProcessTree} ProcessTree */

/**
 * A capture replayed: the builder (full history) and, per process entity id, the times of the
 * execs seen in the events.
 * @typedef {{ builder: TreeBuilder, execTimes: Map<number, bigint[]>, events: number }} Replay
 */

/**
 * Replays NDJSON captures (in event-time order) into a TreeBuilder that keeps every version.
 *
 * @param {readonly string[]} paths
 * @returns {Promise<Replay>}
 */
export function replay(paths) {
  // every version retained: an investigation asks about any time of the capture
  const builder = new TreeBuilder({ source: 'events', history: { maxVersions: Number.MAX_SAFE_INTEGER } });
  /** @type {Map<number, bigint[]>} */
  const execTimes = new Map();
  let events = 0;
  return new Promise((resolve, reject) => {
    /** @type {import('rxjs').Observable<import('../dist/src/index.js').Envelope>} */
    const sorted$ = fromNdjson(paths).pipe(sortByTimestamp({ window: 'unbounded' }));
    sorted$.subscribe({
      next: (env) => {
        events++;
        builder.applyEnvelope(env);
        const head = headOf(env);
        if (head.eventName === 'sched_process_exec' && head.processEntityId) {
          const id = head.processEntityId;
          execTimes.set(id, [...(execTimes.get(id) ?? []), env.timestamp]);
        }
      },
      error: reject,
      complete: () => resolve({ builder, execTimes, events }),
    });
  });
}

/**
 * A process, briefly.
 * @typedef {{ entityId: number, pid: number, name: string, exe: string, argv: readonly string[], alive: boolean }} Brief
 */
const brief = (/** @type {ProcessInfo} */ p) => ({
  entityId: p.entityId,
  pid: p.pid,
  name: p.name,
  exe: p.executionBinary.path,
  argv: p.cmd,
  alive: p.isAlive,
});

/**
 * What was true at one time.
 * @typedef {object} AsOfAnswer
 * @property {bigint} time
 * @property {Brief | null} holder the process that had the pid at `time` (null: none yet)
 * @property {Brief[]} lineage the holder, then its ancestors (spawn parents, read at each child's start)
 * @property {Brief[]} children its child processes alive at `time`
 * @property {{ pids: number[] } | { error: string }} dataSource `get(lineageKey(holder, time, 5))`, Tracee's way
 */

/**
 * One process that had the pid during the capture.
 * @typedef {object} Holder
 * @property {number} entityId
 * @property {bigint} startTime 0n when its start was not seen
 * @property {bigint | undefined} exitTime
 * @property {number | undefined} exitCode raw kernel code (`status << 8 | signal`)
 * @property {{ time: bigint, before: Brief, after: Brief }[]} execs the program just before and at each exec
 */

/**
 * The investigation of one pid.
 * @typedef {{ pid: number, holders: Holder[], answers: AsOfAnswer[] }} Investigation
 */

/**
 * Asks the replayed tree about `pid`: every process that held it, their execs (program before and
 * after), and, at each of `times` (default: each holder's exec times, the instant before its exit
 * and its exit), who held it, its lineage, its live children and the data-source lineage.
 *
 * @param {Replay} r
 * @param {number} pid
 * @param {readonly bigint[]} [times]
 * @returns {Investigation}
 */
export function investigate(r, pid, times) {
  const ds = r.builder.dataSource();
  const tree = r.builder.tree; // the last version: its changelogs answer for earlier times too
  const ids = tree.pids.get(pid) ?? [];
  /** @type {Holder[]} */
  const holders = [];
  for (const id of ids) {
    const node = tree.processes.get(id);
    if (node === undefined) continue;
    const execs = (r.execTimes.get(id) ?? []).flatMap((t) => {
      const before = processAt(tree, id, t - 1n);
      const after = processAt(tree, id, t);
      return isSome(before) && isSome(after) ? [{ time: t, before: brief(before.value), after: brief(after.value) }] : [];
    });
    holders.push({ entityId: id, startTime: node.startTime ?? 0n, exitTime: node.exitTime, exitCode: node.exitCode, execs });
  }
  const when =
    times !== undefined && times.length > 0
      ? times
      : holders.flatMap((h) => [...h.execs.map((x) => x.time), ...(h.exitTime !== undefined ? [h.exitTime - 1n, h.exitTime] : [])]);
  const answers = when.map((time) => {
    const holder = ds.processByPid(pid, time);
    if (isNone(holder)) return { time, holder: null, lineage: [], children: [], dataSource: { error: 'no process had this pid yet' } };
    const id = holder.value.entityId;
    const lineage = toUndefined(ds.lineage({ entityId: id, time, maxDepth: 5 })) ?? /** @type {ProcessInfo[]} */ ([]);
    const children = [...holder.value.childProcessesIds.values()].flatMap((cid) => {
      const c = ds.process({ entityId: cid, time });
      return isSome(c) ? [brief(c.value)] : [];
    });
    // Tracee's interface: Get(LineageKey) → {process_lineage} or an error string
    const got = ds.get(lineageKey(id, time, 5));
    const dataSource = isRight(got) && 'process_lineage' in got.right ? { pids: got.right.process_lineage.map((p) => p.pid) } : { error: isLeft(got) ? got.left : 'unexpected answer' };
    return { time, holder: brief(holder.value), lineage: lineage.map(brief), children, dataSource };
  });
  return { pid, holders, answers };
}

const who = (/** @type {Brief} */ p) => `${p.name || '?'}(${p.pid})`;
const prog = (/** @type {Brief} */ p) => `${p.exe || '?'}${p.argv.length > 0 ? ` ${JSON.stringify(p.argv)}` : ''}`;

/**
 * The investigation as a readable report.
 *
 * @param {Investigation} inv
 * @returns {string}
 */
export function formatReport(inv) {
  const out = [`pid ${inv.pid}: ${inv.holders.length} process(es) had it in the capture`];
  for (const h of inv.holders) {
    const exit = h.exitTime === undefined ? 'still running at the end' : `exited at ${h.exitTime} with status ${(h.exitCode ?? 0) >> 8}`;
    out.push(`  entity ${h.entityId}: started ${h.startTime || 'before the capture'}, ${exit}`);
    for (const x of h.execs) out.push(`    exec at ${x.time}: ${prog(x.before)}  ->  ${prog(x.after)}`);
  }
  for (const a of inv.answers) {
    out.push('', `as of ${a.time}:`);
    if (a.holder === null) {
      out.push('  no process had this pid');
      continue;
    }
    out.push(`  pid ${inv.pid} is entity ${a.holder.entityId}, ${a.holder.alive ? 'alive' : 'exited'}, running ${prog(a.holder)}`);
    out.push(`  lineage: ${a.lineage.map(who).join(' <- ')}`);
    out.push(`  children alive: ${a.children.length === 0 ? 'none' : a.children.map((c) => `${who(c)} ${c.exe}`).join(', ')}`);
    out.push(`  data source get(lineageKey(${a.holder.entityId}, ${a.time}, 5)): ${'pids' in a.dataSource ? `process_lineage [${a.dataSource.pids.join(', ')}]` : a.dataSource.error}`);
  }
  return out.join('\n');
}

const USAGE = 'usage: node examples/investigate.mjs --pid P [--at EPOCH_NS]... [--json] FILE...';

/**
 * The command line: replays the files, investigates each `--pid`, prints the report.
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
      options: { pid: { type: 'string', multiple: true }, at: { type: 'string', multiple: true }, json: { type: 'boolean' } },
    });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const pids = (values.pid ?? []).map(Number);
  if (positionals.length === 0 || pids.length === 0 || pids.some((p) => !Number.isInteger(p) || p <= 0)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  /** @type {bigint[]} */
  let times;
  try {
    times = (values.at ?? []).map((t) => BigInt(t));
  } catch {
    process.stderr.write(`--at takes integer epoch ns\n${USAGE}\n`);
    return 2;
  }
  const r = await replay(positionals);
  const reports = pids.map((pid) => investigate(r, pid, times));
  const text = values.json === true ? reports.map((x) => stringifyExact(x)).join('\n') : reports.map(formatReport).join('\n\n');
  process.stdout.write(`${text}\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`investigate: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
