/**
 * examples/detect-pipeline.mjs, run as a user would (`node examples/detect-pipeline.mjs FILE`) on
 * the built package: the custom burst rule and the built-ins over the sample captures.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExamples, DATA, lines, type ExampleBuild } from './support.js';

interface FindingLine {
  SigMetadata: { ID: string };
  Event: { eventName: string; hostProcessId: number; proctree: { process: { pid: number } | null } };
  Data: { parent?: { pid: number; name: string }; children?: { pid: number; lifetimeNs: number }[]; pathname?: string };
}

let build: ExampleBuild;
beforeAll(() => {
  build = buildExamples();
}, 90_000);
afterAll(() => build?.remove());

const findings = (args: readonly string[]): { out: FindingLine[]; stderr: string; status: number | null } => {
  const r = build.run('detect-pipeline', args);
  return { out: lines(r.stdout).map((l) => JSON.parse(l) as FindingLine), stderr: r.stderr, status: r.status };
};

describe('detect-pipeline', () => {
  it('pipeline.ndjson: one burst — sh 20650 reaped 20655..20658 within 10 ms, each alive under 5 ms; no built-in fires', () => {
    const { out, stderr, status } = findings([join(DATA, 'pipeline.ndjson')]);
    expect(status).toBe(0);
    expect(out).toHaveLength(1);
    const f = out[0]!;
    expect(f.SigMetadata.ID).toBe('EX-001');
    // the exit that completed the burst
    expect(f.Event.eventName).toBe('sched_process_exit');
    expect(f.Event.hostProcessId).toBe(20658);
    expect(f.Event.proctree.process?.pid).toBe(20658);
    expect(f.Data.parent).toEqual({ pid: 20650, name: 'sh', exe: '/usr/bin/dash' });
    expect(f.Data.children?.map((c) => c.pid)).toEqual([20655, 20656, 20657, 20658]);
    for (const c of f.Data.children ?? []) expect(c.lifetimeNs).toBeLessThanOrEqual(5_000_000);
    expect(stderr).toBe('detect-pipeline: 1 findings (EX-001: 1), 0 bad lines\n');
  });

  it('the threshold and the window are options: 3 → two bursts, 6 → none', () => {
    const three = findings(['--threshold', '3', join(DATA, 'pipeline.ndjson')]).out;
    expect(three.map((f) => [f.Event.hostProcessId, f.Data.children?.map((c) => c.pid)])).toEqual([
      [20657, [20655, 20656, 20657]],
      [20660, [20658, 20659, 20660]],
    ]);
    expect(findings(['--threshold', '6', join(DATA, 'pipeline.ndjson')]).out).toEqual([]);
    // 5 fit in 10 ms (94.2 → 100.6 ms after the start); a 5 ms window holds only 4
    expect(findings(['--threshold', '5', join(DATA, 'pipeline.ndjson')]).out.map((f) => f.Event.hostProcessId)).toEqual([20659]);
    expect(findings(['--threshold', '5', '--window-ms', '5', join(DATA, 'pipeline.ndjson')]).out).toEqual([]);
  });

  it('threads.ndjson: python3 20707 whose worker threads each ran a short subprocess', () => {
    const { out } = findings([join(DATA, 'threads.ndjson')]);
    expect(out.map((f) => [f.SigMetadata.ID, f.Data.parent?.pid, f.Data.children?.map((c) => c.pid)])).toEqual([['EX-001', 20707, [20710, 20712, 20714, 20715]]]);
  });

  it('the built-in PRX-002 runs in the same pipeline: /bin/true moved to /tmp fires once per exec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'detect-pipeline-'));
    try {
      const file = join(dir, 'tmp-true.ndjson');
      writeFileSync(file, readFileSync(join(DATA, 'pipeline.ndjson'), 'utf8').replaceAll('"/usr/bin/true"', '"/tmp/true"'));
      const { out } = findings([file]);
      const prx2 = out.filter((f) => f.SigMetadata.ID === 'PRX-002');
      expect(prx2.map((f) => f.Event.hostProcessId)).toEqual([20657, 20658, 20659]);
      expect(out.filter((f) => f.SigMetadata.ID === 'EX-001')).toHaveLength(1);
      // the data-source self-check reports disagreements only: none
      expect(out.filter((f) => f.SigMetadata.ID === 'PROCTREE_DATA_SOURCE')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads stdin with "-", and reports bad usage with exit code 2', () => {
    const r = build.run('detect-pipeline', ['-'], readFileSync(join(DATA, 'pipeline.ndjson'), 'utf8'));
    expect(lines(r.stdout).map((l) => (JSON.parse(l) as FindingLine).Event.hostProcessId)).toEqual([20658]);
    const bad = build.run('detect-pipeline', []);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^usage: node examples\/detect-pipeline\.mjs/);
  });
});
