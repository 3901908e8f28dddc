/**
 * The built `proctree-rx` end to end, as a child process: enrich (files, stdin, FIFO, bad lines,
 * EPIPE, digit-exact pass-through), query against the fixtures' truth, tree pictures, snapshot,
 * findings, exit codes. Builds the project once into a temporary directory (never races with
 * other builds of dist/).
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, loadTruth } from '../support/fixtures.js';
import { buildCli, ROOT, type BuiltCli } from '../support/builtCli.js';

const PROCFS_FIXTURE = join(ROOT, 'test', 'fixtures', 'procfs', 'proc');
const fixture = (name: string): string => join(FIXTURES, name);
let dir: string;
let main: string;

const run = (args: readonly string[], input = ''): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', input, timeout: 30_000, maxBuffer: 256 * 1024 * 1024 });

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const inputLines = (name: string): string[] => lines(readFileSync(fixture(name), 'utf8'));
/** An output line without the key enrich added: what came in. */
const withoutProctree = (line: string): string => {
  const at = line.lastIndexOf(',"proctree":');
  return at < 0 ? line : line.slice(0, at) + '}';
};
const proctreeOf = (line: string): { version: number; process: { pid: number } | null; ancestors: { pid: number }[] } =>
  (JSON.parse(line) as { proctree: { version: number; process: { pid: number } | null; ancestors: { pid: number }[] } }).proctree;

let cli: BuiltCli | undefined;

beforeAll(() => {
  cli = buildCli('proctree-rx-e2e-');
  dir = cli.dir;
  main = cli.main;
}, 90_000);

afterAll(() => {
  cli?.cleanup();
});

describe('enrich', () => {
  it.each(['pipeline.ndjson', 'threads.ndjson', 'interp.ndjson', 'pipeline.both.ndjson'])(
    '%s: a file (parsed on the parser thread) and the same bytes on stdin (parsed on the main thread) give the same output, byte for byte',
    (name) => {
      // stdin is live input: no host procfs (a file never reads it), and a window that orders it fully
      const source = ['--proctree', name.includes('both') ? 'source=both' : 'source=events', '--proctree', 'disable-procfs'];
      const viaFile = run(['--quiet', ...source, fixture(name)]);
      const viaStdin = run(['--quiet', ...source, '--reorder-window', '3600s', '-'], readFileSync(fixture(name), 'utf8'));
      expect(viaFile.status).toBe(0);
      expect(viaStdin.status).toBe(0);
      expect(lines(viaFile.stdout).length).toBe(inputLines(name).length);
      expect(viaFile.stdout).toBe(viaStdin.stdout);
    },
  );

  it('sorts shuffled files fully (the measured window), across two files, exactly as the sorted capture', () => {
    const input = inputLines('pipeline.ndjson');
    // deterministic shuffle inside blocks of 7 lines, then split into two files
    const shuffled = input.map((l, i) => ({ l, k: Math.floor(i / 7) * 7 + ((i * 5) % 7) })).sort((a, b) => a.k - b.k).map((x) => x.l);
    const a = join(dir, 'shuffled-a.ndjson');
    const b = join(dir, 'shuffled-b.ndjson');
    writeFileSync(a, shuffled.slice(0, 90).join('\n') + '\n');
    writeFileSync(b, shuffled.slice(90).join('\n') + '\n');
    const r = run([a, b]);
    expect(r.status).toBe(0);
    const ts = lines(r.stdout).map((l) => BigInt(/^\{"timestamp":(\d+)/.exec(l)![1]!));
    expect(ts).toHaveLength(input.length);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! >= ts[i - 1]!).toBe(true);
    expect(lines(r.stdout).map(withoutProctree).sort()).toEqual([...input].sort());
    expect(r.stderr).toContain(' 0 late,');
    // the same output as from the sorted file, line for line
    expect(lines(r.stdout)).toEqual(lines(run([fixture('pipeline.ndjson')]).stdout));
  });

  it('a file whose measured disorder spans it is still held to the byte cap (16 MiB): the earliest events leave early, the straggler is late, every line comes out', () => {
    const input = inputLines('pipeline.ndjson');
    const plain = input.find((l) => !l.includes('"eventName":"sched_process_'))!;
    const first = BigInt(/^\{"timestamp":(\d+)/.exec(plain)![1]!);
    const at = (t: bigint): string => plain.replace(/^\{"timestamp":\d+/, `{"timestamp":${t}`);
    // ~8 k events counting 2.6 KB each (twice the line + 256 B) exceed the 16 MiB default, then one
    // line from before all of them: the pre-pass measures the whole file as its window
    const many = Math.ceil((17 * 1024 * 1024) / (2 * plain.length + 256));
    const body = Array.from({ length: many }, (_, i) => at(first + BigInt(i) * 1000n));
    const path = join(dir, 'straggler.ndjson');
    writeFileSync(path, [...body, at(first - 1n)].join('\n') + '\n');
    const capped = run(['--quiet', '--stats', path]);
    expect(capped.status).toBe(0);
    expect(lines(capped.stdout)).toHaveLength(many + 1);
    expect(capped.stderr).toContain('stats: late: 1\n');
    // without the cap (--reorder-bytes 0) the measured window sorts it exactly
    const exact = run(['--quiet', '--stats', '--reorder-bytes', '0', path]);
    expect(exact.stderr).toContain('stats: late: 0\n');
    expect(lines(exact.stdout)[0]).toContain(`{"timestamp":${first - 1n},`);
    // a file the pre-pass cannot measure (a line whose first key is not "timestamp": valid JSON)
    // was sorted whole in memory; it is held to the same cap
    const unmeasured = join(dir, 'straggler-unmeasured.ndjson');
    const reordered = body[1]!.replace(/^\{("timestamp":\d+),/, '{"eventName":"x",$1,').replace(/,"eventName":"[^"]*"/, '');
    writeFileSync(unmeasured, [body[0], reordered, ...body.slice(2), at(first - 1n)].join('\n') + '\n');
    const cappedToo = run(['--quiet', '--stats', unmeasured]);
    expect(cappedToo.status).toBe(0);
    expect(lines(cappedToo.stdout)).toHaveLength(many + 1);
    expect(cappedToo.stderr).toContain('stats: late: 1\n');
  });

  it.each(['pipeline.ndjson', 'threads.ndjson', 'interp.ndjson'])('%s: every input line comes out digit for digit, plus "proctree"', (name) => {
    const r = run([fixture(name)]);
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    const input = inputLines(name);
    expect(out).toHaveLength(input.length);
    expect(out.map(withoutProctree)).toEqual(input);
    for (const line of out) expect(line).toContain(',"proctree":{"version":');
    // the format it was read as, then the summary on stderr, nothing else
    expect(r.stderr).toMatch(
      /^proctree-rx: \S+: reading Tracee v0\.18-format events \(v0\.18\.0–v0\.19\.0\)\nproctree-rx: \d+ events \(\d+ lifecycle\), 0 bad lines, 0 late, \d+ processes, [\d.]+ m?s\n$/,
    );
  });

  it('attaches the process and its ancestors as of each event', () => {
    const out = lines(run(['--quiet', fixture('pipeline.ndjson')]).stdout);
    // the exec of wc (pid 20652): wc, under sh 20650, under 20647 (outside the recording)
    const wcExec = out.find((l) => l.includes('"eventName":"sched_process_exec"') && l.includes('"hostProcessId":20652,'));
    expect(wcExec).toBeDefined();
    const ctx = proctreeOf(wcExec!);
    expect(ctx.process?.pid).toBe(20652);
    expect(ctx.ancestors.map((a) => a.pid)).toEqual([20650, 20647]);
  });

  it('stdin gives the same output as the file (procfs off)', () => {
    const file = run(['--quiet', fixture('threads.ndjson')]);
    const piped = run(['--quiet', '--proctree', 'disable-procfs'], readFileSync(fixture('threads.ndjson'), 'utf8'));
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(file.stdout);
  });

  it('reads a FIFO', async () => {
    const fifo = join(dir, 'events.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn(process.execPath, [main, '--quiet', '--proctree', 'disable-procfs', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // opening the FIFO for writing blocks until the CLI opens it for reading
    const writer = spawn('sh', ['-c', `cat "$1" > "$2"`, 'sh', fixture('interp.ndjson'), fifo]);
    const [code] = await Promise.all([
      new Promise<number | null>((res) => child.on('close', res)),
      new Promise<void>((res) => writer.on('close', () => res())),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines(stdout).map(withoutProctree)).toEqual(inputLines('interp.ndjson'));
  }, 30_000);

  it('bad lines: FILE:LINE on stderr, the rest goes on, exit 0; --strict exits 1', () => {
    const good = inputLines('pipeline.ndjson');
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, [good[0], good[1], 'not json', '{"a":1}', good[2]].join('\n') + '\n');
    const r = run([bad]);
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toHaveLength(3);
    expect(r.stderr).toContain(`${bad}:3: invalid JSON`);
    expect(r.stderr).toContain(`${bad}:4: `);
    expect(r.stderr).toContain('3 events (1 lifecycle), 2 bad lines');
    const strict = run(['--strict', bad]);
    expect(strict.status).toBe(1);
    expect(lines(strict.stdout)).toHaveLength(3);
  });

  it('| head -n 1: exit 0, nothing on stderr', () => {
    // large enough that the writer is still busy when head leaves
    const big = join(dir, 'big.ndjson');
    const text = readFileSync(fixture('pipeline.ndjson'), 'utf8');
    writeFileSync(big, text.repeat(60));
    const r = spawnSync('bash', ['-c', `"$0" "$1" "$2" | head -n 1 > /dev/null; echo "status=\${PIPESTATUS[0]}"`, process.execPath, main, big], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout.trim()).toBe('status=0');
    // nothing but the line saying which format the input is read as
    expect(r.stderr.replace(/^proctree-rx: \S+: reading Tracee v0\.18-format events \(v0\.18\.0–v0\.19\.0\)\n/, '')).toBe('');
  }, 60_000);

  it('source=none passes the lines through unchanged', () => {
    const r = run(['--quiet', '--proctree', 'source=none', fixture('interp.ndjson')]);
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toEqual(inputLines('interp.ndjson'));
  });

  it('a missing input: a clear message, exit 1', () => {
    const r = run([join(dir, 'nope.ndjson')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`proctree-rx: cannot read ${join(dir, 'nope.ndjson')}: no such file\n`);
  });

  it('a bad flag: usage error, exit 2', () => {
    const r = run(['--reorder-window', 'soon', fixture('interp.ndjson')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('proctree-rx: ');
  });

  it('--stats prints the counters', () => {
    const r = run(['--stats', fixture('pipeline.ndjson')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('proctree-rx: stats: events: 174\n');
    expect(r.stderr).toContain('proctree-rx: stats: bad lines: 0\n');
    expect(r.stderr).toContain('proctree-rx: stats: processes: 12\n');
    expect(r.stderr).toContain('proctree-rx: stats: procfs: off\n');
  });
});

describe('query', () => {
  it.each(['pipeline', 'threads', 'interp'])('%s: lineage answers match the truth samples', (name) => {
    const truth = loadTruth(`${name}.truth.json`);
    const qfile = join(dir, `${name}.queries.ndjson`);
    writeFileSync(
      qfile,
      truth.samples.map((s) => `{"kind":"lineage","entityId":${s.entityId},"time":${s.time},"maxDepth":10}`).join('\n') + '\n',
    );
    const r = run(['query', '--quiet', '--queries', qfile, fixture(`${name}.ndjson`)]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const answers = lines(r.stdout);
    expect(answers).toHaveLength(truth.samples.length);
    answers.forEach((line, i) => {
      const sample = truth.samples[i]!;
      // the query comes back as given, digit for digit
      expect(line.startsWith(`{"query":{"kind":"lineage","entityId":${sample.entityId},"time":${sample.time},"maxDepth":10},`)).toBe(true);
      const a = JSON.parse(line) as { process_lineage: { pid: number; executionBinary: { path: string }; isAlive: boolean }[] };
      expect(a.process_lineage.map((p) => p.pid)).toEqual(sample.lineagePids);
      expect(a.process_lineage[0]!.isAlive).toBe(sample.alive);
      if (sample.exe !== null) expect(a.process_lineage[0]!.executionBinary.path).toBe(sample.exe);
    });
  });

  it('process, thread, by pid, not found, and bad lines', () => {
    const truth = loadTruth('pipeline.truth.json');
    const s = truth.samples[0]!;
    const qfile = join(dir, 'mixed.queries.ndjson');
    writeFileSync(
      qfile,
      [
        `{"kind":"process","entityId":${s.entityId},"time":${s.time}}`,
        `{"kind":"thread","pid":${s.pid},"time":${s.time}}`,
        `{"kind":"process","entityId":1,"time":${s.time}}`,
        '',
        '{"kind":"bogus","entityId":1,"time":1}',
        'not json',
      ].join('\n'),
    );
    const r = run(['query', '--queries', qfile, fixture('pipeline.ndjson')]);
    expect(r.status).toBe(0);
    const answers = lines(r.stdout);
    expect(answers).toHaveLength(5);
    expect((JSON.parse(answers[0]!) as { process_info: { pid: number } }).process_info.pid).toBe(s.pid);
    expect((JSON.parse(answers[1]!) as { thread_info: { tid: number; entityId: number } }).thread_info).toMatchObject({ tid: s.pid, entityId: s.entityId });
    expect(answers[2]).toBe(`{"query":{"kind":"process","entityId":1,"time":${s.time}},"error":"requested data was not found"}`);
    expect(answers[3]).toMatch(/^\{"query":\{"kind":"bogus","entityId":1,"time":1\},"error":"\\"kind\\" must be/);
    expect(answers[4]).toMatch(/^\{"query":"not json","error":"invalid JSON/);
    expect(r.stderr).toContain(`${qfile}:5: "kind" must be`);
    expect(r.stderr).toContain(`${qfile}:6: invalid JSON`);
    expect(run(['query', '--strict', '--queries', qfile, fixture('pipeline.ndjson')]).status).toBe(1);
  });

  it('a missing QFILE: exit 1', () => {
    const r = run(['query', '--queries', join(dir, 'none.ndjson'), fixture('pipeline.ndjson')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot read');
  });
});

describe('tree', () => {
  it('pipeline: the pstree picture at the end of the input', () => {
    const r = run(['tree', fixture('pipeline.ndjson')]);
    expect(r.status).toBe(0);
    const picture = r.stdout.split('\n');
    expect(picture).toContain('└─ sh(20650)  /usr/bin/dash [exit 0]');
    expect(picture).toContain('   ├─ ls(20651)  /usr/bin/ls [exit 0]');
    expect(picture).toContain('   │  └─ sleep(20654)  /usr/bin/sleep [exit 0]');
    expect(picture).toContain('   └─ sh(20660)  /usr/bin/dash [exit 3]');
  });

  it('threads: python and its subprocesses', () => {
    const r = run(['tree', '--quiet', fixture('threads.ndjson')]);
    expect(r.stdout).toContain('└─ python3(20707)  /usr/local/bin/python3.11 [exit 0]');
    expect(r.stdout).toContain('├─ true(20710)  /usr/bin/true [exit 0]');
  });

  it('source=both on pipeline.both gives the same tree as source=events on pipeline', () => {
    const events = run(['tree', '--quiet', fixture('pipeline.ndjson')]);
    const both = run(['tree', '--quiet', '--proctree', 'source=both', fixture('pipeline.both.ndjson')]);
    expect(both.status).toBe(0);
    expect(both.stdout).toBe(events.stdout);
    const json = run(['tree', '--quiet', '--format', 'json', fixture('pipeline.ndjson')]);
    const bothJson = run(['tree', '--quiet', '--format', 'json', '--proctree', 'source=both', fixture('pipeline.both.ndjson')]);
    expect(bothJson.stdout).toBe(json.stdout);
  });

  it('--at T: the tree as it was then', () => {
    const s = loadTruth('pipeline.truth.json').samples[0]!; // wc 20652 alive
    const r = run(['tree', '--quiet', '--at', String(s.time), fixture('pipeline.ndjson')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('wc(20652)  /usr/bin/wc\n');
    expect(r.stdout).not.toContain('(20660)');
    const dot = run(['tree', '--quiet', '--format', 'dot', fixture('pipeline.ndjson')]);
    expect(dot.stdout.startsWith('digraph proctree {')).toBe(true);
  });
});

describe('snapshot', () => {
  it('--procfs-root: the tree the fixture procfs describes', () => {
    const r = run(['snapshot', '--procfs-root', PROCFS_FIXTURE]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('systemd(1)  /sbin/init');
    expect(r.stdout).toContain('└─ bash(100)  /usr/bin/bash');
    expect(r.stderr).toMatch(/^proctree-rx: .*: 12 processes, \d+ threads, /);
    const json = JSON.parse(run(['snapshot', '--quiet', '--format', 'json', '--procfs-root', PROCFS_FIXTURE]).stdout) as { pid: number }[];
    expect(json[0]!.pid).toBe(1);
  });

  it('an unreadable root: exit 1', () => {
    const r = run(['snapshot', '--procfs-root', join(dir, 'no-proc')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('proctree-rx: ');
  });
});

type FindingLine = { SigMetadata: { ID: string }; Event: { eventName: string; hostProcessId: number; proctree: object }; Data: Record<string, unknown> };
const findingsOf = (stdout: string): FindingLine[] => lines(stdout).map((l) => JSON.parse(l) as FindingLine);

/** pipeline.ndjson with its `ls` exec moved to /tmp (a PRX-002 hit, line 11) and malformed lines inserted before it. */
function capture(extra: readonly string[]): string {
  const input = inputLines('pipeline.ndjson');
  const at = input.findIndex((l) => l.includes('"pathname","type":"const char*","value":"/usr/bin/ls"'));
  const out = [...input];
  out[at] = input[at]!.replaceAll('/usr/bin/ls', '/tmp/ls');
  out.splice(at, 0, ...extra);
  return out.join('\n') + '\n';
}
/** The first exec line of pipeline.ndjson with its args replaced. */
const execWithArgs = (args: unknown): string => {
  const line = inputLines('pipeline.ndjson').find((l) => l.includes('"eventName":"sched_process_exec"'))!;
  return line.replace(/"args":\[.*\]\}$/, `"args":${JSON.stringify(args)}}`);
};
/** An openat line of pipeline.ndjson turned into a connect event with these args. */
const connectWithArgs = (args: unknown): string => {
  const line = inputLines('pipeline.ndjson').find((l) => l.includes('"eventName":"openat"'))!;
  return line.replace('"eventName":"openat"', '"eventName":"connect"').replace(/"args":\[.*\]\}$/, `"args":${JSON.stringify(args)}}`);
};

describe('findings', () => {
  it('by default runs the detections only: nothing fires on ordinary activity', () => {
    const r = run(['findings', fixture('pipeline.ndjson')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(' 0 findings, ');
  });

  it('PROCTREE_DATA_SOURCE (opt-in) finds the tree consistent with every exec of the fixtures: no finding', () => {
    const r = run(['findings', '--signatures', 'PROCTREE_DATA_SOURCE', fixture('pipeline.ndjson')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(' 0 findings, ');
  });

  it('malformed exec and connect args (null entries, wrong types, missing ones): a warning with the line each, and the run goes on (issue 12)', () => {
    const file = join(dir, 'malformed.ndjson');
    const bad = [
      execWithArgs([null, { name: 'pathname', type: 'const char*', value: '/usr/bin/x' }]),
      execWithArgs([{ name: 'pathname', type: 'const char*', value: null }, 7, { value: 'no name' }]),
      execWithArgs([{ name: 'argv', type: 'const char**', value: [1, null] }]),
      execWithArgs([]),
      connectWithArgs([null]),
      connectWithArgs([{ name: 'addr', type: 'struct sockaddr*', value: null }, 'x']),
    ];
    writeFileSync(file, capture(bad));
    const firstBad = inputLines('pipeline.ndjson').findIndex((l) => l.includes('"/usr/bin/ls"')) + 1;
    const r = run(['findings', file]);
    expect(r.status).toBe(0);
    const warnings = lines(r.stderr).filter((l) => l.includes('(ignored by the signatures)'));
    expect(warnings).toEqual([
      `${file}:${firstBad}: warning: sched_process_exec: args[0] is null, not an argument (ignored by the signatures)`,
      `${file}:${firstBad + 1}: warning: sched_process_exec: args[1] is a number, not an argument (ignored by the signatures)`,
      `${file}:${firstBad + 1}: warning: sched_process_exec: args[2] has no name (ignored by the signatures)`,
      `${file}:${firstBad + 1}: warning: sched_process_exec: argument "pathname" is null, not a string (ignored by the signatures)`,
      `${file}:${firstBad + 2}: warning: sched_process_exec: argument "argv" holds 2 non-string entries (ignored by the signatures)`,
      `${file}:${firstBad + 2}: warning: sched_process_exec: arguments "pathname" and "cmdpath" are missing (ignored by the signatures)`,
      `${file}:${firstBad + 3}: warning: sched_process_exec: arguments "pathname" and "cmdpath" are missing (ignored by the signatures)`,
      `${file}:${firstBad + 4}: warning: connect: args[0] is null, not an argument (ignored by the signatures)`,
      `${file}:${firstBad + 4}: warning: connect: arguments "addr" and "remote_addr" are missing (ignored by the signatures)`,
      `${file}:${firstBad + 5}: warning: connect: args[1] is a string, not an argument (ignored by the signatures)`,
      `${file}:${firstBad + 5}: warning: connect: argument "addr" is null (ignored by the signatures)`,
    ]);
    // the events after them were still processed: the /tmp exec fires
    expect(findingsOf(r.stdout).map((f) => [f.SigMetadata.ID, f.Data['pathname']])).toEqual([['PRX-002', '/tmp/ls']]);
    expect(r.stderr).not.toContain('signature error');
  });

  it('--signature-module: Tracee-style classes and operator-style signatures from ES modules; errors reported per line, counted, exit 1 at the end', () => {
    const rules = join(dir, 'rules.mjs');
    writeFileSync(
      rules,
      `import { eventSignature } from './src/index.js';
const meta = (id) => ({ id, name: id, version: '1', description: 'test rule', tags: [], properties: { Severity: 1 } });
export class LsRule {
  getMetadata() { return meta('ACME-001'); }
  getSelectedEventsToTrace() { return [{ source: 'tracee', name: 'sched_process_exec' }]; }
  init(ctx) { this.ctx = ctx; }
  onEvent(e) {
    if (e.event.processName === 'sleep') throw new TypeError('cannot read sleep');
    if (e.event.processName === 'ls') this.ctx.callback({ event: e, data: { seen: 'ls' } });
  }
  close() {}
}
export const rules = [eventSignature(meta('ACME-002'), ['sched_process_exec'], (e) => (e.event.processName === 'wc' ? { seen: 'wc' } : undefined))];
export const notARule = 42;
`,
    );
    const sleepLine = inputLines('pipeline.ndjson').findIndex((l) => l.includes('"eventName":"sched_process_exec"') && l.includes('"processName":"sleep"')) + 1;
    const r = run(['findings', '--signature-module', rules, fixture('pipeline.ndjson')]);
    expect(r.status).toBe(1);
    expect(findingsOf(r.stdout).map((f) => [f.SigMetadata.ID, f.Data['seen']])).toEqual([
      ['ACME-001', 'ls'],
      ['ACME-002', 'wc'],
    ]);
    expect(lines(r.stderr).filter((l) => l.startsWith('signature '))).toEqual([`signature ACME-001 failed on ${fixture('pipeline.ndjson')}:${sleepLine}: TypeError: cannot read sleep`]);
    expect(r.stderr).toMatch(/ 2 findings, 1 signature error, /);
    // --signatures picks among built-ins and module signatures
    const only = run(['findings', '--signature-module', rules, '--signatures', 'ACME-002,PRX-002', fixture('pipeline.ndjson')]);
    expect(only.status).toBe(0);
    expect(findingsOf(only.stdout).map((f) => f.SigMetadata.ID)).toEqual(['ACME-002']);
  });

  it.each([
    ['missing.mjs', null, 'proctree-rx: --signature-module MODULE: no such file'],
    ['syntax.mjs', 'export const = 1;', 'proctree-rx: --signature-module MODULE: cannot load: SyntaxError: '],
    ['nothing.mjs', 'export const helper = () => 1;', 'proctree-rx: --signature-module MODULE: exports no signature (it exports helper); export a Signature object or class, a SignatureOperator, or an array of them'],
    ['clash.mjs', "export const s = { metadata: { id: 'PRX-001' }, operator: () => (e) => e };", 'proctree-rx: --signature-module MODULE: signature id PRX-001 is already used by a built-in signature; give it another id'],
    ['array.mjs', "export default [{ metadata: { id: 'A-1' }, operator: () => (e) => e }, 'oops'];", 'proctree-rx: --signature-module MODULE: default[1] is not a signature'],
  ])('--signature-module %s that cannot be used: exit 2 with the reason', (name, text, message) => {
    const module = join(dir, name);
    if (text !== null) writeFileSync(module, text);
    const r = run(['findings', '--signature-module', module, fixture('pipeline.ndjson')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message.replace('MODULE', module));
  });

  it('an unknown signature id: exit 2 with the known ids', () => {
    const r = run(['findings', '--signatures', 'NOPE-1', fixture('pipeline.ndjson')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown signature NOPE-1; known signatures: ');
  });
});

describe('bad input, reported in full', () => {
  it('--issues FILE holds every bad line (NDJSON); stderr shows 100, escaped, and says where the rest are; absurd pids are bad lines', () => {
    const good = inputLines('pipeline.ndjson');
    const fork = good.find((l) => l.includes('"eventName":"sched_process_fork"'))!;
    const badPid = fork.replace(/("name":"child_pid","type":"int","value":)\d+/, '$14294967296');
    const bad = Array.from({ length: 150 }, (_, i) => `{"timestamp":"\u001b[2Jnot a number ${i}"}`);
    const input = [...good.slice(0, 10), badPid, ...bad, ...good.slice(10)].join('\n') + '\n';
    const path = join(dir, 'bad-input.ndjson');
    const issues = join(dir, 'issues.ndjson');
    writeFileSync(path, input);
    const r = run(['--issues', issues, path]);
    expect(r.status).toBe(0);
    const reported = lines(readFileSync(issues, 'utf8')).map((l) => JSON.parse(l) as { file: string; line: number; severity: string; reason: string });
    expect(reported).toHaveLength(151);
    expect(reported[0]).toEqual({ file: path, line: 11, severity: 'error', reason: 'bad arguments: argument "child_pid" is 4294967296, outside the kernel\'s pid range 0..4194303' });
    // a raw ESC inside a JSON string is not JSON
    expect(reported[150]).toEqual({ file: path, line: 161, severity: 'error', reason: 'invalid JSON: Bad control character in string literal in JSON at position 14' });
    const err = lines(r.stderr);
    expect(err.filter((l) => l.startsWith(`${path}:`))).toHaveLength(100);
    expect(err).toContain(`… 51 more bad lines not shown (every one is in ${issues})`);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(lines(r.stdout)).toHaveLength(good.length);
  });
});
