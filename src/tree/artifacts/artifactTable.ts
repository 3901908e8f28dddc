/**
 * Which Tracee events feed which artifact, and from which arguments: the one table of the
 * artifacts module. Events are matched by `eventName` (never by id: ids move between releases),
 * arguments by name, the first name present winning (names differ by release and between a
 * syscall and its LSM hook). An event not in the table only counts in the per-syscall counts.
 *
 * @module
 */

/** What a process did to a file path. `write` = opened for writing or creating (or `magic_write`, `creat`). */
export type FileOp = 'open' | 'write' | 'unlink' | 'rename-from' | 'rename-to' | 'chmod' | 'chown' | 'memfd';

/** What a process did with a socket address. */
export type NetOp = 'connect' | 'bind' | 'accept' | 'listen';

/** The groups of timed event artifacts (kept as a short list each, not aggregated). */
export type EventGroup = 'modules' | 'credentials' | 'ptrace';

/** How one event feeds the artifacts. */
export type ArtifactRule =
  | {
      readonly kind: 'file';
      readonly op: FileOp;
      /** Argument names of the path, first present wins. */
      readonly path: readonly string[];
      /** Argument names of the open flags (a number, Tracee's `O_…|O_…` text, or an `open_how` object); an open with write flags is a `write`. */
      readonly flags?: readonly string[];
      /** For renames: the argument names of the new path (recorded as `rename-to`). */
      readonly to?: readonly string[];
      /**
       * What a relative path is relative to: `'cwd'` (a syscall without a directory fd: `open`,
       * `creat`, `rename`, …), or the argument names of the directory fd (the `*at` syscalls:
       * resolved when it is `AT_FDCWD`, -100). Absent: paths are taken as printed (LSM hooks and
       * `magic_write` print absolute paths). See `ArtifactStore` for the working directory.
       */
      readonly base?: 'cwd' | readonly string[];
      /** The same for the new path of a rename. */
      readonly toBase?: 'cwd' | readonly string[];
    }
  | {
      /** A change of working directory (`chdir`: its path; `fchdir`: none known, so unknown after it). */
      readonly kind: 'cwd';
      readonly path: readonly string[];
    }
  | {
      readonly kind: 'net';
      readonly op: NetOp;
      /** Argument names of the `sockaddr` (Tracee's map: `sa_family`, `sin_addr`/`sin6_addr`/`sun_path`, `sin_port`/`sin6_port`). */
      readonly addr: readonly string[];
    }
  | {
      readonly kind: 'dns';
      /** Argument names holding the DNS message (`proto_dns`: `questions[].name`) or the question list (`dns_questions[].query`). */
      readonly message: readonly string[];
    }
  | {
      readonly kind: 'exec';
      /** Argument names of the executed path. */
      readonly path: readonly string[];
    }
  | {
      readonly kind: 'event';
      readonly group: EventGroup;
      /** Arguments kept as the event's detail (strings cut to 256 characters, objects as JSON text). */
      readonly detail: readonly string[];
    };

const PATH = ['pathname', 'syscall_pathname'];
const DIRFD = ['dirfd'];
const OPEN = (flags: readonly string[], base?: 'cwd' | readonly string[]): ArtifactRule => ({ kind: 'file', op: 'open', path: PATH, flags, ...(base !== undefined ? { base } : {}) });
const FILE = (op: FileOp, path: readonly string[] = PATH, base?: 'cwd' | readonly string[]): ArtifactRule => ({ kind: 'file', op, path, ...(base !== undefined ? { base } : {}) });
const NET = (op: NetOp, addr: readonly string[]): ArtifactRule => ({ kind: 'net', op, addr });
const EVENT = (group: EventGroup, detail: readonly string[]): ArtifactRule => ({ kind: 'event', group, detail });

/**
 * Event name → rule. Names and arguments as Tracee prints them from v0.10 to main (syscall
 * events carry the syscall's own parameter names; LSM hooks their own).
 */
export const ARTIFACT_TABLE: ReadonlyMap<string, ArtifactRule> = new Map<string, ArtifactRule>([
  // files
  ['open', OPEN(['flags'], 'cwd')],
  ['openat', OPEN(['flags'], DIRFD)],
  ['openat2', OPEN(['how', 'flags'], DIRFD)],
  ['security_file_open', OPEN(['flags'])],
  ['creat', FILE('write', PATH, 'cwd')],
  ['magic_write', FILE('write')],
  ['unlink', FILE('unlink', PATH, 'cwd')],
  ['unlinkat', FILE('unlink', PATH, DIRFD)],
  ['security_inode_unlink', FILE('unlink')],
  ['rename', { kind: 'file', op: 'rename-from', path: ['oldpath'], to: ['newpath'], base: 'cwd', toBase: 'cwd' }],
  ['renameat', { kind: 'file', op: 'rename-from', path: ['oldpath'], to: ['newpath'], base: ['olddirfd'], toBase: ['newdirfd'] }],
  ['renameat2', { kind: 'file', op: 'rename-from', path: ['oldpath'], to: ['newpath'], base: ['olddirfd'], toBase: ['newdirfd'] }],
  ['security_inode_rename', { kind: 'file', op: 'rename-from', path: ['old_path'], to: ['new_path'] }],
  ['chmod', FILE('chmod', PATH, 'cwd')],
  ['fchmodat', FILE('chmod', PATH, DIRFD)],
  ['chown', FILE('chown', PATH, 'cwd')],
  ['lchown', FILE('chown', PATH, 'cwd')],
  ['fchownat', FILE('chown', PATH, DIRFD)],
  // working directory (to resolve relative paths)
  ['chdir', { kind: 'cwd', path: ['path', 'filename'] }],
  ['fchdir', { kind: 'cwd', path: [] }],
  ['memfd_create', FILE('memfd', ['name', 'uname'])],
  // network
  ['connect', NET('connect', ['addr'])],
  ['security_socket_connect', NET('connect', ['remote_addr', 'addr'])],
  ['bind', NET('bind', ['addr'])],
  ['security_socket_bind', NET('bind', ['local_addr', 'addr'])],
  ['accept', NET('accept', ['addr'])],
  ['accept4', NET('accept', ['addr'])],
  ['security_socket_accept', NET('accept', ['local_addr', 'addr'])],
  ['listen', NET('listen', [])],
  ['security_socket_listen', NET('listen', ['local_addr'])],
  ['net_packet_dns', { kind: 'dns', message: ['proto_dns'] }],
  ['net_packet_dns_request', { kind: 'dns', message: ['dns_questions', 'proto_dns'] }],
  // executions (the tree keeps the exec history; the artifact adds who wrote the binary)
  ['sched_process_exec', { kind: 'exec', path: ['pathname', 'cmdpath'] }],
  // kernel modules
  ['init_module', EVENT('modules', ['param_values'])],
  ['finit_module', EVENT('modules', ['fd', 'param_values'])],
  ['delete_module', EVENT('modules', ['name'])],
  ['security_kernel_read_file', EVENT('modules', ['pathname', 'type'])],
  ['security_kernel_post_read_file', EVENT('modules', ['pathname', 'type'])],
  ['module_load', EVENT('modules', ['name', 'version'])],
  ['do_init_module', EVENT('modules', ['name', 'version'])],
  ['module_free', EVENT('modules', ['name', 'version'])],
  // capability and credential changes
  ['setuid', EVENT('credentials', ['uid'])],
  ['setgid', EVENT('credentials', ['gid'])],
  ['setreuid', EVENT('credentials', ['ruid', 'euid'])],
  ['setregid', EVENT('credentials', ['rgid', 'egid'])],
  ['setresuid', EVENT('credentials', ['ruid', 'euid', 'suid'])],
  ['setresgid', EVENT('credentials', ['rgid', 'egid', 'sgid'])],
  ['setfsuid', EVENT('credentials', ['fsuid'])],
  ['setfsgid', EVENT('credentials', ['fsgid'])],
  ['capset', EVENT('credentials', ['hdrp', 'datap'])],
  ['commit_creds', EVENT('credentials', ['old_cred', 'new_cred'])],
  // ptrace
  ['ptrace', EVENT('ptrace', ['request', 'pid'])],
  ['process_vm_writev', EVENT('ptrace', ['pid'])],
]);
