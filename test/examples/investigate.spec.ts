/**
 * examples/investigate.mjs on the built package: its as-of answers against the fixtures' truth
 * files (lineage, executable, alive at sample times; the exec chain of interp.ndjson, before and
 * after each exec), and pid reuse on a small synthetic capture.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { world } from '../../marbles/index.js';
import { loadTruth } from '../support/fixtures.js';
import { buildExamples, DATA, lines, type ExampleBuild } from './support.js';

interface Brief {
  entityId: number;
  pid: number;
  name: string;
  exe: string;
  argv: string[];
  alive: boolean;
}
interface Investigation {
  pid: number;
  holders: { entityId: number; execs: { before: Brief; after: Brief }[] }[];
  answers: { holder: Brief | null; lineage: Brief[]; children: Brief[]; dataSource: { pids: number[] } | { error: string } }[];
}

let build: ExampleBuild;
beforeAll(() => {
  build = buildExamples();
}, 90_000);
afterAll(() => build?.remove());

const investigate = (file: string, args: readonly string[]): Investigation[] => {
  const r = build.run('investigate', ['--json', ...args, file]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  // times are above 2^53 and would be rounded: the checks below read ids, pids, paths and flags only
  return lines(r.stdout).map((l) => JSON.parse(l) as Investigation);
};

describe('investigate', () => {
  describe.each(['pipeline', 'threads', 'interp'])('%s.ndjson: the truth samples', (name) => {
    const truth = loadTruth(`${name}.truth.json`);
    it.each(truth.samples.map((s, i) => [i, s] as const))('sample %i', (_i, sample) => {
      const [inv] = investigate(join(DATA, `${name}.ndjson`), ['--pid', String(sample.pid), '--at', String(sample.time)]);
      const answer = inv!.answers[0]!;
      expect(answer.holder?.entityId).toBe(sample.entityId);
      expect(answer.holder?.alive).toBe(sample.alive);
      if (sample.exe !== null) expect(answer.holder?.exe).toBe(sample.exe);
      expect(answer.lineage.map((p) => p.pid)).toEqual(sample.lineagePids);
      // Tracee's interface gives the same lineage
      expect(answer.dataSource).toEqual({ pids: sample.lineagePids });
    });
  });

  it('interp.ndjson: the program before and after each exec of the #! chain, as the truth lists the execs', () => {
    const truth = loadTruth('interp.truth.json');
    const r = build.run('investigate', ['--pid', '20763', '--pid', '20762', join(DATA, 'interp.ndjson')]);
    expect(r.status).toBe(0);
    for (const pid of [20763, 20762]) {
      const task = truth.tasks.find((t) => t.tid === pid)!;
      // every exec, at its exact time, ending in the path the truth gives
      task.execs.forEach((x, i) => {
        const line = lines(r.stdout).find((l) => l.startsWith(`    exec at ${x.time}: `));
        expect(line).toBeDefined();
        expect(line!.endsWith(`->  ${x.path} ${JSON.stringify(x.argv)}`)).toBe(true);
        if (i > 0) expect(line).toContain(`: ${task.execs[i - 1]!.path} ${JSON.stringify(task.execs[i - 1]!.argv)}  ->`);
      });
    }
    const [inner] = investigate(join(DATA, 'interp.ndjson'), ['--pid', '20763']);
    // inherited from outer.sh (dash) at fork, then env (the #! of inner.py), then python3.11
    expect(inner!.holders[0]!.execs.map((x) => [x.before.exe, x.after.exe])).toEqual([
      ['/usr/bin/dash', '/usr/bin/env'],
      ['/usr/bin/env', '/usr/local/bin/python3.11'],
    ]);
    expect(inner!.answers.map((a) => [a.holder?.exe, a.holder?.alive])).toEqual([
      ['/usr/bin/env', true], // at the first exec
      ['/usr/local/bin/python3.11', true], // at the second
      ['/usr/local/bin/python3.11', true], // 1 ns before the exit
      ['/usr/local/bin/python3.11', false], // at the exit (a change at T is seen at T)
    ]);
  });

  it('pipeline.ndjson: the children alive at a time', () => {
    // 40 ms after the start: ls and wc have exited, the subshell (sleep 0.05 & wait) runs
    const t = 1795582946601879724n + 40_000_000n;
    const [inv] = investigate(join(DATA, 'pipeline.ndjson'), ['--pid', '20650', '--at', String(t)]);
    expect(inv!.answers[0]!.children.map((c) => c.pid)).toEqual([20653]);
    const [sub] = investigate(join(DATA, 'pipeline.ndjson'), ['--pid', '20653', '--at', String(t)]);
    expect(sub!.answers[0]!.children.map((c) => [c.pid, c.exe])).toEqual([[20654, '/usr/bin/sleep']]);
  });

  it('pid reuse: the same pid at two times is two different processes', () => {
    const w = world();
    const sh = w.process({ pid: 100, comm: 'sh', exe: '/usr/bin/dash' });
    const a = w.fork(sh, { pid: 200 });
    const aExec = w.exec(a.child, { path: '/usr/bin/backup', argv: ['backup'] });
    const aExit = w.exit(a.child);
    const b = w.fork(sh, { pid: 200, at: 5_000_000_000n }); // 5 s after boot: pid 200 again
    const bExec = w.exec(b.child, { path: '/tmp/.x/miner', argv: ['miner'] });
    const envs = [a.event, aExec, aExit, b.event, bExec];
    const dir = mkdtempSync(join(tmpdir(), 'investigate-'));
    try {
      const file = join(dir, 'reuse.ndjson');
      writeFileSync(file, envs.map((e) => e.raw).join('\n') + '\n');
      const t1 = aExec.timestamp;
      const t2 = bExec.timestamp;
      const [inv] = investigate(file, ['--pid', '200', '--at', String(t1), '--at', String(t2)]);
      expect(inv!.holders.map((h) => h.entityId)).toEqual([a.child.entityId, b.child.entityId]);
      const [first, second] = inv!.answers;
      expect([first!.holder?.entityId, first!.holder?.exe]).toEqual([a.child.entityId, '/usr/bin/backup']);
      expect([second!.holder?.entityId, second!.holder?.exe]).toEqual([b.child.entityId, '/tmp/.x/miner']);
      expect(second!.lineage.map((p) => p.pid)).toEqual([200, 100, 1]); // sh was started by init in this world
      // before either existed, nobody had the pid
      const [before] = investigate(file, ['--pid', '200', '--at', String(a.event.timestamp - 1_000_000n)]);
      expect(before!.answers[0]).toMatchObject({ holder: null, dataSource: { error: 'no process had this pid yet' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad usage exits 2 with the usage line', () => {
    const r = build.run('investigate', [join(DATA, 'interp.ndjson')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^usage: node examples\/investigate\.mjs --pid P/);
  });
});
