/**
 * The `--issues FILE` sink: every reported input problem as one NDJSON line, no cap.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { InputIssue } from '../streams/types.js';
import { describeWriteError } from './outputErrors.js';

/** Bytes gathered before one write to the file. */
const FLUSH_BYTES = 64 * 1024;

/**
 * One issue as its NDJSON line (no newline): `{"file":…,"line":N,"severity":"error"|"warning","reason":…}`.
 * `line` is 0 when unknown. Strings are JSON-escaped (control characters included).
 *
 * @example
 * ```ts
 * import { issueJson } from './IssueFile.js';
 * issueJson({ origin: { source: 'cap.ndjson', line: 7 }, reason: 'invalid JSON', severity: 'error' });
 * // '{"file":"cap.ndjson","line":7,"severity":"error","reason":"invalid JSON"}'
 * ```
 */
export function issueJson(issue: InputIssue): string {
  return `{"file":${JSON.stringify(issue.origin.source)},"line":${issue.origin.line},"severity":"${issue.severity}","reason":${JSON.stringify(issue.reason)}}`;
}

/**
 * Writes issue lines to a file (created or truncated when opened), gathered into 64 KiB writes
 * made synchronously, so the file is complete whenever {@link IssueFile.close} returns, even
 * when the process exits right after. A failed write (a full disk) is kept in
 * {@link IssueFile.error}; later lines are dropped.
 */
export class IssueFile {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  private failure: string | undefined;
  /** Lines written (or pending). */
  lines = 0;

  /** Opens `path` for writing; throws the system error when it cannot. */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Adds one issue's line. */
  write(issue: InputIssue): void {
    if (this.fd === undefined) return;
    const line = issueJson(issue) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.lines++;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** What went wrong writing the file (`cannot write --issues FILE: …`), if anything. */
  get error(): string | undefined {
    return this.failure;
  }

  /** Writes what is pending. */
  flush(): void {
    if (this.fd === undefined || this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off);
    } catch (err) {
      this.failure = describeWriteError(err, `--issues ${this.path}`);
      this.close();
    }
  }

  /** Flushes and closes the file. Idempotent. */
  close(): void {
    if (this.fd === undefined) return;
    if (this.failure === undefined) this.flush();
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // closing after a failed write: the failure is already kept
    }
  }
}
