/**
 * {@link InputError}: the one error type for an input that cannot be read (or an output file
 * that cannot be created), and {@link inputErrorOf}, the one mapping from a system error to its
 * words.
 *
 * @module
 */

/** Plain words for the system error codes an input or output path meets. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
};

/**
 * An input that cannot be read, whatever the entry point (`fromNdjson`, `pipeline`, the CLI):
 * `message` is `cannot read PATH: REASON` and `code` the system error code (`ENOENT`, …) when
 * there is one.
 *
 * @example
 * ```ts
 * import { fromNdjson, InputError } from 'proctree-rx';
 * fromNdjson('missing.ndjson').subscribe({
 *   error: (err: unknown) => console.error(err instanceof InputError ? err.message : err),
 * });
 * ```
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** The words for a system error code (`ENOENT` → `no such file`), or `undefined` for one without. */
export const reasonOfCode = (code: string | undefined): string | undefined => (code === undefined ? undefined : REASONS[code]);

/**
 * The {@link InputError} for `err` met while reading `path` (`cannot read PATH: no such file`), or
 * writing it with `action: 'write'` (`cannot write PATH: …`). An `InputError` is returned as is.
 *
 * @example
 * ```ts
 * import { inputErrorOf } from './InputError.js';
 * inputErrorOf('x.ndjson', Object.assign(new Error('ENOENT'), { code: 'ENOENT' })).message; // 'cannot read x.ndjson: no such file'
 * ```
 */
export function inputErrorOf(path: string, err: unknown, action: 'read' | 'write' = 'read', what = path): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = reasonOfCode(code) ?? (err instanceof Error ? err.message : String(err));
  return new InputError(`cannot ${action} ${what}: ${reason}`, code);
}
