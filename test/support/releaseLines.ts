/**
 * One small activity written as each Tracee release prints it (checked against Tracee's code at
 * the tags; docs/design.md, "Tracee releases"): top-level keys in Go struct order, each
 * release's lifecycle event ids, argument names, types, order, filling of unsent arguments, time
 * bases, exit-code meaning and entity-id rule; and the signal lines (spec/README.md decision 7)
 * in each release's layouts (§1.5).
 *
 * The activity: `bash` (pid 1000, child of pid 1, which started before the capture) forks 1001,
 * which execs `/usr/bin/ls -la` (a dynamic ELF), opens a file and exits with status 2; bash
 * forks 1002, which is killed by SIGKILL; then bash exits with status 0.
 *
 * Lines are built as text (numbers written digit for digit, never through a double), so the
 * fixtures hold what Tracee prints: epoch ns above 2^53 included.
 */
import { HEAD_BUCKET_NS, hashTaskId, SEED_BUCKET_NS } from '../../src/streams/entityId.js';

/** The formats with fixtures (names as `TRACEE_FORMATS`). v0.10 is left out (see README). */
export const RELEASE_FORMATS = ['v0.11', 'v0.13', 'v0.15', 'v0.18', 'v0.20', 'v0.22.0', 'v0.22.3', 'v0.22.6', 'v0.23', 'v0.24', 'main'] as const;
export type ReleaseFormat = (typeof RELEASE_FORMATS)[number];

/** Formats that have signal lines (v0.18 on; main's are the v0.24 layouts). */
export const hasSignals = (f: ReleaseFormat): boolean => !['v0.11', 'v0.13', 'v0.15'].includes(f);
/** Formats that print entity ids. */
const hasIds = (f: ReleaseFormat): boolean => !['v0.11', 'v0.13', 'v0.15'].includes(f);

/** Boot time of the machine, epoch ns (not a round number: boot-relative rules must really be boot-relative). */
export const BOOT = 1_764_230_000_123_456_789n;
/** Signals reach the control plane this long after the hook ran. */
const SIGNAL_DELAY = 2_000n;

interface Task {
  readonly pid: number;
  readonly ppid: number;
  /** since boot */
  readonly start: bigint;
  comm: string;
  exe: string;
}

const INIT: Task = { pid: 1, ppid: 0, start: 50_000_000n, comm: 'systemd', exe: '/sbin/init' };
const BASH: Task = { pid: 1000, ppid: 1, start: 5_000_000_123n, comm: 'bash', exe: '/usr/bin/bash' };

type Step =
  | { readonly kind: 'fork'; readonly at: bigint; readonly parent: Task; readonly child: Task }
  | { readonly kind: 'exec'; readonly at: bigint; readonly task: Task; readonly path: string; readonly argv: readonly string[] }
  | { readonly kind: 'openat'; readonly at: bigint; readonly task: Task; readonly path: string }
  | { readonly kind: 'exit'; readonly at: bigint; readonly task: Task; readonly status: number; readonly signal: number };

/** The activity, times since boot. */
function activity(): Step[] {
  const bash = { ...BASH };
  const ls = { pid: 1001, ppid: 1000, start: 10_000_000_456n - 1_000n, comm: 'bash', exe: '/usr/bin/bash' };
  const victim = { pid: 1002, ppid: 1000, start: 10_200_000_789n - 1_000n, comm: 'bash', exe: '/usr/bin/bash' };
  return [
    { kind: 'openat', at: 9_000_000_000n, task: bash, path: '/etc/profile' },
    { kind: 'fork', at: 10_000_000_456n, parent: bash, child: ls },
    { kind: 'exec', at: 10_050_000_000n, task: ls, path: '/usr/bin/ls', argv: ['ls', '-la'] },
    { kind: 'openat', at: 10_060_000_000n, task: ls, path: '/etc/ld.so.cache' },
    { kind: 'exit', at: 10_070_000_000n, task: ls, status: 2, signal: 0 },
    { kind: 'fork', at: 10_200_000_789n, parent: bash, child: victim },
    { kind: 'exit', at: 10_300_000_000n, task: victim, status: 0, signal: 9 },
    { kind: 'exit', at: 10_400_000_000n, task: bash, status: 0, signal: 0 },
  ];
}

// ---- JSON text ----------------------------------------------------------------------------

type Json = string; // a JSON value's text
const q = (s: string): Json => JSON.stringify(s);
const n = (v: number | bigint): Json => String(v);
const obj = (entries: readonly (readonly [string, Json])[]): Json => `{${entries.map(([k, v]) => `${q(k)}:${v}`).join(',')}}`;
const arr = (items: readonly Json[]): Json => `[${items.join(',')}]`;
const strArr = (xs: readonly string[]): Json => arr(xs.map(q));

// ---- per-release facts ---------------------------------------------------------------------

const forkIdOf = (f: ReleaseFormat): number => (['v0.11', 'v0.13', 'v0.15', 'v0.18'].includes(f) ? 712 : f === 'v0.20' ? 713 : 714);

/** The release's entity id of a task (0 before v0.18). */
function entityId(f: ReleaseFormat, pid: number, sinceBoot: bigint): number {
  if (!hasIds(f)) return 0;
  if (['v0.18', 'v0.20', 'v0.22.0', 'v0.22.3'].includes(f)) return hashTaskId(pid, sinceBoot, SEED_BUCKET_NS);
  if (f === 'v0.22.6' || f === 'v0.23') return hashTaskId(pid, BOOT + sinceBoot, SEED_BUCKET_NS);
  return hashTaskId(pid, BOOT + sinceBoot, HEAD_BUCKET_NS);
}

/** Signal hashes: computed in eBPF from boot-relative start up to v0.22.x (§1.5). */
const signalHash = (pid: number, sinceBoot: bigint): number => hashTaskId(pid, sinceBoot, SEED_BUCKET_NS);

const goTypes = (f: ReleaseFormat): boolean => f === 'v0.24' || f === 'main';

/** RFC3339Nano as Go prints it (trailing zeros trimmed), in a zone `offsetMin` from UTC. */
export function rfc3339(epochNs: bigint, offsetMin = 0): string {
  const local = epochNs + BigInt(offsetMin) * 60_000_000_000n;
  const ms = Number(local / 1_000_000n);
  const d = new Date(ms);
  const pad = (x: number, w = 2): string => String(x).padStart(w, '0');
  const frac = String(local % 1_000_000_000n).padStart(9, '0').replace(/0+$/, '');
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac === '' ? '' : `.${frac}`}${zone}`;
}

/** v0.24 prints time.Time in the host's zone: this capture's host is at UTC−3. */
const V024_OFFSET_MIN = -180;

// ---- args ----------------------------------------------------------------------------------

interface Arg {
  readonly name: string;
  readonly type: string;
  readonly value: Json;
}
const a = (name: string, type: string, value: Json): Arg => ({ name, type, value });
const argsJson = (args: readonly Arg[]): Json => arr(args.map((x) => obj([['name', q(x.name)], ['type', q(x.type)], ['value', x.value]])));

/** Tracee's Go-map order of v0.18–v0.21's 10 printed fork args: a fixed shuffle. */
const SHUFFLE = [6, 0, 9, 3, 5, 1, 8, 2, 7, 4];

function forkArgs(f: ReleaseFormat, s: Extract<Step, { kind: 'fork' }>, signal: boolean): Arg[] {
  const go = goTypes(f);
  const int = go ? 'int32' : 'int';
  const timeType = go && !signal ? 'time.Time' : go ? 'uint64' : 'unsigned long';
  const p = s.parent;
  const c = s.child;
  // the printed value of a time (since boot `t`) on this release, for a printed event
  const eventTime = (t: bigint, which: 'child' | 'parent' | 'extra'): Json => {
    if (signal) return n(t);
    if (f === 'v0.24') return q(rfc3339(BOOT + t, V024_OFFSET_MIN));
    if (f === 'main') return q(String(BOOT + t));
    if (f === 'v0.23') return n(t); // default flags: no normalizeTimeArg
    if (f === 'v0.22.6') return n(BOOT + t);
    return which === 'child' ? n(BOOT + t) : n(t);
  };
  const nine = [
    a('parent_tid', int, n(p.pid)),
    a('parent_ns_tid', int, n(p.pid)),
    a('parent_pid', int, n(p.pid)),
    a('parent_ns_pid', int, n(p.pid)),
  ];
  const child = [
    a('child_tid', int, n(c.pid)),
    a('child_ns_tid', int, n(c.pid)),
    a('child_pid', int, n(c.pid)),
    a('child_ns_pid', int, n(c.pid)),
    a('start_time', timeType, eventTime(c.start, 'child')),
  ];
  if (['v0.11', 'v0.13', 'v0.15'].includes(f)) return [...nine, ...child];
  const parentStart = a('parent_start_time', timeType, eventTime(p.start, 'parent'));
  const upPrefix = f === 'v0.18' || f === 'v0.20' ? 'up_parent_' : 'parent_process_';
  // the 10 extras: the real parent process (bash itself: the child is a new process) and the child's leader
  const extras = (sent: boolean): Arg[] => {
    const unsentInt: Json = f === 'v0.22.0' ? 'null' : '0';
    const unsentTime: Json = f === 'v0.22.0' ? 'null' : f === 'v0.22.6' ? n(BOOT) : go ? q('1970-01-01T00:00:00Z') : '0';
    const task = (prefix: string, t: Task): Arg[] => [
      a(`${prefix}tid`, int, sent ? n(t.pid) : unsentInt),
      a(`${prefix}ns_tid`, int, sent ? n(t.pid) : unsentInt),
      a(`${prefix}pid`, int, sent ? n(t.pid) : unsentInt),
      a(`${prefix}ns_pid`, int, sent ? n(t.pid) : unsentInt),
      a(`${prefix}start_time`, timeType, sent ? eventTime(t.start, 'extra') : unsentTime),
    ];
    return [...task(upPrefix, p), ...task('leader_', c)];
  };
  if (signal) return [a('timestamp', go ? 'uint64' : 'u64', n(s.at + SIGNAL_DELAY)), ...nine, parentStart, ...child, ...extras(true)];
  if (f === 'v0.18' || f === 'v0.20') {
    const ten = [...nine, parentStart, ...child];
    return SHUFFLE.map((i) => ten[i]!);
  }
  // v0.22+: 20 in definition order; the extras are sent only with --proctree source=events|both (main: on by default)
  return [...nine, parentStart, ...child, ...extras(f === 'main')];
}

const ELF = { dev: 66306, inode: 1835021, ctime: 1_710_000_000_111_222_333n, mode: 33261 };
const LDSO = { path: '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', dev: 66306, inode: 1835333, ctime: 1_710_000_000_444_555_666n };

function execArgs(f: ReleaseFormat, s: Extract<Step, { kind: 'exec' }>, signal: boolean): Arg[] {
  const go = goTypes(f);
  const str = go ? 'string' : 'const char*';
  const u64 = go ? 'uint64' : 'unsigned long';
  const dev = go ? 'uint32' : 'dev_t';
  const mode = go ? 'uint16' : 'umode_t';
  const from23 = ['v0.23', 'v0.24', 'main'].includes(f);
  const body = [
    a('cmdpath', str, q(s.path)),
    a('pathname', str, q(s.path)),
    a('dev', dev, n(ELF.dev)),
    a('inode', u64, n(ELF.inode)),
    a('ctime', u64, n(ELF.ctime)),
    a('inode_mode', mode, n(ELF.mode)),
    a('interpreter_pathname', str, q(LDSO.path)),
    a('interpreter_dev', dev, n(LDSO.dev)),
    a('interpreter_inode', u64, n(LDSO.inode)),
    a('interpreter_ctime', u64, n(LDSO.ctime)),
    a('argv', go ? '[]string' : 'const char**', strArr(s.argv)),
    a('interp', str, q(s.path)),
    // parse-arguments is forced up to v0.22.x (a string); from v0.23 the raw mode; signals: always the raw mode
    signal || from23 ? a('stdin_type', mode, n(8192)) : a('stdin_type', 'string', q('S_IFCHR')),
    a('stdin_path', go ? 'string' : 'char*', q('/dev/pts/0')),
    from23 ? a('invoked_from_kernel', 'bool', 'false') : a('invoked_from_kernel', 'int', '0'),
  ];
  const t = s.task;
  if (signal) {
    const head =
      from23
        ? [
            a('timestamp', go ? 'uint64' : 'u64', n(s.at + SIGNAL_DELAY)),
            a('task_start_time', go ? 'uint64' : 'u64', n(t.start)),
            a('parent_start_time', go ? 'uint64' : 'u64', n(BASH.start)),
            a('leader_start_time', go ? 'uint64' : 'u64', n(t.start)),
            a('task_pid', go ? 'int32' : 'int', n(t.pid)),
            a('parent_pid', go ? 'int32' : 'int', n(BASH.pid)),
            a('leader_pid', go ? 'int32' : 'int', n(t.pid)),
          ]
        : [
            a('timestamp', 'u64', n(s.at + SIGNAL_DELAY)),
            a('task_hash', 'u32', n(signalHash(t.pid, t.start))),
            a('parent_hash', 'u32', n(signalHash(BASH.pid, BASH.start))),
            a('leader_hash', 'u32', n(signalHash(t.pid, t.start))),
          ];
    return [...head, ...body];
  }
  const from22 = !['v0.11', 'v0.13', 'v0.15', 'v0.18', 'v0.20'].includes(f);
  const prevComm = from22 ? [a('prev_comm', str, q('bash'))] : [];
  const env = a('env', go ? '[]string' : 'const char**', f === 'v0.22.0' || !from22 ? 'null' : '[]');
  const pwd = go ? [a('pwd', 'string', q('/home/user'))] : [];
  return [...body, ...prevComm, env, ...pwd];
}

function exitArgs(f: ReleaseFormat, s: Extract<Step, { kind: 'exit' }>, signal: boolean): Arg[] {
  const go = goTypes(f);
  const from23 = ['v0.23', 'v0.24', 'main'].includes(f);
  const code = from23
    ? [a('exit_code', go ? 'int32' : 'int', n(s.status)), a('signal_code', go ? 'int32' : 'int', n(s.signal))]
    : [a('exit_code', 'long', n((s.status << 8) | s.signal))];
  const group = a('process_group_exit', 'bool', 'true');
  const t = s.task;
  if (!signal) return [...code, group];
  const head = from23
    ? [a('timestamp', go ? 'uint64' : 'u64', n(s.at + SIGNAL_DELAY)), a('task_start_time', go ? 'uint64' : 'u64', n(t.start)), a('task_pid', go ? 'int32' : 'int', n(t.pid))]
    : [
        a('timestamp', 'u64', n(s.at + SIGNAL_DELAY)),
        a('task_hash', 'u32', n(signalHash(t.pid, t.start))),
        a('parent_hash', 'u32', n(signalHash(t.ppid, t.ppid === 1000 ? BASH.start : INIT.start))),
        a('leader_hash', 'u32', n(signalHash(t.pid, t.start))),
      ];
  return [...head, ...code, group];
}

// ---- envelopes -----------------------------------------------------------------------------

interface Ctx {
  readonly task: Task | undefined;
  readonly at: bigint;
  readonly eventId: number;
  readonly eventName: string;
  readonly syscall: string;
  readonly args: readonly Arg[];
  readonly returnValue?: number;
  /** What the kernel sent (never trusted by readers); default: the args printed. */
  readonly argsNum?: number;
}

const parentOf = (t: Task): Task => (t.ppid === 1000 ? BASH : INIT);

/** A flat (pre-main) line with the release's top-level keys in their order. */
function flatLine(f: ReleaseFormat, c: Ctx): string {
  const t = c.task;
  const z = (v: number | bigint): Json => (t === undefined ? '0' : n(v));
  const entries: [string, Json][] = [
    ['timestamp', n(BOOT + c.at)],
    ['threadStartTime', t === undefined ? '0' : n(BOOT + t.start)],
    ['processorId', t === undefined ? '0' : '1'],
    ['processId', z(t?.pid ?? 0)],
    ['cgroupId', z(t === undefined ? 0 : 5917)],
    ['threadId', z(t?.pid ?? 0)],
    ['parentProcessId', z(t?.ppid ?? 0)],
    ['hostProcessId', z(t?.pid ?? 0)],
    ['hostThreadId', z(t?.pid ?? 0)],
    ['hostParentProcessId', z(t?.ppid ?? 0)],
    ['userId', z(t === undefined ? 0 : 1000)],
    ['mountNamespace', z(t === undefined ? 0 : 4026531841)],
    ['pidNamespace', z(t === undefined ? 0 : 4026531836)],
    ['processName', q(t?.comm ?? '')],
  ];
  const fromIds = hasIds(f);
  if (fromIds) entries.push(['executable', obj([['path', q('')]])]);
  entries.push(['hostName', q(t === undefined ? '' : 'host')]);
  if (f === 'v0.11') {
    entries.push(['containerId', q('')], ['containerImage', q('')], ['containerName', q('')], ['podName', q('')], ['podNamespace', q('')], ['podUID', q('')], ['podSandbox', 'false']);
  } else {
    if (f !== 'v0.13') entries.push(['containerId', q('')]);
    entries.push(['container', '{}'], ['kubernetes', '{}']);
  }
  entries.push(['eventId', q(String(c.eventId))], ['eventName', q(c.eventName)]);
  if (f === 'v0.11') entries.push(['matchedScopes', '1']);
  else if (t !== undefined) entries.push(['matchedPolicies', arr([q('')])]);
  entries.push(['argsNum', n(c.argsNum ?? c.args.length)], ['returnValue', n(c.returnValue ?? 0)], ['syscall', q(c.syscall)], ['stackAddresses', 'null']);
  entries.push(['contextFlags', obj([['containerStarted', 'false'], ['isCompat', 'false']])]);
  if (fromIds) {
    const self = t === undefined ? 0 : entityId(f, t.pid, t.start);
    const parent = t === undefined ? 0 : entityId(f, parentOf(t).pid, parentOf(t).start);
    entries.push(['threadEntityId', n(self)], ['processEntityId', n(self)], ['parentEntityId', n(parent)]);
  }
  entries.push(['args', argsJson(c.args)]);
  return obj(entries);
}

/** main's v1beta1 document (api/v1beta1/event_json.go). */
function mainLine(c: Ctx): string {
  const t = c.task!;
  const parent = parentOf(t);
  const proc = obj([
    ['unique_id', n(entityId('main', t.pid, t.start))],
    ['host_pid', n(t.pid)],
    ['pid', n(t.pid)],
    ['real_user', obj([['id', '1000']])],
    [
      'thread',
      obj([
        ['start_time', q(rfc3339(BOOT + t.start))],
        ['name', q(t.comm)],
        ['unique_id', n(entityId('main', t.pid, t.start))],
        ['host_tid', n(t.pid)],
        ['tid', n(t.pid)],
        ['syscall', q(c.syscall)],
      ]),
    ],
    ['ancestors', arr([obj([['unique_id', n(entityId('main', parent.pid, parent.start))], ['host_pid', n(parent.pid)], ['pid', n(parent.pid)]])])],
  ]);
  const withExe = t.exe === '' ? proc : `{"executable":{"path":${q(t.exe)}},${proc.slice(1)}`;
  const kind = (x: Arg): string => {
    switch (x.type) {
      case 'int32':
        return 'int32';
      case 'uint32':
      case 'uint16':
        return 'u_int32';
      case 'uint64':
        return 'u_int64';
      case 'time.Time':
        return 'u_int64';
      case 'bool':
        return 'bool';
      case '[]string':
        return 'str_array';
      default:
        return 'str';
    }
  };
  const value = (x: Arg): Json => {
    const k = kind(x);
    if (k === 'u_int64') return x.value.startsWith('"') ? x.value : q(x.value);
    if (k === 'str_array') return x.value === '[]' ? '{}' : obj([['value', x.value]]);
    return x.value;
  };
  const data = c.args.map((x) => obj([['name', q(x.name)], [kind(x), value(x)]]));
  return obj([
    ['timestamp', q(rfc3339(BOOT + c.at))],
    ['id', n(c.eventId)],
    ['name', q(c.eventName)],
    ['policies', obj([['matched', arr([q('default')])]])],
    ['workload', obj([['process', withExe]])],
    ['data', arr(data)],
  ]);
}

const line = (f: ReleaseFormat, c: Ctx): string => (f === 'main' ? mainLine(c) : flatLine(f, c));

/** A signal line (ours, decision 7): the release's envelope with no task context. */
const signalLine = (f: ReleaseFormat, at: bigint, eventId: number, eventName: string, args: readonly Arg[]): string =>
  flatLine(f === 'main' ? 'v0.24' : f, { task: undefined, at: at + SIGNAL_DELAY, eventId, eventName, syscall: '', args });

/** The activity's event lines in format `f`, in time order. */
export function eventLines(f: ReleaseFormat): string[] {
  const forkId = forkIdOf(f);
  const out: string[] = [];
  for (const s of activity()) {
    switch (s.kind) {
      case 'openat':
        out.push(line(f, { task: s.task, at: s.at, eventId: 257, eventName: 'openat', syscall: 'openat', returnValue: 3, args: [a('dirfd', goTypes(f) ? 'int32' : 'int', '-100'), a('pathname', goTypes(f) ? 'string' : 'const char*', q(s.path)), a('flags', goTypes(f) ? 'int32' : 'int', '0'), a('mode', goTypes(f) ? 'uint16' : 'umode_t', '0')] }));
        break;
      case 'fork':
        // v0.22+ print 20 args but the kernel sent 10 without --proctree (main: the store is on)
        out.push(line(f, { task: s.parent, at: s.at, eventId: forkId, eventName: 'sched_process_fork', syscall: 'clone', args: forkArgs(f, s, false), argsNum: f === 'main' ? 20 : 10 }));
        break;
      case 'exec':
        s.task.comm = s.argv[0]!;
        s.task.exe = s.path;
        // env is not sent (no option:exec-env); pwd is (v0.24)
        out.push(line(f, { task: s.task, at: s.at, eventId: forkId + 1, eventName: 'sched_process_exec', syscall: 'execve', args: execArgs(f, s, false), argsNum: execArgs(f, s, false).length - 1 }));
        break;
      case 'exit':
        // v0.23+: signal_code is sent only when signalled
        out.push(line(f, { task: s.task, at: s.at, eventId: forkId + 2, eventName: 'sched_process_exit', syscall: 'exit_group', args: exitArgs(f, s, false), argsNum: exitArgs(f, s, false).length - (s.signal === 0 && ['v0.23', 'v0.24', 'main'].includes(f) ? 1 : 0) }));
        break;
    }
  }
  return out;
}

/** The activity's signal lines in format `f` (v0.18 on), in time order. */
export function signalLines(f: ReleaseFormat): string[] {
  const out: string[] = [];
  for (const s of activity()) {
    switch (s.kind) {
      case 'fork':
        out.push(signalLine(f, s.at, 5002, 'signal_sched_process_fork', forkArgs(f, s, true)));
        break;
      case 'exec':
        out.push(signalLine(f, s.at, 5003, 'signal_sched_process_exec', execArgs(f, s, true)));
        break;
      case 'exit':
        out.push(signalLine(f, s.at, 5004, 'signal_sched_process_exit', exitArgs(f, s, true)));
        break;
      default:
        break;
    }
  }
  return out;
}

/** Events and signals of `f` in one stream, by time (the signal a little after its event). */
export const bothLines = (f: ReleaseFormat): string[] => {
  const events = eventLines(f);
  const signals = signalLines(f);
  // each lifecycle event is followed by its signal (signals come SIGNAL_DELAY later)
  const out: string[] = [];
  let k = 0;
  for (const e of events) {
    out.push(e);
    if (e.includes('sched_process_')) out.push(signals[k++]!);
  }
  return out;
};
