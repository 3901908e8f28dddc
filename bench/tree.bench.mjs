/**
 * Process-tree figures: reducer throughput, query latency (ProcKey, lineage(5)), bytes per
 * retained version and per live process at 16 k processes / 32 k threads.
 * Targets (tree core v2): reducer ≥ 2 M and builder ≥ 1 M lifecycle records/s; ProcKey median
 * ≤ 1 µs (first query included); lineage(5) ≤ 3 µs; ≤ 300 B per retained version; ≤ 1.5 KB per
 * live process. Each line also shows the figure of the path-copying tree (v1) it replaces.
 */
import { applyRecord, applyRecords } from '../dist/src/tree/applyRecord.js';
import { emptyTree } from '../dist/src/tree/model.js';
import { lineageAt, processAt } from '../dist/src/tree/queries.js';
import { TreeBuilder } from '../dist/src/tree/treeBuilder.js';
import { hashTaskId } from '../dist/src/streams/entityId.js';
import { prng } from './lib/prng.mjs';

const BOOT = 1795576595489049319n;
const MS = 1_000_000n;


const file = (path, inode) => ({ path, dev: 266338304, inode: BigInt(inode), ctime: 1672924848000000000n, mode: 33261 });

/**
 * Lifecycle records of a busy host, in time order (as the sorted stream delivers them): each step
 * forks a child of a random live process (sometimes a thread), execs it 1 µs later, and 1 µs after
 * that a random older process exits. Pids wrap (reuse). Steps are 20–40 µs apart, so every record
 * has its own instant (and, in the builder, its own retained version).
 */
export function* churnChunks(steps, { seed = 7, live = 2000, chunk = 10_000 } = {}) {
  const rnd = prng(seed);
  let records = [];
  let t = BOOT + 1000n * 1_000_000_000n;
  let nextPid = 1000;
  const alive = []; // { id, pid, start }
  const init = { id: hashTaskId(1, 0n), pid: 1, start: BOOT };
  alive.push(init);
  for (let i = 0; i < steps; i++) {
    t += 20_000n + BigInt(Math.floor(rnd() * 20_000));
    const parent = alive[Math.floor(rnd() * alive.length)];
    const pid = (nextPid = nextPid >= 4_000_000 ? 1000 : nextPid + 1);
    const id = hashTaskId(pid, t - BOOT);
    const thread = rnd() < 0.2 && parent.pid !== 1;
    records.push({
      kind: 'fork', source: 'event', time: t + 1000n,
      child: { id, tid: pid, nsTid: pid, pid: thread ? parent.pid : pid, nsPid: thread ? parent.pid : pid, startTime: t },
      leaderId: thread ? parent.id : id, isThread: thread,
      parent: { id: thread ? 0 : parent.id, pid: parent.pid, nsPid: parent.pid, tid: parent.pid, nsTid: parent.pid, startTime: parent.start },
      name: 'bash', uid: 1000, containerId: undefined,
    });
    if (!thread) {
      records.push({
        kind: 'exec', source: 'event', time: t + 2_000n, taskId: id, parentId: parent.id,
        task: { tid: pid, nsTid: pid, pid, nsPid: pid, ppid: parent.pid, startTime: t },
        name: 'worker', cmdpath: '/usr/bin/worker', argv: ['worker', '--id', String(i)],
        executable: file('/usr/bin/worker', 1000 + (i % 50)), interpreter: file('/usr/lib/ld-linux-x86-64.so.2', 9), interp: '/usr/bin/worker',
        uid: 1000, containerId: undefined,
      });
      alive.push({ id, pid, start: t });
    }
    if (alive.length > live) {
      const k = 1 + Math.floor(rnd() * (alive.length - 1));
      const dead = alive[k];
      alive[k] = alive[alive.length - 1];
      alive.pop();
      records.push({ kind: 'exit', source: 'event', time: t + 3_000n, taskId: dead.id, leaderId: dead.id, exitCode: 0, groupExit: true });
    }
    if (records.length >= chunk) {
      yield records;
      records = [];
    }
  }
  if (records.length > 0) yield records;
}

/** All records of {@link churnChunks} in one array. */
export const churn = (steps, options) => [...churnChunks(steps, { ...options, chunk: Infinity })].flat();

/** Applies records chunk by chunk (generation not timed); returns { seconds, count, result }. */
function timedChunks(steps, apply, init) {
  let state = init();
  let seconds = 0;
  let count = 0;
  for (const chunk of churnChunks(steps)) {
    const t0 = process.hrtime.bigint();
    state = apply(state, chunk);
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    count += chunk.length;
  }
  return { seconds, count, result: state };
}

const heap = () => {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * A tree of 16 k service processes (each forked from a random earlier one, exec'd, with one extra
 * thread): 16 k processes, 32 k threads. Returns it and the process ids (a typed array, so the
 * bench's own bookkeeping adds 8 bytes per process to the memory figure, not a JS object).
 */
function buildServiceTree() {
  let tree = emptyTree();
  const rnd = prng(3);
  let t = BOOT + 10n * 1_000_000_000n;
  const procs = [{ id: hashTaskId(1, 0n), pid: 1, start: BOOT }];
  for (let i = 0; i < 16_384; i++) {
    t += 50_000n;
    const parent = procs[Math.floor(rnd() * procs.length)];
    const pid = 2000 + i * 2;
    const id = hashTaskId(pid, t - BOOT);
    tree = applyRecord(tree, {
      kind: 'fork', source: 'event', time: t, child: { id, tid: pid, nsTid: pid, pid, nsPid: pid, startTime: t }, leaderId: id, isThread: false,
      parent: { id: parent.id, pid: parent.pid, nsPid: parent.pid, tid: parent.pid, nsTid: parent.pid, startTime: parent.start },
      name: 'bash', uid: 0, containerId: undefined,
    });
    tree = applyRecord(tree, {
      kind: 'exec', source: 'event', time: t + MS, taskId: id, parentId: parent.id, task: { tid: pid, nsTid: pid, pid, nsPid: pid, ppid: parent.pid, startTime: t },
      name: 'svc', cmdpath: '/usr/sbin/svc', argv: ['svc', '-d', String(i)], executable: file('/usr/sbin/svc', 77), interpreter: file('/lib/ld.so', 9), interp: '/usr/sbin/svc', uid: 0, containerId: undefined,
    });
    const tid = pid + 1;
    tree = applyRecord(tree, {
      kind: 'fork', source: 'event', time: t + 2n * MS, child: { id: hashTaskId(tid, t + MS - BOOT), tid, nsTid: tid, pid, nsPid: pid, startTime: t + MS }, leaderId: id, isThread: true,
      parent: { id: parent.id, pid: parent.pid, nsPid: undefined, tid: undefined, nsTid: undefined, startTime: undefined }, name: 'svc', uid: 0, containerId: undefined,
    });
    procs.push({ id, pid, start: t });
  }
  return { tree, ids: Float64Array.from(procs, (p) => p.id) };
}

export default async function run() {
  console.log('\n## process tree');
  // memory first, on a clean heap; throughput last
  // 2. a tree at 16 k live processes / 32 k threads, and its memory
  // one build first, discarded: compiled code and inline-cache feedback are not per-process memory
  buildServiceTree();
  const base = heap();
  let { tree, ids: allIds } = buildServiceTree();
  {
    const used = heap() - base;
    console.log(`memory: ${tree.processes.size} processes / ${tree.threads.size} threads → ${(used / tree.processes.size / 1024).toFixed(2)} KB per live process (threads included)  target ≤ 1.5 KB (v1: 1.89–1.90 KB)`);

    // 3. queries on that tree
    const ids = [];
    const rq = prng(11);
    for (let i = 0; i < 4096; i++) ids.push(allIds[1 + Math.floor(rq() * (allIds.length - 1))]);
    const now = tree.time + 1n;
    const perCall = (fn, reps) => {
      const samples = [];
      for (let b = 0; b < 200; b++) {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < reps; i++) fn(ids[(b * reps + i) & 4095]);
        samples.push(Number(process.hrtime.bigint() - t0) / reps);
      }
      return median(samples);
    };
    // first, each process queried once (nothing memoised for it yet): 40 batches of 50 distinct ids,
    // after a warm-up on other processes so the code is compiled
    {
      const fresh = [...new Set(allIds.slice(1))].filter((id) => !ids.includes(id));
      for (let i = 0; i < 500; i++) processAt(tree, fresh[fresh.length - 1 - i], now);
      const samples = [];
      for (let b = 0; b < 40; b++) {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < 50; i++) processAt(tree, fresh[b * 50 + i], now);
        samples.push(Number(process.hrtime.bigint() - t0) / 50);
      }
      console.log(`ProcKey, first query of each process (per-node memo empty) median: ${(median(samples) / 1000).toFixed(2)} µs  target ≤ 1 µs (v1: 6.8–7.7 µs)`);
    }
    perCall((id) => processAt(tree, id, now), 100); // warm-up
    console.log(`ProcKey (processAt) median, processes queried repeatedly: ${(perCall((id) => processAt(tree, id, now), 200) / 1000).toFixed(2)} µs  target ≤ 1 µs (v1: 1.9–3.4 µs)`);
    perCall((id) => lineageAt(tree, id, now, 5), 50);
    console.log(`lineage(5) (lineageAt, follow=spawn) median: ${(perCall((id) => lineageAt(tree, id, now, 5), 100) / 1000).toFixed(2)} µs  target ≤ 3 µs (v1: 4.4–6.2 µs)`);
  }

  // 4. bytes per retained version: the same churn, keeping every version vs keeping one
  {
    const measure = (maxVersions) => {
      const before = heap();
      const b = new TreeBuilder({ history: { maxVersions } });
      let records = 0;
      for (const chunk of churnChunks(30_000)) {
        for (const rec of chunk) {
          b.applyRecord(rec);
          records++;
        }
      }
      const used = heap() - before;
      return { used, versions: b.history.size, records, keep: b };
    };
    const one = measure(1);
    const all = measure(1_000_000);
    console.log(`retained versions: ${all.records} records → ${all.versions} versions cost ${((all.used - one.used) / 1024 / 1024).toFixed(1)} MB → ${((all.used - one.used) / all.versions).toFixed(0)} B per retained version  target ≤ 300 B (v1: 2.9–3.1 KB)`);
    void one.keep.tree;
    void all.keep.tree;
  }
  const STEPS = 400_000;
  // 1. reducer throughput on a churning host (fork/exec/exit, pid reuse); records generated in chunks, only applying is timed
  {
    const runs = (label, apply, init) => {
      let best;
      for (let r = 0; r < 3; r++) {
        globalThis.gc?.();
        const m = timedChunks(STEPS, apply, init);
        if (best === undefined || m.seconds < best.seconds) best = m;
      }
      console.log(`${label}: ${(best.count / best.seconds / 1e6).toFixed(3)} M lifecycle records/s (${best.count} records, ${best.seconds.toFixed(2)} s)`);
      return best;
    };
    runs('reducer, one version per record (applyRecord), unbounded tree, 4096 versions retained (v1: 0.14–0.18 M/s; target ≥ 2 M/s)', (tree, chunk) => {
      for (const rec of chunk) tree = applyRecord(tree, rec);
      return tree;
    }, () => emptyTree());
    runs('reducer, transient batches of 256 (applyRecords), unbounded tree', (tree, chunk) => {
      for (let i = 0; i < chunk.length; i += 256) tree = applyRecords(tree, chunk.slice(i, i + 256));
      return tree;
    }, () => emptyTree());
    const b = runs('builder (bounds 16384/32768 + 4096 versions), one version per record (v1: 0.065–0.071 M/s)', (builder, chunk) => {
      for (const rec of chunk) builder.applyRecord(rec);
      return builder;
    }, () => new TreeBuilder({ history: { maxVersions: 4096 } }));
    console.log(`  (builder: ${b.result.stats.evictedProcesses} processes / ${b.result.stats.evictedThreads} threads evicted; ${b.result.tree.processes.size} processes, ${b.result.tree.threads.size} threads held)  target ≥ 1 M/s`);
  }

}
