/**
 * Types shared by the procfs readers: options, issues, per-task readings and scan statistics.
 *
 * @module
 */
import type { Stats, BigIntStats } from 'node:fs';
import type { ProcfsTaskRecord } from '../tree/records.js';
import type { Nanos } from '../streams/types.js';

/** Why one task could not be read, or what was missing from it. */
export type ProcfsIssueKind =
  /** The task (or its parent) disappeared while being read (ENOENT, ESRCH): normal, races are expected. */
  | 'vanished'
  /** A file could not be read for lack of permission (EACCES, EPERM), e.g. another user's `exe`. */
  | 'permission-denied'
  /** A file was read but did not have the expected shape (or its ids disagree with its directory). */
  | 'malformed'
  /** Any other I/O error. */
  | 'io';

/** A problem met while reading one task. Never fatal: the scan goes on. */
export interface ProcfsIssue {
  readonly kind: ProcfsIssueKind;
  /** The process (directory under the root) being read. */
  readonly pid: number;
  /** The thread, when a thread directory was being read. */
  readonly tid: number | undefined;
  /** The file that failed. */
  readonly path: string;
  /** What happened, in words a person can act on. */
  readonly message: string;
}

/**
 * The small slice of `node:fs` the readers use, so tests can inject failures (EACCES as root,
 * ESRCH) without a real kernel. Every method is synchronous and throws Node-style errors with a `code`.
 */
export interface ProcfsIo {
  readFile(path: string): string;
  readlink(path: string): string;
  /** Follows symlinks (the `exe` link reaches its target even in another mount namespace). */
  stat(path: string): BigIntStats | Stats;
  readdir(path: string): string[];
}

/** Options shared by {@link readProcfsTask}, `scanProcfs` and `createProcfsFiller`. */
export interface ProcfsReadOptions {
  /**
   * Epoch ns of the boot (CLOCK_BOOTTIME origin). Events carry it exactly (spec README §3);
   * by default it is estimated once from `<root>/uptime` (±10 ms), see `estimateBootEpochNs`.
   * Only `startTime` depends on it: entity ids use ns since boot and are exact either way.
   */
  readonly bootEpochNs?: Nanos;
  /** `sysconf(_SC_CLK_TCK)`, the unit of `starttime` in `stat`. 100 unless configured. */
  readonly clockTicks?: number;
  /** Clock for the records' `time` (epoch ns). Default: `Date.now()` in ns. */
  readonly now?: () => Nanos;
  /** Told about every problem (vanished task, permission denied, malformed file). */
  readonly onIssue?: (issue: ProcfsIssue) => void;
  /** File access; `node:fs` by default. For tests. */
  readonly io?: ProcfsIo;
}

/** One task as read, with what the record alone cannot say. */
export interface ProcfsTaskReading {
  readonly record: ProcfsTaskRecord;
  /** The kernel marks it as a kernel thread (`PF_KTHREAD` in `stat` flags): no exe, no argv. */
  readonly kernelThread: boolean;
  /** Non-fatal problems (e.g. `exe` permission denied, parent vanished). */
  readonly issues: readonly ProcfsIssue[];
}

/** Counts of a procfs scan. */
export interface ProcfsScanStats {
  /** Records emitted (processes + threads). */
  readonly tasks: number;
  /** Records of thread-group leaders. */
  readonly processes: number;
  /** Records of non-leader threads. */
  readonly threads: number;
  /** Tasks listed but gone before they could be read. */
  readonly vanished: number;
  /** Permission errors (the task is still emitted when only `exe`/`cmdline` was denied). */
  readonly permissionDenied: number;
  /** Emitted records of kernel threads. */
  readonly kernelThreads: number;
  /** Emitted records in state `Z`. */
  readonly zombies: number;
  /** Tasks skipped for malformed files or other I/O errors. */
  readonly errors: number;
}
