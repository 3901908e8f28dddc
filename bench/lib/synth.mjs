/**
 * Synthetic Tracee NDJSON for benchmarks: a large, realistic, deterministic stream in the seed
 * format of test/fixtures/tracee/pipeline.ndjson (same keys in the same order, ~1 KB lines).
 *
 * What it contains: a few long-lived daemons that fork children; children exec binaries, open
 * many files (most lines are `openat`), sometimes start threads, and exit with varied codes. Pids
 * come from a small range and wrap, so pids are reused over time. Times are exact epoch ns
 * (> 2^53) written as digits; entity ids are Tracee's real hash (hashTaskId from the built
 * library) of (host tid, start since boot), so a fork's child id matches the child's own events.
 *
 * Usage:
 *   import { ensureSynth } from './lib/synth.mjs';
 *   const { path, lines, bytes } = await ensureSynth({ lines: 200_000 });
 * The file is written to bench/data/ (gitignored) and reused when present.
 *
 * CLI: node bench/lib/synth.mjs [lines] [out-path]
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashTaskId } from '../../dist/src/streams/entityId.js';
import { prng } from './prng.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Default output folder: bench/data/. */
export const DATA_DIR = join(HERE, '..', 'data');

/** Boot time of the synthetic machine (epoch ns), as in the fixtures. */
export const BOOT_EPOCH_NS = 1795576595489049319n;


const BINARIES = [
  ['/usr/bin/ls', 'ls', ['ls', '-la', '/var/log']],
  ['/usr/bin/cat', 'cat', ['cat', '/etc/os-release']],
  ['/usr/bin/python3.11', 'python3', ['python3', '/srv/app/worker.py', '--queue', 'default']],
  ['/usr/bin/curl', 'curl', ['curl', '-sS', 'https://example.internal/health']],
  ['/usr/bin/grep', 'grep', ['grep', '-r', 'ERROR', '/var/log/app']],
  ['/usr/bin/dash', 'sh', ['sh', '-c', 'ls /usr | wc -l >/dev/null; echo done']],
  ['/usr/bin/git', 'git', ['git', 'status', '--porcelain']],
  ['/usr/local/bin/node', 'node', ['node', '/srv/app/server.js']],
];
const DIRS = ['/etc/', '/usr/lib/x86_64-linux-gnu/', '/srv/app/data/', '/var/log/app/', '/proc/self/', '/tmp/cache/', '/usr/share/zoneinfo/'];
const FILES = ['libc.so.6', 'ld.so.cache', 'config.yaml', 'passwd', 'status', 'index.json', 'Europe/Berlin', 'session.db', 'libssl.so.3'];
const FLAGS = ['O_RDONLY|O_CLOEXEC', 'O_RDONLY', 'O_WRONLY|O_CREAT|O_TRUNC', 'O_RDWR|O_CLOEXEC', 'O_RDONLY|O_NONBLOCK|O_DIRECTORY'];
const EXIT_CODES = [0, 0, 0, 0, 256, 768, 9, 15, 0, 512];

const q = JSON.stringify;

/** One printed argument: `{"name","type","value"}` (a bigint's digits exactly). */
export function arg(name, type, value) {
  return `{"name":${q(name)},"type":${q(type)},"value":${typeof value === 'bigint' ? value.toString() : q(value)}}`;
}

/**
 * The `args` of a seed-format `sched_process_fork` line (without brackets): `creator` (tid,
 * startBoot) of process `creatorPid` forks `childTid` of process `childPid`, started at
 * `childStartEpoch`. Shared with fuzz/lib/tracee.mjs.
 */
export function forkArgsText(creator, creatorPid, childTid, childPid, childStartEpoch) {
  return [
    arg('parent_tid', 'int', creator.tid),
    arg('parent_ns_tid', 'int', creator.tid),
    arg('parent_pid', 'int', creatorPid),
    arg('parent_ns_pid', 'int', creatorPid),
    arg('parent_start_time', 'unsigned long', creator.startBoot),
    arg('child_tid', 'int', childTid),
    arg('child_ns_tid', 'int', childTid),
    arg('child_pid', 'int', childPid),
    arg('child_ns_pid', 'int', childPid),
    arg('start_time', 'unsigned long', childStartEpoch),
  ].join(',');
}

/**
 * The `args` of a seed-format `sched_process_exec` line (without brackets): `exe` run with
 * `argv`, its file's `inode` and `ctime`, loaded by ld.so. Shared with fuzz/lib/tracee.mjs.
 */
export function execArgsText(exe, argv, inode, ctime) {
  return [
    arg('cmdpath', 'const char*', exe),
    arg('pathname', 'const char*', exe),
    arg('dev', 'dev_t', 266338304),
    arg('inode', 'unsigned long', inode),
    arg('ctime', 'unsigned long', ctime),
    arg('inode_mode', 'umode_t', 33261),
    arg('interpreter_pathname', 'const char*', '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'),
    arg('interpreter_dev', 'dev_t', 266338304),
    arg('interpreter_inode', 'unsigned long', 338944),
    arg('interpreter_ctime', 'unsigned long', 1777320873000000000n),
    arg('argv', 'const char**', argv),
    arg('interp', 'const char*', exe),
    arg('stdin_type', 'string', 'S_IFIFO'),
    arg('stdin_path', 'char*', 'pipe:[0]'),
    arg('invoked_from_kernel', 'int', 0),
    arg('env', 'const char**', null),
  ].join(',');
}

/**
 * Yields synthetic Tracee NDJSON lines (without the trailing newline).
 * `mix: 'lifecycle'` writes only fork / exec / exit lines (short-lived processes, pids reused many
 * times): the tree's hardest case, one lifecycle record per line.
 * @param {{ lines?: number, seed?: number, mix?: 'mixed' | 'lifecycle' }} [options]
 */
export function* synthLines({ lines = 200_000, seed = 1, mix = 'mixed' } = {}) {
  const lifecycleOnly = mix === 'lifecycle';
  const rnd = prng(seed);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  let nowBoot = 6_000_000_000_000n; // ns since boot (~100 min of uptime)
  const live = new Map(); // tid -> task
  const processes = []; // live leaders (array for random picks)
  const threads = []; // live non-leader threads
  let nextPid = 20000;
  const PID_MIN = 20000;
  const PID_MAX = 24000; // small range: pids wrap and are reused
  const allocPid = () => {
    for (;;) {
      const pid = nextPid;
      nextPid = nextPid >= PID_MAX ? PID_MIN : nextPid + 1;
      if (!live.has(pid)) return pid;
    }
  };
  const newTask = (tid, pid, startBoot, leader, parentProc, comm, exe) => {
    const entityId = hashTaskId(tid, startBoot);
    const t = {
      tid,
      pid,
      startBoot,
      entityId,
      leader: leader ?? null,
      parent: parentProc,
      comm,
      exe,
      uid: parentProc ? parentProc.uid : 0,
      cpu: Math.floor(rnd() * 8),
    };
    live.set(tid, t);
    return t;
  };
  const proc = (t) => t.leader ?? t;
  // daemons: started long before the capture, parents outside it
  for (let i = 0; i < 12; i++) {
    const pid = 700 + i * 13;
    const [exe, comm] = BINARIES[i % BINARIES.length];
    const d = newTask(pid, pid, 2_000_000_000n + BigInt(i) * 7_654_321n, null, null, comm, exe);
    d.ppid = 1;
    d.parentEntityId = hashTaskId(1, 1_000_000n);
    d.daemon = true;
    processes.push(d);
  }
  const parentEntityOf = (p) => (p.parent ? p.parent.entityId : p.parentEntityId);
  const ppidOf = (p) => (p.parent ? p.parent.pid : p.ppid);

  const header = (t, eventId, eventName, argsNum, returnValue, syscall) => {
    const p = proc(t);
    const ts = BOOT_EPOCH_NS + nowBoot;
    return (
      `{"timestamp":${ts},"threadStartTime":${BOOT_EPOCH_NS + t.startBoot},"processorId":${t.cpu},"processId":${p.pid},` +
      `"cgroupId":0,"threadId":${t.tid},"parentProcessId":${ppidOf(p)},"hostProcessId":${p.pid},"hostThreadId":${t.tid},` +
      `"hostParentProcessId":${ppidOf(p)},"userId":${p.uid},"mountNamespace":4026531832,"pidNamespace":4026531836,` +
      `"processName":${q(t.comm)},"executable":{"path":${q(p.exe)}},"hostName":"vm","containerId":"","container":{},` +
      `"kubernetes":{},"eventId":"${eventId}","eventName":"${eventName}","matchedPolicies":[""],"argsNum":${argsNum},` +
      `"returnValue":${returnValue},"syscall":"${syscall}","stackAddresses":null,` +
      `"contextFlags":{"containerStarted":false,"isCompat":false},"threadEntityId":${t.entityId},` +
      `"processEntityId":${p.entityId},"parentEntityId":${parentEntityOf(p)},"args":[`
    );
  };

  const removeFrom = (arr, t) => {
    const i = arr.indexOf(t);
    if (i >= 0) {
      arr[i] = arr[arr.length - 1];
      arr.pop();
    }
  };

  let emitted = 0;
  const pending = [];
  while (emitted < lines) {
    nowBoot += BigInt(1000 + Math.floor(rnd() * 40_000)); // 1–41 µs between events
    const r = lifecycleOnly ? rnd() * 0.095 : rnd();
    if (r < 0.035 && live.size < 600) {
      // fork: a process (or sometimes a thread) is created by a random live task
      const creator = rnd() < 0.9 || threads.length === 0 ? pick(processes) : pick(threads);
      const isThread = rnd() < 0.15;
      const childTid = allocPid();
      const childStart = nowBoot - 900n;
      const cp = proc(creator);
      const child = isThread
        ? newTask(childTid, cp.pid, childStart, cp, cp.parent, creator.comm, cp.exe)
        : newTask(childTid, childTid, childStart, null, cp, creator.comm, cp.exe);
      if (isThread) {
        child.parentEntityId = cp.parentEntityId;
        child.ppid = cp.ppid;
        threads.push(child);
      } else processes.push(child);
      const args = forkArgsText(creator, cp.pid, childTid, child.pid, BOOT_EPOCH_NS + childStart);
      pending.push(header(creator, '712', 'sched_process_fork', 20, 0, 'clone') + args + ']}');
    } else if (r < 0.06) {
      // exec: a non-daemon process runs a binary
      const p = pick(processes);
      if (p.daemon) continue;
      const [exe, comm, argv] = pick(BINARIES);
      p.comm = comm;
      p.exe = exe;
      // inode, then ctime: the generator's draws in their order
      const inode = 260000 + Math.floor(rnd() * 90000);
      const args = execArgsText(exe, argv, inode, 1672924848000000000n + BigInt(Math.floor(rnd() * 1e9)));
      pending.push(header(p, '713', 'sched_process_exec', 15, 0, 'execve') + args + ']}');
    } else if (r < 0.095 && processes.length > 40) {
      // exit: a thread alone, or a whole process (its threads first, group exit)
      const code = pick(EXIT_CODES);
      if (threads.length > 0 && rnd() < 0.3) {
        const t = pick(threads);
        removeFrom(threads, t);
        live.delete(t.tid);
        pending.push(header(t, '714', 'sched_process_exit', 2, 0, 'exit') + arg('exit_code', 'long', 0) + ',' + arg('process_group_exit', 'bool', false) + ']}');
      } else {
        const p = pick(processes);
        if (p.daemon) continue;
        for (const t of threads.filter((x) => x.leader === p)) {
          removeFrom(threads, t);
          live.delete(t.tid);
          pending.push(header(t, '714', 'sched_process_exit', 2, 0, 'exit_group') + arg('exit_code', 'long', code) + ',' + arg('process_group_exit', 'bool', true) + ']}');
        }
        removeFrom(processes, p);
        live.delete(p.tid);
        pending.push(header(p, '714', 'sched_process_exit', 2, 0, 'exit_group') + arg('exit_code', 'long', code) + ',' + arg('process_group_exit', 'bool', true) + ']}');
      }
    } else {
      // openat: the bulk of a real capture
      const t = rnd() < 0.8 || threads.length === 0 ? pick(processes) : pick(threads);
      const path = pick(DIRS) + pick(FILES);
      const ret = rnd() < 0.85 ? 3 + Math.floor(rnd() * 20) : -2;
      const args = [arg('dirfd', 'int', -100), arg('pathname', 'const char*', path), arg('flags', 'int', pick(FLAGS)), arg('mode', 'umode_t', 0)];
      pending.push(header(t, '257', 'openat', 4, ret, 'openat') + args.join(',') + ']}');
    }
    while (pending.length > 0 && emitted < lines) {
      emitted++;
      yield pending.shift();
    }
    pending.length = 0;
  }
}

/**
 * Writes the synthetic file unless it is already there; returns its path and size.
 * @param {{ lines?: number, seed?: number, dir?: string, path?: string, mix?: 'mixed' | 'lifecycle' }} [options]
 * @returns {Promise<{ path: string, lines: number, bytes: number }>}
 */
export async function ensureSynth({ lines = 200_000, seed = 1, dir = DATA_DIR, path, mix = 'mixed' } = {}) {
  const out = path ?? join(dir, `synth-${mix === 'mixed' ? '' : `${mix}-`}${lines}-s${seed}.ndjson`);
  if (existsSync(out)) return { path: out, lines, bytes: statSync(out).size };
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  const ws = createWriteStream(tmp);
  let batch = [];
  for (const line of synthLines({ lines, seed, mix })) {
    batch.push(line);
    if (batch.length === 2000) {
      if (!ws.write(batch.join('\n') + '\n')) await new Promise((r) => ws.once('drain', r));
      batch = [];
    }
  }
  if (batch.length > 0) ws.write(batch.join('\n') + '\n');
  await new Promise((resolve, reject) => ws.end((err) => (err ? reject(err) : resolve())));
  renameSync(tmp, out);
  return { path: out, lines, bytes: statSync(out).size };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const lines = Number(process.argv[2] ?? 200_000);
  const r = await ensureSynth({ lines, path: process.argv[3], mix: process.argv[4] ?? 'mixed' });
  console.log(`${r.path}: ${r.lines} lines, ${(r.bytes / 1e6).toFixed(1)} MB`);
}
