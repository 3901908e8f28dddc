/**
 * A small sample of `npm run fuzz` (fuzz/fuzz.mjs --sample): mutated lines read as a file and as
 * stdin, judged independently, and the soak scenarios at small sizes, on the built CLI in dist/
 * (`npm test` builds it first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/builtCli.js';

interface Run {
  readonly code: number | string | null;
  readonly timedOut: boolean;
}
interface ScenarioResult {
  readonly scenario: string;
  readonly lines: number;
  readonly runs: Readonly<Record<string, Run>>;
  readonly oracleBad?: number;
  readonly fileBad?: number;
  readonly stdinBad?: number;
  readonly disagreements?: number;
  readonly unsafe?: number;
}

const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

describe('fuzz and soak (sample)', () => {
  let results: ScenarioResult[] = [];
  let status: number | null = null;
  let stderr = '';

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm test builds it (pretest); run npm run build`);
    const r = spawnSync(process.execPath, [join(ROOT, 'fuzz', 'fuzz.mjs'), '--sample', '--json'], { encoding: 'utf8', timeout: 170_000 });
    status = r.status;
    stderr = r.stderr;
    results = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as ScenarioResult);
  }, 180_000);

  it('runs every scenario and exits 0 (no crash, no disagreement)', () => {
    expect(stderr).toBe('');
    expect(results.map((r) => r.scenario)).toEqual(['mutated', 'forkBomb', 'threadStorm', 'execStorm', 'neverExiting', 'fastStdin']);
    expect(status).toBe(0);
  });

  it('mutated lines: the parser thread, the main thread and the independent judge report the same bad lines; stderr stays free of control characters', () => {
    const m = results.find((r) => r.scenario === 'mutated')!;
    expect(m.oracleBad).toBeGreaterThan(100);
    expect(m.fileBad).toBe(m.oracleBad);
    expect(m.stdinBad).toBe(m.oracleBad);
    expect(m.disagreements).toBe(0);
    expect(m.unsafe).toBe(0);
    expect(m.runs['file']!.code).toBe(0);
    expect(m.runs['stdin']!.code).toBe(0);
  });

  it('every soak command ends with exit 0 within its time', () => {
    const soaks = results.filter((r) => r.scenario !== 'mutated');
    const bad = soaks.flatMap((s) => Object.entries(s.runs).flatMap(([label, r]) => (r.code === 0 && !r.timedOut ? [] : [`${s.scenario} ${label}: ${String(r.code)}`])));
    expect(bad).toEqual([]);
    expect(soaks.every((s) => s.lines > 0)).toBe(true);
  });

  it('runs the commands each soak scenario is meant to (a skipped command cannot pass unseen)', () => {
    const commands = Object.fromEntries(results.filter((r) => r.scenario !== 'mutated').map((s) => [s.scenario, Object.keys(s.runs)]));
    expect(commands).toEqual({
      forkBomb: ['enrich FILE', 'tree FILE'],
      threadStorm: ['enrich FILE', 'tree FILE'],
      execStorm: ['enrich FILE', 'tree FILE'],
      neverExiting: ['enrich FILE', 'tree FILE', 'query FILE'],
      fastStdin: ['enrich stdin', 'tree stdin'],
    });
  });
});
