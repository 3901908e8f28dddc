#!/usr/bin/env node
/**
 * Fuzz and soak: `npm run fuzz` (builds first), or `node fuzz/fuzz.mjs [options]` on a built tree.
 *
 *   --sample          small sizes (the test suite runs this: test/fuzz/fuzzSample.spec.ts)
 *   --scale X         multiply every size by X (e.g. 25 reaches the issue's 500 k-child fork bomb)
 *   --only A,B        run only these scenarios (mutated, forkBomb, threadStorm, execStorm, neverExiting, fastStdin)
 *   --timeout S       per command; on expiry the command gets SIGTERM (how long it then takes to stop is printed)
 *   --json            one JSON object per scenario on stdout instead of the text report
 *
 * Scenarios:
 *   mutated       ≥ 100 k synthetic Tracee lines, ~30 % mutated (truncation, bit flips, invalid UTF-8,
 *                 terminal escapes, other spellings of keys, absurd pids and times, null args, deep
 *                 nesting, long lines …), read as a file (parser thread) and as stdin (main thread),
 *                 plus `findings`; the bad lines each path reports (--issues FILE) are compared with an
 *                 independent judge (fuzz/lib/oracle.mjs), and stderr is checked for raw control bytes
 *   forkBomb      one parent forks N children that never exit (fan-out)
 *   threadStorm   one process starts N threads
 *   execStorm     N children exec with 40 KB argv, then exit
 *   neverExiting  N processes (fan-out 64) that never exit
 *   fastStdin     the synthetic stream piped into stdin as fast as `cat` goes
 *
 * For every command: exit code, wall time, peak RSS (/usr/bin/time -f %M), output bytes, events/s.
 * Exit code: 1 when a command crashed (exit code other than 0 where 0 is expected) or the bad-line
 * judges disagree; findings failures are reported but not counted (issue 12, item 1, is separate).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthLines } from '../bench/lib/synth.mjs';
import { mutate, prng } from './lib/mutate.mjs';
import { judge } from './lib/oracle.mjs';
import { execStorm, forkBomb, neverExiting, threadStorm } from './lib/scenarios.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const MAIN = join(HERE, '..', 'dist', 'src', 'cli', 'main.js');
const TIME = '/usr/bin/time';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const sample = flag('--sample');
const scale = Number(value('--scale', '1'));
const only = value('--only', '')
  .split(',')
  .filter((s) => s !== '');
const json = flag('--json');
const timeoutS = Number(value('--timeout', sample ? '60' : '600'));

/** Sizes per scenario: full (the default) and --sample. */
const SIZES = sample
  ? { mutated: 3000, forkBomb: 300, threadStorm: 300, execStorm: 40, neverExiting: 2000, fastStdin: 5000 }
  : { mutated: 120_000, forkBomb: 10_000, threadStorm: 5000, execStorm: 5000, neverExiting: 200_000, fastStdin: 300_000 };
const size = (name) => Math.max(1, Math.round(SIZES[name] * scale));

if (!existsSync(MAIN)) {
  console.error(`fuzz: ${MAIN} is missing; run npm run build first (npm run fuzz does)`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'prx-fuzz-'));
const hasTime = existsSync(TIME);

/** Writes lines (strings or Buffers) to a file, one per line. */
async function writeLines(path, lines) {
  const ws = createWriteStream(path);
  let n = 0;
  for (const line of lines) {
    n++;
    ws.write(line);
    if (!ws.write('\n')) await new Promise((r) => ws.once('drain', r));
  }
  await new Promise((resolve, reject) => ws.end((err) => (err ? reject(err) : resolve())));
  return { lines: n, bytes: statSync(path).size };
}

/**
 * Runs the CLI: `args`, stdin from `stdinFile` through a pipe (`cat FILE |`) or nothing.
 * @returns {Promise<{ code: number | null, ms: number, rssMB: number | undefined, outBytes: number, stderr: string, stopMs: number | undefined }>}
 */
function runCli(args, { stdinFile } = {}) {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  const node = [process.execPath, MAIN, ...args];
  const timed = hasTime ? [TIME, '-f', '%M', '-o', rssFile, ...node] : node;
  const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = stdinFile === undefined ? timed : ['sh', '-c', `cat ${quote(stdinFile)} | exec ${timed.map(quote).join(' ')}`];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let outBytes = 0;
    let stderr = '';
    let stopAt;
    child.stdout.on('data', (c) => (outBytes += c.length));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c) => {
      stderr += c;
      if (stderr.length > 4_000_000) stderr = stderr.slice(-2_000_000);
    });
    const timer = setTimeout(() => {
      stopAt = performance.now();
      // the CLI itself gets the signal (time and sh pass it on only when exec'd)
      child.kill('SIGTERM');
    }, timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let rssMB;
      try {
        rssMB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
      } catch {
        rssMB = undefined;
      }
      resolve({ code: code ?? signal, ms, rssMB, outBytes, stderr, stopMs: stopAt === undefined ? undefined : performance.now() - stopAt, timedOut: stopAt !== undefined });
    });
  });
}

const mb = (n) => (n === undefined ? 'n/a' : `${n.toFixed(0)} MB`);
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** One command's figures as text. */
const figures = (label, r, events) =>
  `  ${label.padEnd(22)} exit ${String(r.code).padEnd(3)} ${secs(r.ms).padStart(9)}  peak RSS ${mb(r.rssMB).padStart(8)}  out ${mb(r.outBytes / 1e6).padStart(8)}` +
  `  ${events !== undefined ? `${((events / r.ms) * 1000 / 1000).toFixed(1)} k events/s` : ''}${r.timedOut ? `  TIMEOUT after ${timeoutS} s, stopped ${secs(r.stopMs)} after SIGTERM` : ''}`;

/** Line numbers of the issues of severity error in an --issues file. */
function badLinesIn(path) {
  if (!existsSync(path)) return new Set();
  const set = new Set();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const i = JSON.parse(line);
    if (i.severity === 'error') set.add(i.line);
  }
  return set;
}

const diff = (a, b) => [...a].filter((x) => !b.has(x));
/** Control characters on stderr other than newline (C0, DEL, C1: what a terminal would interpret). */
const controlBytes = (text) => [...text].filter((c) => (c < ' ' && c !== '\n') || (c >= '\x7f' && c <= '\x9f')).length;

const failures = [];
const report = (result) => {
  if (json) console.log(JSON.stringify(result));
};
const expectOk = (scenario, label, r) => {
  if (r.code !== 0 || r.timedOut) failures.push(`${scenario}: ${label} exit ${r.code}${r.timedOut ? ' (timeout)' : ''}: ${r.stderr.split('\n').slice(-3).join(' | ')}`);
};

async function mutatedScenario() {
  const n = size('mutated');
  const rnd = prng(12);
  const verdicts = [];
  const byMutator = new Map();
  let mutated = 0;
  const lines = (function* () {
    for (const text of synthLines({ lines: n, seed: 3 })) {
      let bytes = Buffer.from(text);
      let name = 'none';
      if (rnd() < 0.3) {
        ({ name, bytes } = mutate(bytes, rnd));
        mutated++;
      }
      byMutator.set(name, (byMutator.get(name) ?? 0) + 1);
      verdicts.push({ verdict: judge(bytes), name });
      yield bytes;
    }
  })();
  const path = join(dir, 'mutated.ndjson');
  const { bytes } = await writeLines(path, lines);
  const oracle = new Set(verdicts.flatMap((v, i) => (v.verdict === 'bad' ? [i + 1] : [])));
  const fileIssues = join(dir, 'issues-file.ndjson');
  const stdinIssues = join(dir, 'issues-stdin.ndjson');
  const file = await runCli(['enrich', '--issues', fileIssues, path]);
  const stdin = await runCli(['enrich', '--proctree', 'disable-procfs', '--issues', stdinIssues, '-'], { stdinFile: path });
  const findings = await runCli(['findings', path]);
  const badFile = badLinesIn(fileIssues);
  const badStdin = badLinesIn(stdinIssues);
  const disagree = {
    fileNotOracle: diff(badFile, oracle),
    oracleNotFile: diff(oracle, badFile),
    stdinNotOracle: diff(badStdin, oracle),
    oracleNotStdin: diff(oracle, badStdin),
  };
  const disagreements = Object.values(disagree).reduce((s, l) => s + l.length, 0);
  const unsafe = controlBytes(file.stderr) + controlBytes(stdin.stderr) + controlBytes(findings.stderr);
  expectOk('mutated', 'enrich FILE', file);
  expectOk('mutated', 'enrich stdin', stdin);
  if (disagreements > 0) failures.push(`mutated: ${disagreements} bad-line disagreements`);
  if (unsafe > 0) failures.push(`mutated: ${unsafe} raw control bytes on stderr`);
  const sampleOf = (list) => list.slice(0, 5).map((l) => `${l} (${verdicts[l - 1]?.name})`);
  report({ scenario: 'mutated', lines: n, mutated, bytes, oracleBad: oracle.size, fileBad: badFile.size, stdinBad: badStdin.size, disagreements, unsafe, runs: { file, stdin, findings }, disagree });
  if (!json) {
    console.log(`mutated: ${n} lines (${mutated} mutated, ${Object.keys(Object.fromEntries(byMutator)).length - 1} kinds), ${mb(bytes / 1e6)}`);
    console.log(figures('enrich FILE', file, n - badFile.size));
    console.log(figures('enrich stdin', stdin, n - badStdin.size));
    console.log(figures('findings FILE', findings, n));
    console.log(`  bad lines: judge ${oracle.size}, file (parser thread) ${badFile.size}, stdin (main thread) ${badStdin.size}; disagreements ${disagreements}; raw control bytes on stderr ${unsafe}`);
    for (const [k, list] of Object.entries(disagree)) if (list.length > 0) console.log(`    ${k}: ${list.length}, e.g. lines ${sampleOf(list).join(', ')}`);
    if (findings.code !== 0) {
      const why = findings.stderr.split('\n').filter((l) => /^proctree-rx: (?!\d+ events|stats:|warning:)/.test(l));
      console.log(`  findings failed (issue 12 item 1, signatures): ${why.slice(-1)[0] ?? findings.stderr.split('\n').slice(-2).join(' ')}`);
    }
  }
}

async function soak(name, lines, commands) {
  const path = join(dir, `${name}.ndjson`);
  const { lines: count, bytes } = await writeLines(path, lines);
  const runs = {};
  if (!json) console.log(`${name}: ${count} lines, ${mb(bytes / 1e6)}`);
  for (const [label, args, options] of commands(path)) {
    const r = await runCli(args, options);
    runs[label] = r;
    expectOk(name, label, r);
    if (!json) console.log(figures(label, r, count));
  }
  report({ scenario: name, lines: count, bytes, runs: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, { ...r, stderr: r.stderr.slice(-500) }])) });
  rmSync(path, { force: true });
}

const fileCommands = (path) => [
  ['enrich FILE', ['enrich', '--quiet', path]],
  ['tree FILE', ['tree', '--quiet', path]],
];

const SCENARIOS = {
  mutated: mutatedScenario,
  forkBomb: () => soak('forkBomb', forkBomb(size('forkBomb')), fileCommands),
  threadStorm: () => soak('threadStorm', threadStorm(size('threadStorm')), fileCommands),
  execStorm: () => soak('execStorm', execStorm(size('execStorm')), fileCommands),
  neverExiting: () =>
    soak('neverExiting', neverExiting(size('neverExiting')), (path) => [
      ...fileCommands(path),
      ['query FILE', ['query', '--quiet', '--queries', writeQueries(), path]],
    ]),
  fastStdin: () =>
    soak('fastStdin', synthLines({ lines: size('fastStdin'), seed: 5 }), (path) => [
      ['enrich stdin', ['enrich', '--quiet', '--proctree', 'disable-procfs', '-'], { stdinFile: path }],
      ['tree stdin', ['tree', '--quiet', '--proctree', 'disable-procfs', '-'], { stdinFile: path }],
    ]),
};

/** Lineage queries of 100 pids, as of a time after the end of every capture, for `query`. */
function writeQueries() {
  const q = join(dir, 'queries.ndjson');
  const lines = [];
  for (let pid = 1000; pid < 1100; pid++) lines.push(JSON.stringify({ kind: 'lineage', pid, time: '1895582595489049319' }).replace(/"time":"(\d+)"/, '"time":$1'));
  writeFileSync(q, lines.join('\n') + '\n');
  return q;
}

if (!json) console.log(`proctree-rx fuzz/soak (${sample ? 'sample' : 'full'} sizes${scale !== 1 ? ` × ${scale}` : ''}; peak RSS ${hasTime ? 'by /usr/bin/time -f %M' : 'not measured: no /usr/bin/time'})`);
try {
  for (const [name, run] of Object.entries(SCENARIOS)) {
    if (only.length > 0 && !only.includes(name)) continue;
    await run();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (!json) console.log(failures.length === 0 ? 'fuzz: no failures' : `fuzz: ${failures.length} failure(s):\n  ${failures.join('\n  ')}`);
process.exitCode = failures.length === 0 ? 0 : 1;
