/**
 * Tracee NDJSON lines for the soak scenarios: fork, exec, exit and openat in Tracee's printed
 * layout (the seed format of bench/lib/synth.mjs), with Tracee's real entity-id hash so a
 * fork's child id matches the child's own events.
 */
import { hashTaskId } from '../../dist/src/streams/entityId.js';

/** Boot time of the simulated machine (epoch ns). */
export const BOOT = 1795576595489049319n;

const q = JSON.stringify;
const arg = (name, type, value) => `{"name":${q(name)},"type":${q(type)},"value":${typeof value === 'bigint' ? value.toString() : q(value)}}`;

/**
 * A task of the simulated machine.
 * @param {number} tid @param {number} pid @param {bigint} startBoot ns since boot
 * @param {{ pid: number, entityId: number } | null} parent the parent process
 */
export function task(tid, pid, startBoot, parent, comm = 'sh', exe = '/usr/bin/dash') {
  return { tid, pid, startBoot, entityId: hashTaskId(tid, startBoot), parent, comm, exe };
}

/** The fields before `"args":[`. `leader` is the task's process (itself for a leader). */
function header(t, leader, nowBoot, eventId, eventName, syscall) {
  const ppid = leader.parent ? leader.parent.pid : 1;
  const parentId = leader.parent ? leader.parent.entityId : hashTaskId(1, 1_000_000n);
  return (
    `{"timestamp":${BOOT + nowBoot},"threadStartTime":${BOOT + t.startBoot},"processorId":0,"processId":${leader.pid},` +
    `"cgroupId":0,"threadId":${t.tid},"parentProcessId":${ppid},"hostProcessId":${leader.pid},"hostThreadId":${t.tid},` +
    `"hostParentProcessId":${ppid},"userId":0,"mountNamespace":4026531832,"pidNamespace":4026531836,` +
    `"processName":${q(t.comm)},"executable":{"path":${q(leader.exe)}},"hostName":"vm","containerId":"","container":{},` +
    `"kubernetes":{},"eventId":"${eventId}","eventName":"${eventName}","matchedPolicies":[""],"argsNum":0,` +
    `"returnValue":0,"syscall":"${syscall}","stackAddresses":null,"contextFlags":{"containerStarted":false,"isCompat":false},` +
    `"threadEntityId":${t.entityId},"processEntityId":${leader.entityId},"parentEntityId":${parentId},"args":[`
  );
}

/** `creator` (a task of process `creatorLeader`) forks `child` (a new process, or a thread when child.pid !== child.tid). */
export function forkLine(creator, creatorLeader, child, nowBoot) {
  const args = [
    arg('parent_tid', 'int', creator.tid),
    arg('parent_ns_tid', 'int', creator.tid),
    arg('parent_pid', 'int', creatorLeader.pid),
    arg('parent_ns_pid', 'int', creatorLeader.pid),
    arg('parent_start_time', 'unsigned long', creator.startBoot),
    arg('child_tid', 'int', child.tid),
    arg('child_ns_tid', 'int', child.tid),
    arg('child_pid', 'int', child.pid),
    arg('child_ns_pid', 'int', child.pid),
    arg('start_time', 'unsigned long', BOOT + child.startBoot),
  ];
  return header(creator, creatorLeader, nowBoot, '712', 'sched_process_fork', 'clone') + args.join(',') + ']}';
}

/** `p` (a process leader) runs `exe` with `argv`. */
export function execLine(p, nowBoot, exe, argv) {
  p.exe = exe;
  p.comm = exe.split('/').pop().slice(0, 15);
  const args = [
    arg('cmdpath', 'const char*', exe),
    arg('pathname', 'const char*', exe),
    arg('dev', 'dev_t', 266338304),
    arg('inode', 'unsigned long', 262_000 + (p.tid % 1000)),
    arg('ctime', 'unsigned long', 1672924848000000000n),
    arg('inode_mode', 'umode_t', 33261),
    arg('interpreter_pathname', 'const char*', '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'),
    arg('interpreter_dev', 'dev_t', 266338304),
    arg('interpreter_inode', 'unsigned long', 338944),
    arg('interpreter_ctime', 'unsigned long', 1777320873000000000n),
    arg('argv', 'const char**', argv),
    arg('interp', 'const char*', exe),
    arg('stdin_type', 'string', 'S_IFIFO'),
    arg('stdin_path', 'char*', 'pipe:[0]'),
    arg('invoked_from_kernel', 'int', 0),
    arg('env', 'const char**', null),
  ];
  return header(p, p, nowBoot, '713', 'sched_process_exec', 'execve') + args.join(',') + ']}';
}

/** `t` of process `leader` exits (a group exit when `group`). */
export function exitLine(t, leader, nowBoot, group = true) {
  return header(t, leader, nowBoot, '714', 'sched_process_exit', 'exit_group') + arg('exit_code', 'long', 0) + ',' + arg('process_group_exit', 'bool', group) + ']}';
}

/** `t` of process `leader` opens a file (the bulk of a real capture). */
export function openLine(t, leader, nowBoot, path = '/etc/passwd') {
  const args = [arg('dirfd', 'int', -100), arg('pathname', 'const char*', path), arg('flags', 'int', 'O_RDONLY'), arg('mode', 'umode_t', 0)];
  return header(t, leader, nowBoot, '257', 'openat', 'openat') + args.join(',') + ']}';
}
