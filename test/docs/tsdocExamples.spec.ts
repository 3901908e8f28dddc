/** Every ```ts `@example` of the public API type-checks (see tsdocExamples.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readApi } from './apiReport.js';
import { checkExamples, moduleText, publicExamples } from './tsdocExamples.js';

describe('TSDoc @example blocks of the public API', () => {
  const blocks = publicExamples();

  it('are found across the exports of proctree-rx and proctree-rx/marbles', () => {
    expect(blocks.length).toBeGreaterThan(40);
    const labels = blocks.map((b) => b.label);
    expect(labels).toContain('src/signatures/fromSignature.ts: fromSignature #1');
    expect(labels).toContain('marbles/world.ts: World.syscall #1');
    expect(labels.some((l) => l.startsWith('src/cli/'))).toBe(false); // the CLI is not public API
  });

  it('declare only the free names a block uses and does not declare itself', () => {
    const text = moduleText("import { TreeBuilder } from 'proctree-rx';\nconst builder = new TreeBuilder();\nevents$.subscribe();");
    expect(text).toContain('declare const events$: Rx.Observable<P.Envelope>;');
    expect(text).not.toContain('declare const builder');
  });

  it('cover every value the root exports (TSDoc with an example on each)', () => {
    const documented = new Set(blocks.map((b) => /: ([^.# ]+)/.exec(b.label)?.[1]));
    const values = (readApi().entries.get('proctree-rx') ?? []).filter((e) => e.kind !== 'interface' && e.kind !== 'type').map((e) => e.name);
    // the fp-ts helpers are re-exported as they are, with fp-ts's own documentation
    const fpTs = ['isLeft', 'isNone', 'isRight', 'isSome', 'toUndefined'];
    expect(values.filter((name) => !documented.has(name) && !fpTs.includes(name))).toEqual([]);
  });

  it('all type-check', () => {
    expect(checkExamples(blocks)).toEqual([]);
  }, 120_000);
});

describe('the README', () => {
  it('has TypeScript blocks that type-check against the public API', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ label: `README.md #${i + 1}`, code: m[1]! }));
    expect(blocks.length).toBeGreaterThan(0);
    expect(checkExamples(blocks)).toEqual([]);
  }, 120_000);
});

describe('the example checker', () => {
  it('catches an example that names a wrong export (the old fromSignature example) or imports one', () => {
    const problems = checkExamples([
      { label: 'uses', code: "import { fromSignature } from 'proctree-rx';\nenriched$.pipe(fromSignature(new ProcTreeDataSourceSignature()));" },
      { label: 'imports', code: "import { ProcTreeDataSourceSignature } from 'proctree-rx';\nnew ProcTreeDataSourceSignature();" },
      { label: 'fine', code: "import { proctreeDataSource } from 'proctree-rx';\nproctreeDataSource({ reportConsistent: true });" },
    ]);
    expect(problems).toEqual([
      "uses: Cannot find name 'ProcTreeDataSourceSignature'.",
      expect.stringMatching(/^imports: .*has no exported member named 'ProcTreeDataSourceSignature'/),
    ]);
  }, 120_000);
});
