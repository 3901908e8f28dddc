/**
 * The cases issue 11 names, each as a regression test on the smallest input that showed it:
 * lines of a release as test/support/releaseLines.ts writes them, read through the stream reader,
 * fed to the tree. Each tree is compared with the seed format's (v0.18) for the same activity.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { createEventReader } from '../../src/streams/eventReader.js';
import { hashTaskId, HEAD_BUCKET_NS, SEED_BUCKET_NS } from '../../src/streams/entityId.js';
import { execArgs } from '../../src/streams/lifecycleArgs.js';
import { headOf, type Envelope, type InputIssue } from '../../src/streams/types.js';
import { feedFromEnvelope, type TreeSource } from '../../src/tree/feedFromEvents.js';
import { processAt } from '../../src/tree/queries.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { BOOT, bothLines, eventLines, signalLines, type ReleaseFormat } from '../support/releaseLines.js';

const read = (lines: readonly string[], issues: InputIssue[] = []): Envelope[] => {
  const reader = createEventReader({ source: 't', onIssue: (i) => issues.push(i) });
  return lines.map((l, i) => {
    const r = reader.read(l, i + 1, i);
    if (E.isLeft(r)) throw new Error(r.left);
    return r.right;
  });
};

const build = (envs: readonly Envelope[], source: TreeSource, issues: InputIssue[] = []): TreeBuilder => {
  const b = new TreeBuilder({ source, onIssue: (i) => issues.push(i) });
  for (const e of envs) b.applyEnvelope(e);
  return b;
};

/** The ls child (pid 1001) as of just before its exit, without ids (they differ by release). */
const lsMidLife = (b: TreeBuilder, id: number) => {
  const p = O.toUndefined(processAt(b.tree, id, BOOT + 10_065_000_000n));
  return p && { pid: p.pid, ppid: p.ppid, exe: p.executionBinary.path, cmd: p.cmd, start: p.startTime, alive: p.isAlive };
};

const LS_START = BOOT + 10_000_000_456n - 1_000n;
const lsId = (f: ReleaseFormat): number =>
  f === 'v0.24' || f === 'main'
    ? hashTaskId(1001, LS_START, HEAD_BUCKET_NS)
    : f === 'v0.23' || f === 'v0.22.6'
      ? hashTaskId(1001, LS_START, SEED_BUCKET_NS)
      : f === 'v0.18' || f === 'v0.20' || f.startsWith('v0.22')
        ? hashTaskId(1001, LS_START - BOOT, SEED_BUCKET_NS)
        : hashTaskId(1001, LS_START, HEAD_BUCKET_NS);

const SEED = { pid: 1001, ppid: 1000, exe: '/usr/bin/ls', cmd: ['ls', '-la'], start: LS_START, alive: true };

describe('issue 11 cases', () => {
  it("v0.24: a fork's parent_start_time (RFC3339 at UTC−3) is read, and the child is keyed as v0.24 keys it", () => {
    const envs = read(eventLines('v0.24'));
    const feed = feedFromEnvelope(envs[1]!, 'events');
    expect(feed.problem).toBeUndefined();
    const fork = feed.records.find((r) => r.kind === 'fork');
    expect(fork?.kind === 'fork' && fork.child).toMatchObject({ id: lsId('v0.24'), startTime: LS_START });
    // the child's own lines carry the id the fork produced
    expect(envs[2]!.event.threadEntityId).toBe(lsId('v0.24'));
    expect(lsMidLife(build(envs, 'events'), lsId('v0.24'))).toEqual(SEED);
  });

  it("v0.23 (default flags): the child's start since boot does not precede boot", () => {
    const envs = read(eventLines('v0.23'));
    const feed = feedFromEnvelope(envs[1]!, 'events');
    expect(feed.problem).toBeUndefined();
    expect(lsMidLife(build(envs, 'events'), lsId('v0.23'))).toEqual(SEED);
  });

  it.each(['v0.23', 'v0.24'] as const)('%s with source=both: the child keeps its program, argv, parent and exit', (f) => {
    const issues: InputIssue[] = [];
    const b = build(read(bothLines(f)), 'both', issues);
    expect(issues).toEqual([]);
    expect(lsMidLife(b, lsId(f))).toEqual(SEED);
    const end = O.toUndefined(processAt(b.tree, lsId(f), BOOT + 10_500_000_000n));
    expect(end).toMatchObject({ isAlive: false, exitCode: 512 });
    // one process per task: events and signals agree on every id
    expect(b.tree.processes.size).toBe(4);
  });

  it.each(['v0.22.0', 'v0.22.3', 'v0.22.6', 'v0.23', 'v0.24', 'main'] as const)('%s signals only: the forking process is kept', (f) => {
    const b = build(read(signalLines(f)), 'signals');
    const ls = O.toUndefined(processAt(b.tree, lsId(f === 'v0.22.6' ? 'v0.22.0' : f), BOOT + 10_065_000_000n));
    expect(ls).toMatchObject({ pid: 1001, ppid: 1000, cmd: ['ls', '-la'] });
    const bash = O.toUndefined(processAt(b.tree, ls!.parentEntityId, BOOT + 10_065_000_000n));
    expect(bash).toMatchObject({ pid: 1000, isAlive: true });
  });

  it.each(['v0.11', 'v0.13', 'v0.15'] as const)('%s (before v0.18): forks without parent_start_time still build the tree, on computed ids', (f) => {
    const issues: InputIssue[] = [];
    const envs = read(eventLines(f), issues);
    expect(issues).toEqual([]);
    const b = build(envs, 'events', issues);
    expect(issues).toEqual([]);
    expect(lsMidLife(b, lsId(f))).toEqual(SEED);
    expect(O.toUndefined(processAt(b.tree, lsId(f), BOOT + 10_500_000_000n))).toMatchObject({ isAlive: false, exitCode: 512 });
  });

  it("main's v1beta1 lines are read onto the same envelope", () => {
    const envs = read(eventLines('main'));
    expect(envs[1]!.event).toMatchObject({ eventName: 'sched_process_fork', hostProcessId: 1000, hostParentProcessId: 1, processName: 'bash' });
    expect(envs[1]!.timestamp).toBe(BOOT + 10_000_000_456n);
    expect(lsMidLife(build(envs, 'events'), lsId('main'))).toEqual(SEED);
  });

  it("Tracee's docs exec line with the misspelt ineterpreter_inode loses only the interpreter's inode (and the ctime it lacks), said once per stream", () => {
    // docs/docs/outputs/output-options.md up to v0.19 (an old build, v0.8 era)
    const docs =
      '{"timestamp":1657295236470126167,"threadStartTime":620317257297855,"processorId":3,"processId":2578324,"cgroupId":1,"threadId":2578324,"parentProcessId":2578238,"hostProcessId":2578324,"hostThreadId":2578324,"hostParentProcessId":2578238,"userId":1000,"mountNamespace":4026531840,"pidNamespace":4026531836,"processName":"exa","hostName":"fujitsu","containerId":"","containerImage":"","containerName":"","podName":"","podNamespace":"","podUID":"","eventId":"707","eventName":"sched_process_exec","argsNum":14,"returnValue":0,"stackAddresses":null,"syscall":"execve","contextFlags":{"containerStarted":false,"isCompat":false},"args":[{"name":"cmdpath","type":"const char*","value":"/bin/exa"},{"name":"pathname","type":"const char*","value":"/usr/bin/exa"},{"name":"argv","type":"const char**","value":["exa","--color=auto"]},{"name":"dev","type":"dev_t","value":271581185},{"name":"inode","type":"unsigned long","value":2493759},{"name":"invoked_from_kernel","type":"int","value":0},{"name":"ctime","type":"unsigned long","value":1653730234432691496},{"name":"stdin_type","type":"string","value":"S_IFCHR"},{"name":"inode_mode","type":"umode_t","value":33261},{"name":"interp","type":"const char*","value":"/bin/exa"},{"name":"interpreter_pathname","type":"const char*","value":"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},{"name":"interpreter_dev","type":"dev_t","value":271581185},{"name":"ineterpreter_inode","type":"unsigned long","value":2752590},{"name":"sha256","type":"const char*","value":""}]}';
    const issues: InputIssue[] = [];
    const envs = read([docs, docs.replace('1657295236470126167', '1657295236470126999')], issues);
    const a = execArgs(envs[0]!);
    expect(E.isRight(a) && a.right).toMatchObject({
      cmdpath: '/bin/exa',
      argv: ['exa', '--color=auto'],
      file: { path: '/usr/bin/exa', dev: 271581185, inode: 2493759n, ctime: 1653730234432691496n, mode: 33261 },
      interpreter: { path: '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', dev: 271581185, inode: 0n, ctime: 0n },
    });
    // two lines, one warning per missing argument
    expect(issues.map((i) => [i.origin.line, i.reason])).toEqual([
      [1, expect.stringMatching(/^sched_process_exec: argument "interpreter_inode" is missing/)],
      [1, expect.stringMatching(/^sched_process_exec: argument "interpreter_ctime" is missing/)],
    ]);
    // no entity ids in that build: computed from host tid and start
    const id = headOf(envs[0]!).processEntityId;
    expect(id).toBe(hashTaskId(2578324, 620317257297855n, HEAD_BUCKET_NS));
    const exa = O.toUndefined(processAt(build(envs, 'events').tree, id, envs[1]!.timestamp));
    expect(exa).toMatchObject({ pid: 2578324, cmd: ['exa', '--color=auto'], executionBinary: { path: '/usr/bin/exa', inode: 2493759n } });
  });

  it('a fork whose child start is malformed costs the fork only; the stream goes on', () => {
    const lines = eventLines('v0.18');
    const bad = lines[1]!.replace(/("name":"start_time","type":"unsigned long","value":)\d+/, '$1"soon"');
    const issues: InputIssue[] = [];
    const b = build(read([lines[0]!, bad, ...lines.slice(2)]), 'events', issues);
    expect(issues).toEqual([expect.objectContaining({ origin: { source: 't', line: 2 }, reason: expect.stringMatching(/start_time/) })]);
    // the exec still tells the tree about ls
    expect(O.toUndefined(processAt(b.tree, lsId('v0.18'), BOOT + 10_065_000_000n))).toMatchObject({ pid: 1001, cmd: ['ls', '-la'] });
  });
});
