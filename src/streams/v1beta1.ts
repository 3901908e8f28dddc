/**
 * main's `v1beta1.Event` JSON document (Tracee after v0.24.1, `api/v1beta1/event_json.go`) mapped
 * onto the flat event shape the rest of proctree-rx reads (tracee-versions.md §2.10). The raw
 * line is never rewritten: this mapping only feeds the tree and `event`.
 *
 * ```json
 * {"timestamp":"2025-11-27T10:00:00.123456789Z","id":714,"name":"sched_process_fork",
 *  "workload":{"process":{"unique_id":…,"host_pid":…,"pid":…,"real_user":{"id":0},
 *    "thread":{"start_time":"…","name":"bash","unique_id":…,"host_tid":…,"tid":…},
 *    "ancestors":[{"unique_id":…,"host_pid":…,"pid":…}]}},
 *  "data":[{"name":"child_tid","int32":1234},{"name":"start_time","u_int64":"1764237600123456789"}]}
 * ```
 *
 * @module
 */
import { parseRfc3339Nanos } from './timeArg.js';
import type { EventHead, Nanos, TraceeArg, TraceeEvent } from './types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** True when a parsed line is main's document (`name`/`workload`/`data`, no `eventName`). */
export const isV1Beta1 = (event: Obj): boolean => !('eventName' in event) && typeof event['name'] === 'string' && ('workload' in event || 'data' in event || 'id' in event);

/** A data value's kind keys, in the order they are tried; everything else is passed as it is. */
const arg = (d: unknown): TraceeArg | undefined => {
  if (!isObj(d) || typeof d['name'] !== 'string') return undefined;
  for (const key of Object.keys(d)) {
    if (key === 'name') continue;
    const v = d[key];
    // an empty str_array prints as {}
    if (key === 'str_array' || key === 'int32_array' || key === 'u_int64_array') return { name: d['name'], type: key, value: Array.isArray(obj(v)['value']) ? obj(v)['value'] : [] };
    return { name: d['name'], type: key, value: v };
  }
  // an arg with no value: just its name
  return { name: d['name'], type: '', value: null };
};

/** The mapped event, and its exact times (RFC3339Nano strings in the document). */
export interface V1Beta1Mapped {
  readonly event: TraceeEvent;
  /** The event's task context (the mapping gives every field its type). */
  readonly head: EventHead;
  readonly timestamp: Nanos | undefined;
  readonly threadStartTime: Nanos;
}

/**
 * Maps a parsed v1beta1 document onto the flat event shape: `workload.process.thread.unique_id`
 * → `threadEntityId`, `process.unique_id` → `processEntityId`, `ancestors[0]` → parent
 * (`parentEntityId`, `hostParentProcessId`, `parentProcessId`), `thread.start_time` →
 * `threadStartTime`, `data` → `args` (`{name, type: <kind>, value}`; 64-bit values stay the
 * exact decimal strings they are printed as).
 */
export function mapV1Beta1(doc: Obj): V1Beta1Mapped {
  const workload = obj(doc['workload']);
  const process = obj(workload['process']);
  const thread = obj(process['thread']);
  const ancestors = process['ancestors'];
  const parent = obj(Array.isArray(ancestors) ? ancestors[0] : undefined);
  const container = obj(workload['container']);
  const data = Array.isArray(doc['data']) ? doc['data'] : [];
  const args = data.map(arg).filter((a): a is TraceeArg => a !== undefined);
  const timestamp = typeof doc['timestamp'] === 'string' ? parseRfc3339Nanos(doc['timestamp']) : undefined;
  const threadStartTime = (typeof thread['start_time'] === 'string' ? parseRfc3339Nanos(thread['start_time']) : undefined) ?? 0n;
  const policies = obj(doc['policies'])['matched'];
  const event = {
    timestamp: Number(timestamp ?? 0n),
    threadStartTime: Number(threadStartTime),
    processorId: 0,
    processId: n(process['pid']),
    cgroupId: 0,
    threadId: n(thread['tid']),
    parentProcessId: n(parent['pid']),
    hostProcessId: n(process['host_pid']),
    hostThreadId: n(thread['host_tid']),
    hostParentProcessId: n(parent['host_pid']),
    userId: n(obj(process['real_user'])['id']),
    mountNamespace: 0,
    pidNamespace: 0,
    processName: typeof thread['name'] === 'string' ? thread['name'] : '',
    executable: { path: typeof obj(process['executable'])['path'] === 'string' ? (obj(process['executable'])['path'] as string) : '' },
    hostName: '',
    containerId: typeof container['id'] === 'string' ? container['id'] : '',
    container: {},
    kubernetes: {},
    eventId: typeof doc['id'] === 'string' || typeof doc['id'] === 'number' ? String(doc['id']) : '',
    eventName: doc['name'] as string,
    ...(Array.isArray(policies) ? { matchedPolicies: policies as string[] } : {}),
    argsNum: args.length,
    returnValue: 0,
    syscall: typeof thread['syscall'] === 'string' ? thread['syscall'] : '',
    stackAddresses: null,
    contextFlags: { containerStarted: container['started'] === true, isCompat: thread['compat'] === true },
    threadEntityId: n(thread['unique_id']),
    processEntityId: n(process['unique_id']),
    parentEntityId: n(parent['unique_id']),
    args,
  } satisfies TraceeEvent;
  const head: EventHead = {
    eventName: event.eventName,
    processName: event.processName,
    containerId: event.containerId,
    userId: event.userId,
    processId: event.processId,
    threadId: event.threadId,
    hostProcessId: event.hostProcessId,
    hostThreadId: event.hostThreadId,
    hostParentProcessId: event.hostParentProcessId,
    threadEntityId: event.threadEntityId >>> 0,
    processEntityId: event.processEntityId >>> 0,
    parentEntityId: event.parentEntityId >>> 0,
  };
  return { event, head, timestamp, threadStartTime };
}
