/**
 * `PRX-001`: a shell started under a web server or database process.
 *
 * @module
 */
import type { ProcessInfo } from '../../tree/queries.js';
import { eventSignature } from '../eventSignature.js';
import { basename, execFacts } from '../internal/execFacts.js';
import type { SignatureMetadata, SignatureOperator } from '../types.js';

/** Shell binaries (basenames). */
export const SHELLS: readonly string[] = ['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'csh', 'tcsh', 'fish', 'busybox'];
/**
 * Server programs: a comm or executable basename matches when it is the name, or the name
 * followed by a non-letter (a version or a suffix: `php-fpm8.2`, `httpd-foreground`), so
 * `mysqldump`, `mongodump` or `node_exporter` are not servers.
 */
export const SERVERS: readonly string[] = [
  'nginx', 'apache2', 'httpd', 'lighttpd', 'caddy', 'php-fpm', 'php-cgi', 'node', 'nodejs', 'java', 'tomcat', 'uwsgi', 'gunicorn',
  'puma', 'unicorn', 'mysqld', 'mariadbd', 'postgres', 'postmaster', 'redis-server', 'mongod', 'memcached', 'elasticsearch',
];

/** Options of {@link shellUnderServer}. */
export interface ShellUnderServerOptions {
  readonly shells?: readonly string[];
  readonly servers?: readonly string[];
}

const METADATA: SignatureMetadata = {
  id: 'PRX-001',
  name: 'Shell spawned under a server process',
  version: '1',
  description: 'A shell was executed by a process whose ancestors include a web server or a database: a sign of a web shell or of command injection.',
  tags: ['linux', 'container', 'proctree'],
  properties: {
    Severity: 3,
    Category: 'persistence',
    Technique: 'Web Shell',
    external_id: 'T1505.003',
    'MITRE ATT&CK': 'Persistence: Server Software Component: Web Shell',
  },
};

/** `name` is `server`, or `server` then a non-letter (`php-fpm8.2`; not `mysqldump` for `mysqld`). */
const namesServer = (name: string, server: string): boolean => name.startsWith(server) && !/^[A-Za-z_]/.test(name.slice(server.length));

const isServer = (p: ProcessInfo, servers: readonly string[]): string | undefined => {
  const names = [p.name, basename(p.executionBinary.path)];
  for (const n of names) for (const s of servers) if (namesServer(n, s)) return s;
  return undefined;
};

/**
 * Fires on `sched_process_exec` of a shell (by the file run, the interpreter, or argv[0]) when a
 * spawn ancestor (up to 5 levels, read at each child's start as Tracee does) is a web server or
 * database. `Data`: `shell`, `server` (`pid`, `name`, `exe`), `depth` (1 = direct parent).
 *
 * Why: servers rarely need a shell; an interactive or `sh -c` child of nginx, php-fpm, a JVM or
 * postgres is the classic outcome of a web shell, an RCE or an SQL `COPY … PROGRAM`.
 *
 * False positives: CGI setups, `node`/`java` apps that shell out by design (build tools,
 * `child_process.exec`), database maintenance scripts (`archive_command` in postgres). Narrow
 * `servers` to what you run, or filter findings by `Data.server.exe`.
 *
 * MITRE ATT&CK: T1505.003 (Web Shell); also T1059.004 (Unix Shell).
 *
 * @example
 * ```ts
 * import { runSignatures, shellUnderServer } from 'proctree-rx';
 * enriched$.pipe(runSignatures([shellUnderServer({ servers: ['nginx', 'php-fpm'] })]));
 * ```
 */
export function shellUnderServer(options: ShellUnderServerOptions = {}): SignatureOperator {
  const shells = new Set(options.shells ?? SHELLS);
  const servers = options.servers ?? SERVERS;
  return eventSignature(METADATA, ['sched_process_exec'], (e, env) => {
    const x = execFacts(e);
    if (x === undefined) return undefined;
    for (const problem of x.problems) env.warn(e, problem);
    const shell = [basename(x.pathname), basename(x.interp), basename(x.argv[0] ?? '')].find((n) => shells.has(n));
    if (shell === undefined) return undefined;
    const ancestors = e.context.ancestors;
    for (let i = 0; i < ancestors.length; i++) {
      const a = ancestors[i]!;
      const server = isServer(a, servers);
      if (server !== undefined) return { shell, server: { pid: a.pid, name: a.name, exe: a.executionBinary.path, matched: server }, depth: i + 1 };
    }
    return undefined;
  });
}
