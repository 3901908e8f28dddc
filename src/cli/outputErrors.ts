/**
 * Errors of writing the output: which are quiet (the reader left) and how the others read.
 *
 * @module
 */

/** Codes that mean the reader of the output went away (`| head`): not an error, exit 0. */
const READER_GONE: ReadonlySet<string> = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/** Plain words for the write errors a command line meets. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EBADF: 'bad file descriptor',
  EAGAIN: 'resource temporarily unavailable',
};

const codeOf = (err: unknown): string | undefined => {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * True when a write error means the reader of the output went away (EPIPE, ECONNRESET, a
 * destroyed stream): the run ends quietly with exit 0.
 */
export function isReaderGone(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && READER_GONE.has(code);
}

/**
 * One line (without `proctree-rx: ` and newline) for a failed write of `what` (`output`,
 * `--issues FILE`): `cannot write output: no space left on device (ENOSPC)`.
 *
 * @example
 * ```ts
 * import { describeWriteError } from './outputErrors.js';
 * describeWriteError({ code: 'ENOSPC', message: 'ENOSPC: no space left on device, write' }, 'output');
 * // 'cannot write output: no space left on device (ENOSPC)'
 * ```
 */
export function describeWriteError(err: unknown, what: string): string {
  const code = codeOf(err);
  const reason = code !== undefined ? (REASONS[code] ?? (err instanceof Error ? err.message : code)) : err instanceof Error ? err.message : String(err);
  return `cannot write ${what}: ${reason}${code !== undefined && !reason.includes(code) ? ` (${code})` : ''}`;
}

/** True when `err` is a system error of a write (its syscall is `write` or `writev`), other than the reader leaving. */
export function isWriteError(err: unknown): boolean {
  const syscall = (err as NodeJS.ErrnoException | undefined)?.syscall;
  return (syscall === 'write' || syscall === 'writev') && !isReaderGone(err);
}
