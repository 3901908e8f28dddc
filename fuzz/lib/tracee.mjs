/**
 * Tracee NDJSON lines for the soak scenarios: fork, exec, exit and openat in Tracee's printed
 * layout (the seed format of bench/lib/synth.mjs, whose fork and exec argument writers it uses), with Tracee's real entity-id hash so a
 * fork's child id matches the child's own events.
 */
import { hashTaskId } from '../../dist/src/streams/entityId.js';
import { arg, execArgsText, forkArgsText } from '../../bench/lib/synth.mjs';

/** Boot time of the simulated machine (epoch ns). */
export const BOOT = 1795576595489049319n;

const q = JSON.stringify;

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
  const args = forkArgsText(creator, creatorLeader.pid, child.tid, child.pid, BOOT + child.startBoot);
  return header(creator, creatorLeader, nowBoot, '712', 'sched_process_fork', 'clone') + args + ']}';
}

/** `p` (a process leader) runs `exe` with `argv`. */
export function execLine(p, nowBoot, exe, argv) {
  p.exe = exe;
  p.comm = exe.split('/').pop().slice(0, 15);
  const args = execArgsText(exe, argv, 262_000 + (p.tid % 1000), 1672924848000000000n);
  return header(p, p, nowBoot, '713', 'sched_process_exec', 'execve') + args + ']}';
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
