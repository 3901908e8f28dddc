/**
 * The soak scenarios: generators of Tracee NDJSON lines that stress one dimension each.
 * Every generator is deterministic and yields lines without their newline.
 */
import { execLine, exitLine, forkLine, openLine, task } from './tracee.mjs';

const START = 6_000_000_000_000n; // ns since boot when the capture starts
const STEP = 20_000n; // 20 µs between events

/** A daemon (pid 700) that exists before the capture. */
const daemon = () => task(700, 700, 2_000_000_000n, null, 'sshd', '/usr/sbin/sshd');

/** Distinct pids from 1000 up (below PID_MAX_LIMIT), skipping `taken`. */
function* pids(from = 1000) {
  for (let p = from; p < 4_194_304; p++) yield p;
}

/**
 * Fork bomb: one parent forks `n` children that never exit; every child also opens a file, so
 * each child's event carries its context, and so does the parent's fork of the next one.
 */
export function* forkBomb(n) {
  const parent = daemon();
  let now = START;
  const ids = pids();
  for (let i = 0; i < n; i++) {
    now += STEP;
    const pid = ids.next().value;
    const child = task(pid, pid, now - 500n, parent, parent.comm, parent.exe);
    yield forkLine(parent, parent, child, now);
    now += STEP;
    yield openLine(child, child, now);
  }
}

/** Thread storm: one process starts `n` threads; each thread opens a file. */
export function* threadStorm(n) {
  const root = daemon();
  let now = START;
  const p = task(999, 999, now, root, 'java', '/usr/bin/java');
  yield forkLine(root, root, p, now);
  const ids = pids();
  for (let i = 0; i < n; i++) {
    now += STEP;
    const tid = ids.next().value;
    const t = task(tid, p.pid, now - 500n, root, p.comm, p.exe);
    yield forkLine(p, p, t, now);
    now += STEP;
    yield openLine(t, p, now);
  }
}

/** Exec storm: `n` short-lived children each exec a binary with an argv of `argvBytes` bytes, then exit. */
export function* execStorm(n, argvBytes = 40 * 1024) {
  const parent = daemon();
  let now = START;
  const ids = pids();
  const word = 'A'.repeat(1023);
  const argvFor = (i) => ['/usr/bin/python3', ...Array.from({ length: Math.max(1, Math.floor(argvBytes / 1024)) }, (_, k) => `${k}${i}${word}`.slice(0, 1023))];
  for (let i = 0; i < n; i++) {
    now += STEP;
    const pid = ids.next().value;
    const child = task(pid, pid, now - 500n, parent, parent.comm, parent.exe);
    yield forkLine(parent, parent, child, now);
    now += STEP;
    yield execLine(child, now, '/usr/bin/python3.11', argvFor(i));
    now += STEP;
    yield exitLine(child, child, now);
  }
}

/**
 * Never-exiting processes: `n` processes forked by a few parents (a balanced fan-out of 64 per
 * parent, so no single map grows huge), each exec'ing once and opening a file; none exits.
 */
export function* neverExiting(n) {
  const root = daemon();
  let now = START;
  const ids = pids();
  const parents = [root];
  let made = 0;
  for (let i = 0; made < n; i++) {
    const parent = parents[Math.floor(i / 64)] ?? root;
    now += STEP;
    const pid = ids.next().value;
    const child = task(pid, pid, now - 500n, parent, parent.comm, parent.exe);
    parents.push(child);
    made++;
    yield forkLine(parent, parent, child, now);
    now += STEP;
    yield execLine(child, now, '/usr/bin/sleep', ['sleep', 'infinity']);
    now += STEP;
    yield openLine(child, child, now);
  }
}
