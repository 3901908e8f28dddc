/**
 * What `enrich --artifacts` adds to each line's context.
 *
 * @module
 */
import type { EnrichedEnvelope } from '../operators/enrich.js';
import { headOf } from '../streams/types.js';
import { artifactsJson } from '../tree/artifacts/artifactJson.js';
import type { ArtifactStore } from '../tree/artifacts/artifactStore.js';

/**
 * `,"artifacts":{"counts":{"files":N,"peers":N,"dns":N,"executions":N,"events":N}}` on every
 * line of a process the store knows (`null` otherwise): O(1) per line. The process's leader exit
 * line adds `"all":{…}`, every artifact of the process as of its exit (files, network, DNS,
 * executions, modules, credentials, ptrace, per-name counts, folded counts): what it did, once.
 * Counts are those after the newest event applied (a late event's line shows them too).
 */
export function artifactsPart(store: ArtifactStore): (e: EnrichedEnvelope) => string {
  // the text of each distinct counts text, made once (a store keeps a process's counts text until a count changes)
  const parts = new Map<string, string>();
  return (e) => {
    const h = headOf(e);
    const id = (h.processEntityId ?? 0) >>> 0;
    const counts = id ? store.countsJson(id) : undefined;
    if (counts === undefined) return ',"artifacts":null';
    const exit = h.eventName === 'sched_process_exit' && h.hostThreadId === h.hostProcessId;
    const all = exit ? store.at(id, e.timestamp) : undefined;
    if (all !== undefined) return `,"artifacts":{"counts":${counts},"all":${artifactsJson(all)}}`;
    let part = parts.get(counts);
    if (part === undefined) {
      part = `,"artifacts":{"counts":${counts}}`;
      if (parts.size >= PARTS) parts.clear();
      parts.set(counts, part);
    }
    return part;
  };
}

/** Distinct counts texts whose line text is kept (few: counts are small numbers). */
const PARTS = 4096;
