/**
 * Estimate of the boot time on the epoch clock, for procfs start times.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';
import type { Nanos } from '../streams/types.js';
import type { ProcfsIo } from './procfsTypes.js';

const NS_PER_S = 1_000_000_000n;
const UPTIME = /^(\d+)(?:\.(\d{1,9}))?\s/;
const BTIME = /^btime\s+(\d+)\s*$/m;

const readText = (io: ProcfsIo | undefined, path: string): string | undefined => {
  try {
    return io ? io.readFile(path) : readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * Estimates the boot time in epoch ns: `now − <root>/uptime` (CLOCK_BOOTTIME, the clock of
 * procfs `starttime`). Precision: `uptime` has 10 ms resolution and `Date.now()` 1 ms, so the
 * estimate is within about ±11 ms of the kernel's; fall-backs: `<root>/stat`'s `btime`
 * (whole seconds, ±1 s), then `os.uptime()` (the host's, ±10 ms).
 *
 * Entity ids do not depend on this (they use ticks since boot); only epoch `startTime`s do.
 * When events are at hand, prefer the exact boot time they carry (spec README §3).
 *
 * @param root - the procfs mount, `/proc` by default.
 * @param nowNs - the current epoch time in ns (`Date.now()` by default); for tests.
 *
 * @example
 * ```ts
 * import { estimateBootEpochNs } from 'proctree-rx';
 * const boot = estimateBootEpochNs(); // e.g. 1795619264123000000n
 * ```
 */
export function estimateBootEpochNs(
  root = '/proc',
  nowNs: Nanos = BigInt(Date.now()) * 1_000_000n,
  io?: ProcfsIo,
): Nanos {
  const up = UPTIME.exec(readText(io, `${root}/uptime`) ?? '');
  if (up) {
    const frac = (up[2] ?? '').padEnd(9, '0');
    return nowNs - (BigInt(up[1]!) * NS_PER_S + BigInt(frac));
  }
  const bt = BTIME.exec(readText(io, `${root}/stat`) ?? '');
  if (bt) return BigInt(bt[1]!) * NS_PER_S;
  return nowNs - BigInt(Math.round(uptime() * 1000)) * 1_000_000n;
}
