/**
 * Every Tracee release's JSON through the CLI (in process: `runCli` with the real commands, files
 * read on the parser thread): `tree`, `enrich` and `query`, with the tree fed from events, signals
 * and both. Each release's lines describe the same activity (test/support/releaseLines.ts), so
 * each gives the seed format's (v0.18) answers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCommand } from '../../src/cli/commands.js';
import { runCli } from '../../src/cli/runCli.js';
import { FIXTURES } from '../support/fixtures.js';
import { BOOT, hasSignals, RELEASE_FORMATS, type ReleaseFormat } from '../support/releaseLines.js';

const dir = mkdtempSync(join(tmpdir(), 'prx-releases-'));

const collect = (): { stream: PassThrough; text: () => string } => {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  return { stream, text: () => text };
};

/** `proctree-rx --quiet ARGS`, in process. */
async function run(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = collect();
  const stderr = collect();
  const io = {
    stdin: new PassThrough(),
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: {},
    isTTY: { stdin: false, stdout: false, stderr: false },
    signal: new AbortController().signal,
  };
  const status = await runCli(['--quiet', ...args], io, { runner: runCommand, version: 'test' });
  await new Promise((resolve) => setImmediate(resolve));
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}
const file = (f: ReleaseFormat, kind = ''): string => join(FIXTURES, 'releases', `${f}${kind}.ndjson`);
const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const LEGACY: readonly ReleaseFormat[] = ['v0.11', 'v0.13', 'v0.15'];
const WITH_SIGNALS = RELEASE_FORMATS.filter(hasSignals);

/** The seed format's tree of the activity: pid 1 predates the capture (known by its id only). */
const SEED_TREE = `?(1)
└─ bash(1000) [exit 0]
   ├─ ls(1001)  /usr/bin/ls [exit 2]
   └─ bash(1002) [killed by signal 9]
`;
/** Before v0.18 no line names pid 1's start, so its id cannot be computed: bash is a root. */
const LEGACY_TREE = `bash(1000) [exit 0]
├─ ls(1001)  /usr/bin/ls [exit 2]
└─ bash(1002) [killed by signal 9]
`;
/** Signals carry no comm: names come from exec only. */
const SIGNALS_TREE = `?(1000) [exit 0]
├─ ls(1001)  /usr/bin/ls [exit 2]
└─ ?(1002) [killed by signal 9]
`;

const tree = async (args: readonly string[]): Promise<string> => {
  const r = await run(['tree', '--proctree', 'disable-procfs', ...args]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
};

describe('tree', () => {
  it.each(RELEASE_FORMATS)('%s events: the seed format tree', async (f) => {
    expect(await tree([file(f)])).toBe(LEGACY.includes(f) ? LEGACY_TREE : SEED_TREE);
  });

  it.each(WITH_SIGNALS)('%s signals: the seed format signals tree', async (f) => {
    expect(await tree(['--proctree', 'source=signals', file(f, '.signals')])).toBe(SIGNALS_TREE);
  });

  it.each(WITH_SIGNALS.filter((f) => f !== 'v0.22.6'))('%s both (one stream, and --signals FILE): the seed format tree', async (f) => {
    expect(await tree(['--proctree', 'source=both', file(f, '.both')])).toBe(SEED_TREE);
    expect(await tree(['--proctree', 'source=both', '--signals', file(f, '.signals'), file(f)])).toBe(SEED_TREE);
  });

  it('v0.22.4.1 / v0.22.6 both: signal hashes (boot-relative, eBPF) and event ids (epoch) name the same task differently', async () => {
    // tracee-versions.md §1.5: the release's own process tree has the same split; left as Tracee has it (README)
    expect(await tree(['--proctree', 'source=both', file('v0.22.6', '.both')])).toBe(SEED_TREE + SIGNALS_TREE);
  });
});

describe('enrich', () => {
  it.each(RELEASE_FORMATS)('%s: every line comes out digit for digit with the process context of the seed format', async (f) => {
    const input = lines(readFileSync(file(f), 'utf8'));
    const r = await run(['--proctree', 'disable-procfs', file(f)]);
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    expect(out.map((l) => l.slice(0, l.lastIndexOf(',"proctree":')) + '}')).toEqual(input);
    // ls's openat: ls, under bash, under pid 1 (unknown before v0.18)
    const open = out[3]!;
    expect(open).toContain('/etc/ld.so.cache');
    const ctx = (JSON.parse(open) as { proctree: { process: { pid: number; executionBinary: { path: string } }; ancestors: { pid: number }[] } }).proctree;
    expect(ctx.process).toMatchObject({ pid: 1001, executionBinary: { path: '/usr/bin/ls' } });
    expect(ctx.ancestors.map((a) => a.pid)).toEqual(LEGACY.includes(f) ? [1000] : [1000, 1]);
  });

  it.each(WITH_SIGNALS.filter((f) => f !== 'v0.22.6'))('%s both: signal lines pass through too, and events get the same context', async (f) => {
    const input = lines(readFileSync(file(f, '.both'), 'utf8'));
    const both = lines((await run(['--proctree', 'disable-procfs,source=both', file(f, '.both')])).stdout);
    expect(both.map((l) => l.slice(0, l.lastIndexOf(',"proctree":')) + '}')).toEqual(input);
    const events = lines((await run(['--proctree', 'disable-procfs', file(f)])).stdout);
    const ctxOf = (l: string): unknown => (JSON.parse(l) as { proctree: { process: unknown; ancestors: unknown } }).proctree.ancestors;
    const openIn = (ls: string[]): string => ls.find((l) => l.includes('/etc/ld.so.cache'))!;
    expect(ctxOf(openIn(both))).toEqual(ctxOf(openIn(events)));
  });
});

describe('query', () => {
  const sources = (f: ReleaseFormat): [string, string[]][] => [
    ['events', [file(f)]],
    ...(hasSignals(f) ? ([['signals', ['--proctree', 'source=signals', file(f, '.signals')]]] as [string, string[]][]) : []),
    ...(hasSignals(f) && f !== 'v0.22.6' ? ([['both', ['--proctree', 'source=both', file(f, '.both')]]] as [string, string[]][]) : []),
  ];
  it.each(RELEASE_FORMATS)('%s: lineage of pid 1001 mid-life and after its exit, under every source', async (f) => {
    const qfile = join(dir, `${f}.queries.ndjson`);
    writeFileSync(
      qfile,
      [`{"kind":"lineage","pid":1001,"time":${BOOT + 10_065_000_000n},"maxDepth":5}`, `{"kind":"process","pid":1001,"time":${BOOT + 10_500_000_000n}}`].join('\n') + '\n',
    );
    for (const [source, args] of sources(f)) {
      const r = await run(['query', '--proctree', 'disable-procfs', '--queries', qfile, ...args]);
      expect([source, r.stderr, r.status]).toEqual([source, '', 0]);
      const [lineage, after] = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
      const chain = lineage!['process_lineage'] as { pid: number; cmd: string[]; executionBinary: { path: string }; isAlive: boolean }[];
      expect([source, chain.map((p) => p.pid)]).toEqual([source, LEGACY.includes(f) || source === 'signals' ? [1001, 1000] : [1001, 1000, 1]]);
      expect(chain[0]).toMatchObject({ cmd: ['ls', '-la'], executionBinary: { path: '/usr/bin/ls' }, isAlive: true });
      expect(after!['process_info']).toMatchObject({ pid: 1001, isAlive: false, exitCode: 512 });
    }
  });
});

describe('the format on stderr', () => {
  it('is said once per input, unless --quiet; --tracee-format forces it', async () => {
    const stderrOf = async (args: readonly string[]): Promise<string> => {
      const stdout = collect();
      const stderr = collect();
      const io = { stdin: new PassThrough(), stdout: stdout.stream, stderr: stderr.stream, env: {}, isTTY: { stdin: false, stdout: false, stderr: false }, signal: new AbortController().signal };
      await runCli(args, io, { runner: runCommand, version: 'test' });
      await new Promise((resolve) => setImmediate(resolve));
      return stderr.text();
    };
    const detected = await stderrOf(['tree', '--proctree', 'disable-procfs,source=both', '--signals', file('v0.23', '.signals'), file('v0.23')]);
    expect(detected).toContain(`proctree-rx: ${file('v0.23')}: reading Tracee v0.23-format events (v0.23.0–v0.23.2)\n`);
    expect(detected).toContain(`proctree-rx: ${file('v0.23', '.signals')}: reading Tracee v0.23-format events (v0.23.0–v0.23.2)\n`);
    const forced = await stderrOf(['tree', '--tracee-format', 'v0.24', '--proctree', 'disable-procfs', file('v0.24')]);
    expect(forced).toContain('reading Tracee v0.24-format events (v0.24.0–v0.24.1, forced)');
    const legacy = await stderrOf(['tree', '--proctree', 'disable-procfs', file('v0.15')]);
    expect(legacy).toContain('the release prints no entity ids: they are computed from host tid and start time');
  });
});
