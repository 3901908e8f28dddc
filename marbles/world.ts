/**
 * A tiny simulated machine that writes Tracee events for tests: tasks with consistent entity
 * ids, fork/exec/exit/syscall events in Tracee's printed (seed) JSON form and their control-plane
 * signal twins (spec/README.md decision 7). Every envelope is made from a real JSON line through
 * `parseEventLine`, so raw lines and exact `bigint` times exist as they would for real input.
 *
 * Times: `at` is **ns since the world's boot** (the clock Tracee hashes); printed times are
 * `bootEpochNs + at`. Without `at`, each event happens `step` ns after the previous one.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { hashTaskId } from '../src/streams/entityId.js';
import { stringifyExact } from '../src/streams/exactNumbers.js';
import { parseEventLine } from '../src/streams/parseEventLine.js';
import type { EntityId, Envelope, Nanos, TraceeArg } from '../src/streams/types.js';

/** Options of {@link world}. */
export interface WorldOptions {
  /** Boot time, epoch ns (default 1_700_000_000_000_000_000n). */
  readonly bootEpochNs?: Nanos;
  /** Clock at the start, ns since boot (default 1 s). */
  readonly startAt?: Nanos;
  /** Default gap between events without `at`, ns (default 1 ms). */
  readonly step?: Nanos;
  /** `hostName` of every event (default `"marbles"`). */
  readonly hostName?: string;
  /** Origin source name of the envelopes (default `"<marbles>"`). */
  readonly source?: string;
}

/**
 * A task (process leader or thread) of a {@link World}. The world keeps its fields up to date
 * (comm/exe after exec, parent after reparenting, exit); read them, do not assign them.
 */
export interface Task {
  readonly tid: number;
  readonly pid: number;
  readonly nsTid: number;
  readonly nsPid: number;
  /** Start time, ns since boot. */
  readonly startSinceBoot: Nanos;
  /** Tracee's `threadEntityId` of this task: `hashTaskId(tid, startSinceBoot)`. */
  readonly entityId: EntityId;
  /** The thread-group leader (itself for a process). */
  readonly leader: Task;
  readonly isThread: boolean;
  /** The current parent process (of the leader); `undefined` for a root. */
  parent: Task | undefined;
  /** The parent process at spawn. */
  readonly spawnParent: Task | undefined;
  comm: string;
  /** Path of the program the process runs (`executable.path`). */
  exe: string;
  argv: readonly string[];
  uid: number;
  exited: boolean;
}

/** Options of {@link World.process}: a task that already runs when the recording starts. */
export interface ProcessOptions {
  readonly pid: number;
  readonly comm?: string;
  readonly exe?: string;
  readonly argv?: readonly string[];
  /** Its parent process (default: the world's init, pid 1; none for pid 1 itself). */
  readonly parent?: Task;
  /** Start time since boot (default 0n). */
  readonly startSinceBoot?: Nanos;
  readonly nsPid?: number;
  readonly uid?: number;
}

/** Options of {@link World.fork}. */
export interface ForkOptions {
  /** Host pid of a new process (or host tid of a new thread); default: the next free one. */
  readonly pid?: number;
  /** Create a thread of the forker's process instead of a process. */
  readonly thread?: boolean;
  readonly at?: Nanos;
  /** Namespace pid/tid of the child (default: same as host). */
  readonly nsPid?: number;
}

/** Options of {@link World.exec}. */
export interface ExecOptions {
  /** Resolved path of the file run (`pathname`, becomes `executable.path`). */
  readonly path: string;
  /** The filename passed to exec (`cmdpath`, `bprm->filename`); default `path`. A script's path for a script. */
  readonly cmdpath?: string;
  /** `bprm->interp` (the binary really run); default `cmdpath`. Differs for `#!` scripts. */
  readonly interp?: string;
  /** Default `[basename(cmdpath)]`. */
  readonly argv?: readonly string[];
  /** comm after exec; default basename of `cmdpath`, 15 chars. */
  readonly comm?: string;
  /** ELF interpreter path, or `null` for a static binary (default `/lib64/ld-linux-x86-64.so.2`). */
  readonly elfInterpreter?: string | null;
  readonly at?: Nanos;
}

/** Options of {@link World.exit}. */
export interface ExitOptions {
  /** Exit status (`exit(n)`), default 0. */
  readonly status?: number;
  /** Terminating signal, default 0. */
  readonly signal?: number;
  /** `process_group_exit` (default: true for a leader, false for a thread). */
  readonly groupExit?: boolean;
  /** Where the exiting process's children go (default: the world's init). */
  readonly reparentTo?: Task;
  readonly at?: Nanos;
}

/** Options of {@link World.syscall}. */
export interface SyscallOptions {
  /** Arguments: a name → value record (types inferred) or Tracee's `{name,type,value}` list. */
  readonly args?: Readonly<Record<string, unknown>> | readonly TraceeArg[];
  readonly returnValue?: number;
  /** Default: the x86-64 syscall number for a few known names, else `"0"`. */
  readonly eventId?: string;
  readonly at?: Nanos;
}

/** What a fork makes: the event and the new task. */
export interface Spawned {
  readonly event: Envelope;
  readonly child: Task;
}

const SYSCALL_IDS: Readonly<Record<string, string>> = {
  read: '0',
  write: '1',
  ptrace: '101',
  socket: '41',
  connect: '42',
  accept: '43',
  bind: '49',
  execve: '59',
  openat: '257',
  memfd_create: '319',
};

const DEFAULT_ELF_INTERPRETER = '/lib64/ld-linux-x86-64.so.2';
const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
/** A stable fake inode for a path. */
const inodeOf = (path: string): number => {
  let h = 2166136261;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 16777619) >>> 0;
  return (h % 9_000_000) + 1000;
};

const argType = (v: unknown): string => {
  if (typeof v === 'number') return 'int';
  if (typeof v === 'bigint') return 'unsigned long';
  if (typeof v === 'string') return 'const char*';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'const char**';
  if (v !== null && typeof v === 'object') return 'struct sockaddr*';
  return 'unknown';
};

const toArgs = (args: SyscallOptions['args']): TraceeArg[] => {
  if (args === undefined) return [];
  if (Array.isArray(args)) return [...(args as readonly TraceeArg[])];
  return Object.entries(args as Record<string, unknown>).map(([name, value]) => ({ name, type: argType(value), value }));
};

const worldOfTask = new WeakMap<Task, World>();

/** The world a task belongs to (for the free-standing builders of `events.ts`). */
export function worldOf(task: Task): World {
  const w = worldOfTask.get(task);
  if (w === undefined) throw new Error('marbles: this task was not made by a world()');
  return w;
}

/**
 * The simulated machine. Create it with {@link world}.
 * @example
 * ```ts
 * import { world } from 'proctree-rx/marbles';
 * const w = world();
 * const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
 * const { event: forkLs, child: ls } = w.fork(bash, { pid: 101 });
 * const execLs = w.exec(ls, { path: '/usr/bin/ls', argv: ['ls', '-la'] });
 * const exitLs = w.exit(ls);
 * ```
 */
export class World {
  readonly bootEpochNs: Nanos;
  readonly step: Nanos;
  readonly hostName: string;
  readonly source: string;
  /** The clock: ns since boot of the last event built. */
  now: Nanos;
  private seq = 0;
  private nextPid = 1000;
  private initTask: Task | undefined;
  private readonly tasks: Task[] = [];
  private readonly twins = new WeakMap<Envelope, () => Envelope>();

  constructor(options: WorldOptions = {}) {
    this.bootEpochNs = options.bootEpochNs ?? 1_700_000_000_000_000_000n;
    this.now = options.startAt ?? 1_000_000_000n;
    this.step = options.step ?? 1_000_000n;
    this.hostName = options.hostName ?? 'marbles';
    this.source = options.source ?? '<marbles>';
  }

  /** Epoch ns of a time since boot. */
  epoch(sinceBoot: Nanos): Nanos {
    return this.bootEpochNs + sinceBoot;
  }

  /** The world's init (pid 1, `systemd`), created on first use. */
  get init(): Task {
    if (this.initTask === undefined) {
      this.initTask = this.newTask({ pid: 1, tid: 1, nsPid: 1, nsTid: 1, start: 0n, leader: undefined, parent: undefined, comm: 'systemd', exe: '/usr/lib/systemd/systemd', argv: ['/sbin/init'], uid: 0 });
    }
    return this.initTask;
  }

  /** Every task the world knows, in creation order. */
  get allTasks(): readonly Task[] {
    return this.tasks;
  }

  /** A process that runs before the recording starts (its fork is never seen). */
  process(opts: ProcessOptions): Task {
    if (opts.pid === 1 && this.initTask === undefined && opts.parent === undefined) {
      const t = this.newTask({ pid: 1, tid: 1, nsPid: opts.nsPid ?? 1, nsTid: opts.nsPid ?? 1, start: opts.startSinceBoot ?? 0n, leader: undefined, parent: undefined, comm: opts.comm ?? 'systemd', exe: opts.exe ?? '/usr/lib/systemd/systemd', argv: opts.argv ?? ['/sbin/init'], uid: opts.uid ?? 0 });
      this.initTask = t;
      return t;
    }
    const comm = opts.comm ?? (opts.exe !== undefined ? basename(opts.exe) : `proc${opts.pid}`);
    return this.newTask({
      pid: opts.pid,
      tid: opts.pid,
      nsPid: opts.nsPid ?? opts.pid,
      nsTid: opts.nsPid ?? opts.pid,
      start: opts.startSinceBoot ?? 0n,
      leader: undefined,
      parent: opts.parent ?? this.init,
      comm: comm.slice(0, 15),
      exe: opts.exe ?? '',
      argv: opts.argv ?? [comm],
      uid: opts.uid ?? 0,
    });
  }

  /** `sched_process_fork` by `forker` (a process or one of its threads): a new process, or a thread with `thread: true`. */
  fork(forker: Task, opts: ForkOptions = {}): Spawned {
    const at = this.tick(opts.at);
    const child = this.spawn(forker, opts, at);
    const event = this.forkEvent(forker, child, at);
    this.twins.set(event, () => this.signalForkEnvelope(forker, child, at));
    return { event, child };
  }

  /** `signal_sched_process_fork`: the same change as {@link fork}, as the control plane reports it. */
  signalFork(forker: Task, opts: ForkOptions = {}): Spawned {
    const at = this.tick(opts.at);
    const child = this.spawn(forker, opts, at);
    const event = this.signalForkEnvelope(forker, child, at);
    this.twins.set(event, () => this.forkEvent(forker, child, at));
    return { event, child };
  }

  /** `sched_process_exec` of a process (leader). Updates its comm, exe and argv. */
  exec(task: Task, opts: ExecOptions): Envelope {
    const at = this.tick(opts.at);
    const args = this.execArgs(task, opts);
    const event = this.emit(task, at, { eventId: '713', eventName: 'sched_process_exec', argsNum: opts.elfInterpreter === null ? 11 : 15, syscall: 'execve' }, args);
    this.twins.set(event, () => this.signal('5003', 'signal_sched_process_exec', at, [...this.hashArgs(task, at), ...args.filter((a) => a.name !== 'env')]));
    return event;
  }

  /** `signal_sched_process_exec`: like {@link exec}, as a signal. */
  signalExec(task: Task, opts: ExecOptions): Envelope {
    const at = this.tick(opts.at);
    const args = this.execArgs(task, opts);
    return this.signal('5003', 'signal_sched_process_exec', at, [...this.hashArgs(task, at), ...args.filter((a) => a.name !== 'env')]);
  }

  /** `sched_process_exit` of a task. A leader's exit reparents its children (default: to init). */
  exit(task: Task, opts: ExitOptions = {}): Envelope {
    const at = this.tick(opts.at);
    const args = this.exitArgs(task, opts);
    const event = this.emit(task, at, { eventId: '714', eventName: 'sched_process_exit', argsNum: 2, syscall: 'exit_group' }, args);
    const signalArgs = [...this.hashArgs(task, at), ...args];
    this.twins.set(event, () => this.signal('5004', 'signal_sched_process_exit', at, signalArgs));
    this.finish(task, opts);
    return event;
  }

  /** `signal_sched_process_exit`: like {@link exit}, as a signal. */
  signalExit(task: Task, opts: ExitOptions = {}): Envelope {
    const at = this.tick(opts.at);
    const args = this.exitArgs(task, opts);
    const event = this.signal('5004', 'signal_sched_process_exit', at, [...this.hashArgs(task, at), ...args]);
    this.finish(task, opts);
    return event;
  }

  /**
   * Any other event of a task (`openat`, `connect`, `security_socket_connect`, …).
   * @example
   * ```ts
   * w.syscall(sh, 'connect', { args: { sockfd: 3, addr: { sa_family: 'AF_INET', sin_port: '4444', sin_addr: '10.0.0.9' } } });
   * ```
   */
  syscall(task: Task, name: string, opts: SyscallOptions = {}): Envelope {
    const at = this.tick(opts.at);
    const args = toArgs(opts.args);
    return this.emit(task, at, { eventId: opts.eventId ?? SYSCALL_IDS[name] ?? '0', eventName: name, argsNum: args.length, syscall: name, returnValue: opts.returnValue ?? 0 }, args);
  }

  /**
   * The other form of a lifecycle envelope built by this world: the signal of an event, or the
   * event of a signal (same change, same time; for `source: 'both'` tests).
   */
  twin(envelope: Envelope): Envelope {
    const make = this.twins.get(envelope);
    if (make === undefined) throw new Error('twin(): not a fork/exec/exit envelope built by this world');
    return make();
  }

  // ── internals ──

  private tick(at: Nanos | undefined): Nanos {
    this.now = at ?? this.now + this.step;
    return this.now;
  }

  private newTask(o: {
    pid: number;
    tid: number;
    nsPid: number;
    nsTid: number;
    start: Nanos;
    leader: Task | undefined;
    parent: Task | undefined;
    comm: string;
    exe: string;
    argv: readonly string[];
    uid: number;
  }): Task {
    const task = {
      tid: o.tid,
      pid: o.pid,
      nsTid: o.nsTid,
      nsPid: o.nsPid,
      startSinceBoot: o.start,
      entityId: hashTaskId(o.tid, o.start),
      leader: undefined as unknown as Task,
      isThread: o.leader !== undefined,
      parent: o.parent,
      spawnParent: o.parent,
      comm: o.comm,
      exe: o.exe,
      argv: o.argv,
      uid: o.uid,
      exited: false,
    };
    (task as { leader: Task }).leader = o.leader ?? task;
    this.tasks.push(task);
    worldOfTask.set(task, this);
    this.nextPid = Math.max(this.nextPid, o.tid + 1);
    return task;
  }

  private spawn(forker: Task, opts: ForkOptions, at: Nanos): Task {
    const id = opts.pid ?? this.nextPid;
    const proc = forker.leader;
    if (opts.thread === true) {
      return this.newTask({ pid: proc.pid, tid: id, nsPid: proc.nsPid, nsTid: opts.nsPid ?? id, start: at, leader: proc, parent: proc.parent, comm: forker.comm, exe: proc.exe, argv: proc.argv, uid: forker.uid });
    }
    const ns = opts.nsPid ?? id;
    return this.newTask({ pid: id, tid: id, nsPid: ns, nsTid: ns, start: at, leader: undefined, parent: proc, comm: forker.comm, exe: proc.exe, argv: proc.argv, uid: forker.uid });
  }

  private forkArgs(forker: Task, child: Task, childStart: Nanos): TraceeArg[] {
    return [
      { name: 'parent_tid', type: 'int', value: forker.tid },
      { name: 'parent_ns_tid', type: 'int', value: forker.nsTid },
      { name: 'parent_pid', type: 'int', value: forker.pid },
      { name: 'parent_ns_pid', type: 'int', value: forker.nsPid },
      { name: 'parent_start_time', type: 'unsigned long', value: forker.startSinceBoot },
      { name: 'child_tid', type: 'int', value: child.tid },
      { name: 'child_ns_tid', type: 'int', value: child.nsTid },
      { name: 'child_pid', type: 'int', value: child.pid },
      { name: 'child_ns_pid', type: 'int', value: child.nsPid },
      { name: 'start_time', type: 'unsigned long', value: childStart },
    ];
  }

  private forkEvent(forker: Task, child: Task, at: Nanos): Envelope {
    // printed: start_time is epoch, parent_start_time since boot (spec §1.1)
    return this.emit(forker, at, { eventId: '712', eventName: 'sched_process_fork', argsNum: 20, syscall: 'clone' }, this.forkArgs(forker, child, this.epoch(child.startSinceBoot)));
  }

  private signalForkEnvelope(forker: Task, child: Task, at: Nanos): Envelope {
    const upParent = child.isThread ? child.leader.parent : forker.leader;
    const leader = child.leader;
    const task = (prefix: string, t: Task | undefined): TraceeArg[] => [
      { name: `${prefix}tid`, type: 'int', value: t?.tid ?? 0 },
      { name: `${prefix}ns_tid`, type: 'int', value: t?.nsTid ?? 0 },
      { name: `${prefix}pid`, type: 'int', value: t?.pid ?? 0 },
      { name: `${prefix}ns_pid`, type: 'int', value: t?.nsPid ?? 0 },
      { name: `${prefix}start_time`, type: 'unsigned long', value: t?.startSinceBoot ?? 0n },
    ];
    return this.signal('5002', 'signal_sched_process_fork', at, [
      { name: 'timestamp', type: 'u64', value: at },
      ...this.forkArgs(forker, child, child.startSinceBoot),
      ...task('up_parent_', upParent),
      ...task('leader_', leader),
    ]);
  }

  private execArgs(task: Task, opts: ExecOptions): TraceeArg[] {
    if (task.isThread) throw new Error(`exec(): task ${task.tid} is a thread; exec from its process leader`);
    const cmdpath = opts.cmdpath ?? opts.path;
    const argv = opts.argv ?? [basename(cmdpath)];
    const elf = opts.elfInterpreter === undefined ? DEFAULT_ELF_INTERPRETER : opts.elfInterpreter;
    task.comm = (opts.comm ?? basename(cmdpath)).slice(0, 15);
    task.exe = opts.path;
    task.argv = argv;
    const ctime = this.bootEpochNs - 86_400_000_000_000n;
    return [
      { name: 'cmdpath', type: 'const char*', value: cmdpath },
      { name: 'pathname', type: 'const char*', value: opts.path },
      { name: 'dev', type: 'dev_t', value: 2049 },
      { name: 'inode', type: 'unsigned long', value: inodeOf(opts.path) },
      { name: 'ctime', type: 'unsigned long', value: ctime },
      { name: 'inode_mode', type: 'umode_t', value: 33261 },
      { name: 'interpreter_pathname', type: 'const char*', value: elf },
      { name: 'interpreter_dev', type: 'dev_t', value: elf === null ? null : 2049 },
      { name: 'interpreter_inode', type: 'unsigned long', value: elf === null ? null : inodeOf(elf) },
      { name: 'interpreter_ctime', type: 'unsigned long', value: elf === null ? null : ctime },
      { name: 'argv', type: 'const char**', value: argv },
      { name: 'interp', type: 'const char*', value: opts.interp ?? cmdpath },
      { name: 'stdin_type', type: 'string', value: 'S_IFCHR' },
      { name: 'stdin_path', type: 'char*', value: '/dev/pts/0' },
      { name: 'invoked_from_kernel', type: 'int', value: 0 },
      { name: 'env', type: 'const char**', value: null },
    ];
  }

  private exitArgs(task: Task, opts: ExitOptions): TraceeArg[] {
    const raw = (((opts.status ?? 0) & 0xff) << 8) | ((opts.signal ?? 0) & 0x7f);
    return [
      { name: 'exit_code', type: 'long', value: raw },
      { name: 'process_group_exit', type: 'bool', value: opts.groupExit ?? !task.isThread },
    ];
  }

  private hashArgs(task: Task, at: Nanos): TraceeArg[] {
    return [
      { name: 'timestamp', type: 'u64', value: at },
      { name: 'task_hash', type: 'u32', value: task.entityId },
      { name: 'parent_hash', type: 'u32', value: task.leader.parent?.entityId ?? 0 },
      { name: 'leader_hash', type: 'u32', value: task.leader.entityId },
    ];
  }

  private finish(task: Task, opts: ExitOptions): void {
    task.exited = true;
    if (task.isThread) return;
    for (const t of this.tasks) if (t.leader === task) t.exited = true;
    const heir = opts.reparentTo ?? (task === this.initTask ? undefined : this.init);
    for (const t of this.tasks) if (!t.isThread && t.parent === task && !t.exited) t.parent = heir;
  }

  private emit(
    task: Task,
    at: Nanos,
    what: { eventId: string; eventName: string; argsNum: number; syscall: string; returnValue?: number },
    args: readonly TraceeArg[],
  ): Envelope {
    const parent = task.leader.parent;
    const line = stringifyExact({
      timestamp: this.epoch(at),
      threadStartTime: this.epoch(task.startSinceBoot),
      processorId: 0,
      processId: task.nsPid,
      cgroupId: 0,
      threadId: task.nsTid,
      parentProcessId: parent?.nsPid ?? 0,
      hostProcessId: task.pid,
      hostThreadId: task.tid,
      hostParentProcessId: parent?.pid ?? 0,
      userId: task.uid,
      mountNamespace: 4026531840,
      pidNamespace: 4026531836,
      processName: task.comm,
      executable: { path: task.leader.exe },
      hostName: this.hostName,
      containerId: '',
      container: {},
      kubernetes: {},
      eventId: what.eventId,
      eventName: what.eventName,
      matchedPolicies: [''],
      argsNum: what.argsNum,
      returnValue: what.returnValue ?? 0,
      syscall: what.syscall,
      stackAddresses: null,
      contextFlags: { containerStarted: false, isCompat: false },
      threadEntityId: task.entityId,
      processEntityId: task.leader.entityId,
      parentEntityId: parent?.entityId ?? 0,
      args,
    });
    return this.parse(line, 0);
  }

  private signal(eventId: string, eventName: string, at: Nanos, args: readonly TraceeArg[]): Envelope {
    return this.parse(stringifyExact({ timestamp: this.epoch(at), eventId, eventName, argsNum: args.length, args }), 1);
  }

  private parse(line: string, rank: number): Envelope {
    const seq = this.seq++;
    const r = parseEventLine(line, { source: this.source, line: seq + 1 }, { seq, rank });
    if (E.isLeft(r)) throw new Error(`marbles: built an unparsable line (${r.left}): ${line}`);
    return r.right;
  }
}

/**
 * A new simulated machine (see {@link World}).
 * @example
 * ```ts
 * import { world } from 'proctree-rx/marbles';
 * const w = world({ bootEpochNs: 1_795_576_595_000_000_000n });
 * ```
 */
export function world(options: WorldOptions = {}): World {
  return new World(options);
}
