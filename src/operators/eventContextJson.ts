/**
 * The JSON text proctree-rx adds to an event (under `"proctree"`), exact ns.
 *
 * @module
 */
import { ancestorSummaryJson, processLineJson, threadInfoJson } from '../tree/infoJson.js';
import type { EventContext } from './enrich.js';

/**
 * `{"version":N,"process":{ProcessInfo}|null,"thread":{ThreadInfo}|null,"ancestors":[{…},…]}` —
 * the process and thread with every Tracee field (the process's `threadsIds` / `childProcessesIds`
 * cut to their first 64 entries, with `threadsCount` / `childProcessesCount` beside them: O(1)
 * per event), the ancestors (nearest first) as compact summaries: entityId, pid, nsPid, ppid, name, exe, startTime, exitTime, isAlive.
 *
 * @example
 * ```ts
 * import { eventContextJson } from 'proctree-rx';
 * const line = `${raw.slice(0, -1)},"proctree":${eventContextJson(enriched.context)}}`;
 * ```
 */
export function eventContextJson(c: EventContext): string {
  const p = c.process;
  const t = c.thread;
  let ancestors = '';
  const list = c.ancestors;
  for (let i = 0; i < list.length; i++) ancestors += (i === 0 ? '' : ',') + ancestorSummaryJson(list[i]!);
  return `{"version":${c.version},"process":${p === undefined ? 'null' : processLineJson(p)},"thread":${t === undefined ? 'null' : threadInfoJson(t)},"ancestors":[${ancestors}]}`;
}
