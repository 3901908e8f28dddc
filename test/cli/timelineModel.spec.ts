/**
 * The timeline page's data: offsets exact against the absolute ns they stand for, changelogs
 * kept row by row, ranges and cuts said in notes, and data that cannot break out of its
 * `<script>` block whatever a captured argv holds.
 */
import { TimelineRecorder } from '../../src/cli/timeline/runTimeline.js';
import { offsetOf, timelineModelOf, type TimelineInput } from '../../src/cli/timeline/timelineModel.js';
import { scriptSafeJson, timelinePage } from '../../src/cli/timeline/timelinePage.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { at, exec, exit, forkProcess, forkThread, procfs, SEC } from '../support/treeRecords.js';

/** init (from procfs, started long before) → sh → child that execs twice and exits; sh has a thread. */
function build(onEvicted?: TimelineRecorder['evicted']) {
  const b = new TreeBuilder({ history: { maxVersions: 1 }, ...(onEvicted ? { onEvicted } : {}) });
  b.applyRecord(procfs({ time: at(1), id: 1, pid: 1, startTime: at(0) - 300n * 24n * 3600n * SEC, name: 'init', exe: '/sbin/init' }));
  b.applyRecord(forkProcess({ time: at(2), id: 10, pid: 100, parentId: 1, parentPid: 1 }));
  b.applyRecord(exec({ time: at(2.5), id: 10, path: '/bin/sh', argv: ['sh'], task: { pid: 100, ppid: 1, startTime: at(2) } }));
  b.applyRecord(forkThread({ time: at(2.6), id: 11, tid: 101, leaderId: 10, pid: 100, parentId: 1, parentPid: 1 }));
  b.applyRecord(forkProcess({ time: at(3), id: 20, pid: 200, parentId: 10, parentPid: 100 }));
  b.applyRecord(exec({ time: at(3.1), id: 20, path: '/usr/bin/env', argv: ['env', 'x'], task: { pid: 200, ppid: 100, startTime: at(3) } }));
  b.applyRecord(exec({ time: at(3.2), id: 20, path: '/tmp/</script><script>alert(1)</script>', argv: ['</script><!--', '\u2028'], task: { pid: 200, ppid: 100, startTime: at(3) } }));
  b.applyRecord(exit({ time: at(4), id: 20, group: true, code: 256 }));
  return b;
}

const inputOf = (b: TreeBuilder, extra: Partial<TimelineInput> = {}): TimelineInput => ({
  title: 'test',
  first: at(2),
  last: at(4),
  processes: b.tree.processes.values(),
  threadOf: (id) => b.tree.threads.get(id),
  ...extra,
});
const threadIds = (b: TreeBuilder) => (p: { id: number }) => b.tree.threads.keys().filter((id) => b.tree.threads.get(id)!.leaderId === p.id);

describe('timelineModelOf', () => {
  it('keeps each process with its changes as offsets from the first event, exact for ns beyond 2^53', () => {
    const b = build();
    const m = timelineModelOf(inputOf(b), threadIds(b));
    expect(m.t0).toBe(String(at(2)));
    expect(at(2)).toBeGreaterThan(2n ** 53n);
    expect(m.end).toBe(2_000_000_000);
    expect(m.processes.map((p) => p.pid)).toEqual([1, 100, 200]);
    const child = m.processes.find((p) => p.pid === 200)!;
    expect(child).toMatchObject({ start: 1_000_000_000, startAbs: String(at(3)), exit: 2_000_000_000, exitAbs: String(at(4)), exitCode: 256, spawnParent: 10 });
    // each offset adds back to its absolute time, digit for digit
    for (const [o] of child.execs) expect(String(BigInt(m.t0) + BigInt(o))).toMatch(/^16962660\d+$/);
    expect(child.execs.map((e) => [e[0], e[1], e[2], e[4]])).toEqual([
      [1_000_000_000, ['sh'], '/bin/sh', 1], // sh's program, inherited at fork
      [1_100_000_000, ['env', 'x'], '/usr/bin/env', 0],
      [1_200_000_000, ['</script><!--', '\u2028'], '/tmp/</script><script>alert(1)</script>', 0],
    ]);
    expect(child.parents).toEqual([[1_000_000_000, 10, 100]]);
    const sh = m.processes.find((p) => p.pid === 100)!;
    expect(sh.threads).toEqual([[101, 11, 600_000_000, null]]);
    // init started 300 days before: clamped offset, exact start kept beside it
    const init = m.processes.find((p) => p.pid === 1)!;
    expect(init.start).toBe(-(2 ** 53 - 1));
    expect(init.startAbs).toBe(String(at(0) - 300n * 24n * 3600n * SEC));
    expect(offsetOf(at(0), at(2))).toBe(-2_000_000_000);
  });

  it('draws only processes alive in --from/--to, cuts at maxProcesses by start time, and says so', () => {
    const b = build();
    const ranged = timelineModelOf(inputOf(b, { from: at(4) + 1n }), threadIds(b));
    expect(ranged.processes.map((p) => p.pid)).toEqual([1, 100]); // 200 exited at 4 s
    expect(ranged.notes.join(' ')).toContain('(--from/--to)');
    const cut = timelineModelOf(inputOf(b, { maxProcesses: 2 }), threadIds(b));
    expect(cut.processes.map((p) => p.pid)).toEqual([1, 100]);
    expect(cut.notes.join(' ')).toContain('3 processes lived in this range; the first 2 by start time are shown');
  });

  it('places findings on their process at their offset; a finding outside the range or on a process not drawn is left out', () => {
    const b = build();
    const f = { id: 'PRX-002', name: 'x', severity: 2, description: 'd', eventName: 'sched_process_exec', data: '{}' };
    const m = timelineModelOf(inputOf(b, { findings: [{ ...f, time: at(3.2), process: 20 }, { ...f, time: at(3.2), process: 999 }, { ...f, time: at(5), process: 20 }] }), threadIds(b));
    expect(m.findings).toEqual([{ ...f, t: 1_200_000_000, tAbs: String(at(3.2)), process: 20 }]);
  });

  it('keeps evicted processes (their last state) beside those left in the tree', () => {
    const recorder = new TimelineRecorder(100);
    const b = new TreeBuilder({ processCacheSize: 2, threadCacheSize: 2, history: { maxVersions: 1 }, onEvicted: recorder.evicted });
    for (let i = 0; i < 10; i++) {
      b.applyRecord(forkProcess({ time: at(1 + i), id: 100 + i, pid: 1000 + i, parentId: 1, parentPid: 1 }));
      b.applyRecord(exit({ time: at(1.5 + i), id: 100 + i, group: true }));
    }
    recorder.finish(b.tree.processes.values(), b.tree.threads.values());
    const pids = [...recorder.allProcesses].map((p) => p.pid).filter((pid) => pid >= 1000).sort((x, y) => x - y);
    expect(pids).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]);
    expect([...recorder.allProcesses].every((p) => p.pid < 1000 || p.exitTime !== undefined)).toBe(true);
  });
});

describe('timelinePage', () => {
  it('embeds data no argv can break out of: no "</script" or "<!--" inside the data block, and it parses back equal', () => {
    const b = build();
    const m = timelineModelOf(inputOf(b), threadIds(b));
    const html = timelinePage(m);
    const block = /<script id="proctree-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(block).not.toContain('<');
    expect(block).not.toContain('\u2028');
    expect(JSON.parse(block)).toEqual(JSON.parse(JSON.stringify(m)));
    expect(scriptSafeJson({ a: '</script>' })).toBe('{"a":"\\u003c/script>"}');
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});
