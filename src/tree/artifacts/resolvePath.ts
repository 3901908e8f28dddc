/**
 * A relative path made absolute against a working directory, lexically.
 *
 * @module
 */

/**
 * `path` resolved against the absolute directory `cwd`: `.` and empty segments dropped, `..`
 * taking one segment off (never above `/`). Lexical, as `path.posix.resolve` is: a `..` after a
 * symbolic link is not what the kernel would resolve (events do not say where links point). An
 * absolute `path` is only normalised.
 *
 * @example
 * ```ts
 * resolvePath('/tmp/build', './x'); // '/tmp/build/x'
 * resolvePath('/tmp/build', '../bin//y'); // '/tmp/bin/y'
 * ```
 */
export function resolvePath(cwd: string, path: string): string {
  const out: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
