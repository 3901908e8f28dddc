/**
 * `PRX-003`: a script run by an interpreter from a user-writable directory.
 *
 * @module
 */
import { eventSignature } from '../eventSignature.js';
import { basename, execFacts, type ExecFacts } from '../internal/execFacts.js';
import type { SignatureMetadata, SignatureOperator } from '../types.js';

/** Directories any user (or the owner of a service account) can write to (prefixes). */
export const WRITABLE_DIRS: readonly string[] = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/shm/', '/run/user/', '/home/', '/root/', '/var/www/'];
/** Interpreter basenames (a trailing version is allowed: `python3.11`, `php8.2`). */
export const INTERPRETERS: readonly string[] = ['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'python', 'perl', 'ruby', 'node', 'php', 'lua', 'tclsh', 'pwsh', 'env', 'busybox'];

/** Options of {@link scriptFromWritableDir}. */
export interface ScriptFromWritableDirOptions {
  readonly dirs?: readonly string[];
  readonly interpreters?: readonly string[];
}

const METADATA: SignatureMetadata = {
  id: 'PRX-003',
  name: 'Script run from a writable directory',
  version: '1',
  description: 'An interpreter ran a script located in a user-writable directory (/tmp, /dev/shm, home directories…).',
  tags: ['linux', 'container', 'interpreter'],
  properties: {
    Severity: 2,
    Category: 'execution',
    Technique: 'Command and Scripting Interpreter',
    external_id: 'T1059',
    'MITRE ATT&CK': 'Execution: Command and Scripting Interpreter',
  },
};

const isInterpreter = (path: string, names: readonly string[]): boolean => {
  const b = basename(path);
  return names.some((n) => b === n || (b.startsWith(n) && /^[\d.]+$/.test(b.slice(n.length))));
};

/** Options that make the next argument inline code, not a script path. */
const INLINE = new Set(['-c', '-e', '-E', '-r', '--eval', '-m']);

/** The script an exec runs, and how it was found. */
function scriptOf(x: ExecFacts, interpreters: readonly string[]): { script: string; via: 'shebang' | 'argv' } | undefined {
  // `#!` script: the kernel ran `interp` for the file asked (`cmdpath`)
  if (x.interp !== '' && x.cmdpath !== '' && x.interp !== x.cmdpath) return { script: x.cmdpath, via: 'shebang' };
  // explicit interpreter: `python3 /tmp/x.py`, `sh /tmp/x.sh` (not `sh -c '…'`)
  if (!isInterpreter(x.pathname, interpreters) && !isInterpreter(x.argv[0] ?? '', interpreters)) return undefined;
  for (const arg of x.argv.slice(1)) {
    if (INLINE.has(arg)) return undefined;
    if (arg.startsWith('-')) continue;
    return { script: arg, via: 'argv' };
  }
  return undefined;
}

/**
 * Fires on `sched_process_exec` where an interpreter runs a script under a writable directory:
 * either a `#!` script (the exec's `interp` differs from its `cmdpath`, the script) or an
 * interpreter invoked with a script path as its first operand (`python3 /tmp/x.py`; inline code
 * after `-c`/`-e` is not a script). Relative paths are not resolved (no cwd in the event).
 * `Data`: `script`, `interpreter` (`interp` or the executable), `via` (`shebang` | `argv`).
 *
 * Why: staged payloads are often scripts fetched into /tmp or /dev/shm and run with the system's
 * interpreters, which PRX-002 (binaries) does not see.
 *
 * False positives: developers running scripts from their home directory, CI jobs in
 * /tmp workspaces, web applications under /var/www. Narrow `dirs` on servers.
 *
 * MITRE ATT&CK: T1059 (Command and Scripting Interpreter).
 *
 * @example
 * ```ts
 * import { scriptFromWritableDir } from 'proctree-rx';
 * const sig = scriptFromWritableDir({ dirs: ['/tmp/', '/dev/shm/'] });
 * ```
 */
export function scriptFromWritableDir(options: ScriptFromWritableDirOptions = {}): SignatureOperator {
  const dirs = options.dirs ?? WRITABLE_DIRS;
  const interpreters = options.interpreters ?? INTERPRETERS;
  return eventSignature(METADATA, ['sched_process_exec'], (e, env) => {
    const x = execFacts(e);
    if (x === undefined) return undefined;
    for (const problem of x.problems) env.warn(e, problem);
    const found = scriptOf(x, interpreters);
    if (found === undefined || !dirs.some((d) => found.script.startsWith(d))) return undefined;
    return { script: found.script, interpreter: found.via === 'shebang' ? x.interp : x.pathname, via: found.via };
  });
}
