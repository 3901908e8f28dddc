/**
 * examples/live-enrich.mjs as a live process: a capture is written to its stdin in two chunks,
 * and the lines of the first chunk must come out before the second is written (the idle flush
 * releases a quiet stream); then the rest, the finding lines, a clean end and EPIPE handling.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildExamples, DATA, lines, type ExampleBuild } from './support.js';

let build: ExampleBuild;
beforeAll(() => {
  build = buildExamples();
}, 90_000);
afterAll(() => build?.remove());

const EVENT_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z {2}\S+ +\d+\/\d+ +\S+ +\S+ {2}.+$/;

describe('live-enrich', () => {
  it('prints the first chunk while stdin is still open, then the rest, with one finding per worker-thread spawn', async () => {
    const input = lines(readFileSync(join(DATA, 'threads.ndjson'), 'utf8'));
    const first = input.slice(0, 120);
    const rest = input.slice(120);
    const child = spawn(process.execPath, [build.script('live-enrich')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let onOutput: (() => void) | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      onOutput?.();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    // chunk 1, then wait (stdin open) until all its events came out
    child.stdin.write(first.join('\n') + '\n');
    await new Promise<void>((resolve) => {
      onOutput = () => {
        if (lines(stdout).filter((l) => !l.startsWith('!!')).length >= first.length) resolve();
      };
      onOutput();
    });
    const early = lines(stdout);
    expect(early.filter((l) => !l.startsWith('!!'))).toHaveLength(first.length);
    expect(child.exitCode).toBeNull(); // still running: the output is live

    // chunk 2, end of input
    child.stdin.end(rest.join('\n') + '\n');
    expect(await exited).toBe(0);
    const out = lines(stdout);
    const events = out.filter((l) => !l.startsWith('!!'));
    expect(events).toHaveLength(input.length);
    for (const l of events) expect(l).toMatch(EVENT_LINE);
    expect(stderr).toBe(`live-enrich: ${input.length} events, 4 findings, 0 late, 0 bad lines\n`);

    // the exec of /bin/true by pid 20710: its ancestry, root first
    expect(events).toContainEqual(expect.stringMatching(/ sched_process_exec +20710\/20710 true +\/usr\/bin\/true {2}\?\(20703\) > sh\(20706\) > python3\(20707\) > true\(20710\)$/));
    // each finding follows the fork event that caused it
    const findings = out.flatMap((l, i) => (l.startsWith('!! EX-002 ') ? [[out[i - 1], JSON.parse(l.slice(l.indexOf('{')))]] : []));
    expect(findings.map(([, data]) => data)).toEqual([
      { thread: { tid: 20708, name: 'python3' }, childPid: 20710 },
      { thread: { tid: 20709, name: 'python3' }, childPid: 20712 },
      { thread: { tid: 20711, name: 'python3' }, childPid: 20714 },
      { thread: { tid: 20713, name: 'python3' }, childPid: 20715 },
    ]);
    for (const [before, data] of findings) expect(before).toContain(` sched_process_fork   20707/${(data as { thread: { tid: number } }).thread.tid} `);
  });

  it('puts out-of-order input back in event-time order (within the window)', () => {
    const input = lines(readFileSync(join(DATA, 'pipeline.ndjson'), 'utf8'));
    const swapped = [...input];
    [swapped[10], swapped[11]] = [swapped[11]!, swapped[10]!];
    const r = build.run('live-enrich', [], swapped.join('\n') + '\n');
    const inOrder = build.run('live-enrich', [], input.join('\n') + '\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(inOrder.stdout);
    expect(r.stderr).toMatch(/, 0 late, 0 bad lines\n$/);
  });

  it('stops quietly when the reader goes away (EPIPE), and an empty input is no error', () => {
    const empty = build.run('live-enrich', [], '');
    expect(empty.status).toBe(0);
    expect(empty.stdout).toBe('');
    const big = join(build.dir, 'big.ndjson');
    writeFileSync(big, readFileSync(join(DATA, 'pipeline.ndjson'), 'utf8').repeat(200));
    const script = `${JSON.stringify(process.execPath)} ${JSON.stringify(build.script('live-enrich'))} < ${JSON.stringify(big)} | head -n 2; echo "status=\${PIPESTATUS[0]}" >&2`;
    const piped = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 30_000 });
    expect(lines(piped.stdout)).toHaveLength(2);
    expect(piped.stderr).toBe('status=0\n'); // no stack trace, no summary, exit code 0
  });
});
