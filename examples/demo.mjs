/**
 * `npm run demo`: proctree-rx on the captures shipped in examples/data/ (real process activity
 * recorded on a Linux machine, as Tracee events). Runs the built CLI (dist/src/cli/main.js) and
 * prints each command line before its output:
 *   1. the process tree of each capture (`tree`), and the same tree fed from events + signals;
 *   2. a few enriched events, compactly: what happened, in which process, under which ancestors;
 *   3. as-of queries (`query`): a lineage, a process after its exit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const data = (name) => relative(process.cwd(), join(ROOT, 'examples', 'data', name)) || name;
const tty = process.stdout.isTTY === true;
const bold = (s) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (tty ? `\x1b[2m${s}\x1b[0m` : s);

if (!existsSync(MAIN)) {
  console.error(`demo: ${MAIN} is missing; run \`npm run build\` first (npm run demo does)`);
  process.exit(1);
}

/** Runs `proctree-rx ARGS`, printing the command; returns stdout (stderr is shown dimmed). */
function proctree(args, { show = true } = {}) {
  console.log(bold(`$ proctree-rx ${args.join(' ')}`));
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`proctree-rx ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (show) process.stdout.write(r.stdout);
  if (r.stderr) process.stdout.write(dim(r.stderr));
  return r.stdout;
}

const section = (title) => console.log(`\n${bold(`== ${title} ==`)}\n`);

section('1. The process tree of each capture');
for (const name of ['pipeline.ndjson', 'threads.ndjson', 'interp.ndjson']) {
  proctree(['tree', data(name)]);
  console.log();
}
console.log('The same tree, fed from the events and from the signals Tracee\'s control plane sends (each change applied once):');
proctree(['tree', '--proctree', 'source=both', '--signals', data('pipeline.signals.ndjson'), data('pipeline.ndjson')]);

section('2. Enriched events (every line out as it came in, plus "proctree")');
const enriched = proctree([data('pipeline.ndjson')], { show: false })
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l));
console.log(dim(`(${enriched.length} lines; the lifecycle events and a few others, compactly:)`));
const first = BigInt(enriched[0].timestamp);
let shown = 0;
let opens = 0;
for (const e of enriched) {
  const lifecycle = e.eventName.startsWith('sched_process_');
  if (!lifecycle && opens++ >= 3) continue;
  if (shown++ >= 18) break;
  const p = e.proctree.process;
  // timestamps above 2^53 are rounded by JSON.parse; fine for a picture, not for arithmetic
  const ms = (Number(BigInt(Math.round(e.timestamp)) - first) / 1e6).toFixed(3).padStart(8);
  const who = p ? `${p.name}(${p.pid})`.padEnd(14) : '?'.padEnd(14);
  const exe = (p?.executionBinary.path || '-').padEnd(18);
  const chain = e.proctree.ancestors.map((a) => `${a.name || '?'}(${a.pid})`).join(' ← ');
  const extra = e.eventName === 'sched_process_exit' && p ? ` exit ${p.exitCode >> 8}` : '';
  console.log(`+${ms} ms  ${e.eventName.padEnd(20)} ${who} ${exe} ← ${chain}${extra}`);
}

section('3. As-of queries');
const answers = proctree(['query', '--queries', relative(process.cwd(), join(ROOT, 'examples', 'queries.ndjson')), data('pipeline.ndjson'), data('threads.ndjson')], { show: false });
for (const line of answers.split('\n').filter((l) => l !== '')) {
  const a = JSON.parse(line);
  // the time as written (JSON.parse would round it: it is above 2^53)
  const time = /"time":(\d+)/.exec(line)?.[1];
  const q = `${a.query.kind} of pid ${a.query.pid} at ${time}`;
  if (a.process_lineage) console.log(`${q}:\n  ${a.process_lineage.map((p) => `${p.name || '?'}(${p.pid}) ${p.executionBinary.path}`).join('\n  ← ')}`);
  else if (a.process_info) {
    const p = a.process_info;
    console.log(`${q}:\n  ${p.name}(${p.pid}) ${p.cmd.join(' ')}  alive=${p.isAlive} exitCode=${p.exitCode} (exit status ${p.exitCode >> 8})`);
  } else console.log(`${q}: ${a.error}`);
}
console.log(dim('\nMore: proctree-rx --help; tree --format dot | dot -Tsvg; findings --signatures PRX-002'));
