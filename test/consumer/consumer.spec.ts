/**
 * The package as a consumer meets it: a program that imports only `proctree-rx` and
 * `proctree-rx/marbles` by name (resolved through package.json `exports` to the built dist/ and
 * its .d.ts) type-checks, and runs a pipeline, a query, a signature and a marble test under plain
 * node.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { FIXTURES } from '../support/fixtures.js';

const ROOT = resolve(__dirname, '..', '..');
const SOURCE = join(__dirname, 'project', 'consumer.ts');
/** Inside the package, so that the package's own name resolves (self-reference through `exports`). */
const OUT = join(__dirname, 'project', '.run');

describe('the built package, imported by name as a consumer does', () => {
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('type-checks against the shipped declarations (strict, NodeNext)', () => {
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
    };
    const program = ts.createProgram([SOURCE], options);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
    // it really read the built declarations, not the sources
    const files = program.getSourceFiles().map((f) => f.fileName);
    expect(files).toContain(join(ROOT, 'dist', 'src', 'index.d.ts'));
    expect(files.some((f) => f.startsWith(join(ROOT, 'src')))).toBe(false);
  }, 60_000);

  it('runs a pipeline, a query, a signature and a marble test', () => {
    const js = ts.transpileModule(ts.sys.readFile(SOURCE)!, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    mkdirSync(OUT, { recursive: true });
    const script = join(OUT, 'consumer.mjs');
    writeFileSync(script, js);
    const r = spawnSync(process.execPath, [script, join(FIXTURES, 'pipeline.ndjson')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { events: number; processes: number; sh: string; lineage: number[]; findings: number; findingIds: string[]; marbles: string };
    expect(out.events).toBeGreaterThan(10);
    expect(out.processes).toBeGreaterThan(5);
    expect(out.sh).toBe('/usr/bin/dash');
    expect(out.lineage[0]).toBe(20650);
    expect(out.lineage.length).toBeGreaterThan(1);
    // the data-source signature checks the tree it queries against each event, and reports each check
    expect(out.findings).toBeGreaterThan(0);
    expect(out.findingIds).toEqual(['PROCTREE_DATA_SOURCE']);
    expect(out.marbles).toBe('passed');
  }, 60_000);
});
