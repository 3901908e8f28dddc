/**
 * `pipeline`, the entry point the CLI's commands are thin shells over: the same bytes as the
 * command, findings, the tree, stats, errors, and the procfs rule.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { lastValueFrom, map, toArray } from 'rxjs';
import { pipeline } from '../../src/pipeline/pipeline.js';
import { builtinSignatures } from '../../src/signatures/builtin/builtinSignatures.js';
import { InputError } from '../../src/streams/InputError.js';
import type { InputIssue, Origin } from '../../src/streams/types.js';
import { FIXTURES } from '../support/fixtures.js';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const fixture = (name: string): string => join(FIXTURES, name);

/** Everything written to a PassThrough, once `write` resolved. */
async function written(run: Awaited<ReturnType<typeof pipeline>>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await run.write(out);
  return Buffer.concat(chunks).toString('utf8');
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pipeline', () => {
  it.each(['pipeline.ndjson', 'threads.ndjson', 'interp.ndjson'])('%s: write() gives the bytes `proctree-rx enrich` gives', async (name) => {
    const cli = spawnSync(process.execPath, [MAIN, '--quiet', fixture(name)], { encoding: 'utf8' });
    expect(cli.status).toBe(0);
    const run = await pipeline({ inputs: fixture(name), history: { maxVersions: 64 } });
    expect(await written(run)).toBe(cli.stdout);
    expect(run.stats()).toMatchObject({ events: cli.stdout.split('\n').length - 1, badLines: 0, late: 0, processed: cli.stdout.split('\n').length - 1 });
  });

  it('events plus a signals input: the same bytes as `--proctree source=both --signals`', async () => {
    const args = ['--quiet', '--proctree', 'source=both', '--signals', fixture('pipeline.signals.ndjson'), fixture('pipeline.ndjson')];
    const cli = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
    const run = await pipeline({ inputs: [fixture('pipeline.ndjson')], signals: fixture('pipeline.signals.ndjson'), source: 'both' });
    expect(await written(run)).toBe(cli.stdout);
  });

  it('enriched$ carries each event with its context; build() resolves with the newest tree', async () => {
    const a = await pipeline({ inputs: fixture('pipeline.ndjson') });
    const enriched = await lastValueFrom(a.enriched$.pipe(toArray()));
    expect(enriched.length).toBeGreaterThan(10);
    expect(enriched.some((e) => e.context.process?.executionBinary.path === '/usr/bin/dash')).toBe(true);
    for (let i = 1; i < enriched.length; i++) expect(enriched[i]!.timestamp >= enriched[i - 1]!.timestamp).toBe(true);
    const b = await pipeline({ inputs: fixture('pipeline.ndjson') });
    const tree = await b.build();
    expect(tree.processes.size).toBe(a.builder.tree.processes.size);
    expect(tree.version).toBe(a.builder.tree.version);
  });

  it('findings() runs signatures over the enriched stream, as `proctree-rx findings` does', async () => {
    const cli = spawnSync(process.execPath, [MAIN, 'findings', '--quiet', '--signatures', 'PRX-002,PROCTREE_DATA_SOURCE', fixture('threads.ndjson')], { encoding: 'utf8' });
    const run = await pipeline({ inputs: fixture('threads.ndjson') });
    const { findingToJson } = await import('../../src/signatures/findingToJson.js');
    const lines = await lastValueFrom(run.findings([builtinSignatures['PRX-002']!(), builtinSignatures['PROCTREE_DATA_SOURCE']!()]).pipe(map(findingToJson), toArray()));
    expect(lines.map((l) => l + '\n').join('')).toBe(cli.stdout);
  });

  it('reports bad lines with their line numbers and keeps going', async () => {
    const path = join(dir, 'bad.ndjson');
    const lines = readFileSync(fixture('pipeline.ndjson'), 'utf8').split('\n');
    lines.splice(2, 0, '{not json');
    writeFileSync(path, lines.join('\n'));
    const issues: InputIssue[] = [];
    const run = await pipeline({ inputs: path, onIssue: (i) => issues.push(i) });
    await run.build();
    expect(issues.map((i) => [i.origin.source, i.origin.line, i.severity])).toEqual([[path, 3, 'error']]);
    expect(run.stats().badLines).toBe(1);
  });

  it('rejects with an InputError naming an unreadable input, before reading anything', async () => {
    await expect(pipeline({ inputs: [fixture('pipeline.ndjson'), join(dir, 'nope.ndjson')] })).rejects.toThrow(InputError);
    await expect(pipeline({ inputs: join(dir, 'nope.ndjson') })).rejects.toThrow(`cannot read ${join(dir, 'nope.ndjson')}: no such file`);
    await expect(pipeline({ inputs: dir })).rejects.toThrow(`cannot read ${dir}: is a directory`);
  });

  it('replaying files never reads this host\'s /proc; a stream is live input (bounded window, late events counted)', async () => {
    const files = await pipeline({ inputs: fixture('pipeline.ndjson') });
    expect(files.procfs).toMatchObject({ bootstrap: false, runtimeQueries: false });
    const text = readFileSync(fixture('pipeline.ndjson'), 'utf8').split('\n').filter((l) => l !== '');
    // the first event written last: it comes after the window (1 ns) has passed it
    text.push(text.shift()!);
    const late: Origin[] = [];
    const run = await pipeline({ inputs: Readable.from([text.join('\n') + '\n']), procfs: false, reorderWindow: 1n, onLate: (o) => late.push(o) });
    expect(run.procfs).toMatchObject({ bootstrap: false, runtimeQueries: false });
    expect(run.inputKinds).toEqual(['stdin']);
    const out = await lastValueFrom(run.events$.pipe(toArray()));
    expect(out).toHaveLength(text.length);
    expect(late).toEqual([{ source: '<stream>', line: text.length }]);
    expect(run.stats().late).toBe(1);
  });

  it('a procfs root given for a file replay is walked once, and the stats say how many processes came from it', async () => {
    const run = await pipeline({ inputs: fixture('pipeline.ndjson'), procfs: { root: join(ROOT, 'test', 'fixtures', 'procfs', 'proc') } });
    expect(run.procfs).toMatchObject({ bootstrap: true, runtimeQueries: false });
    await run.build();
    expect(run.stats().scan).toBeDefined();
    expect(run.stats().procfsProcesses).toBeGreaterThan(0);
  });
});
