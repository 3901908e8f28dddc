/**
 * JSON text of the query answers, with exact integer ns (the answers hold `bigint`s, which
 * `JSON.stringify` rejects). Hand-written for speed: enrichment encodes one context per event.
 *
 * @module
 */
import type { FileInfo, ProcessInfo, ThreadInfo } from './queries.js';
import { flat } from './flatString.js';
import { artifactsJson } from './artifacts/artifactJson.js';

const s = JSON.stringify;
const n = (v: number | bigint | undefined): string => (v === undefined ? 'null' : String(v));

/**
 * Id-map entries an enriched line carries per map: the first ones in the order the tree holds
 * them (the whole map stays one `query` away), with the map's size beside it. A fork bomb's
 * parent or a thread storm thus costs O(1) output per event.
 */
export const LINE_MAX_IDS = 64;

/** A pid/tid → id map as JSON (its first `max` entries), keys in ascending numeric order (the order a pid-keyed object had). */
const idMap = (m: ReadonlyMap<number, number>, max = Number.POSITIVE_INFINITY): string => {
  let keys: number[];
  if (m.size <= max) keys = [...m.keys()];
  else {
    keys = [];
    for (const k of m.keys()) {
      if (keys.length === max) break;
      keys.push(k);
    }
  }
  if (keys.length > 1) keys.sort((a, b) => a - b);
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += `${i === 0 ? '' : ','}"${keys[i]}":${m.get(keys[i]!)}`;
  return out + '}';
};

/** FileInfo → JSON. */
const FILE_JSON = new WeakMap<FileInfo, string>();

/** FileInfo → JSON (memoised per FileInfo object: they are immutable and shared across versions). */
export const fileInfoJson = (f: FileInfo): string => {
  let json = FILE_JSON.get(f);
  if (json === undefined) {
    json = flat(`{"path":${s(f.path)},"hash":${s(f.hash)},"inode":${f.inode},"device":${f.device},"ctime":${f.ctime},"mode":${f.mode}}`);
    FILE_JSON.set(f, json);
  }
  return json;
};

/** What a program's text was made of (argv and binaries are shared by every answer about one exec). */
interface ProgramText {
  readonly executionBinary: FileInfo;
  readonly interpreter: FileInfo;
  readonly interp: FileInfo;
  readonly json: string;
}

/** Longest program text memoised per argv array (characters). */
const PROGRAM_MEMO_MAX_CHARS = 2048;

/** `cmd` array → the text of the program fields, for the binaries it was made with. */
const PROGRAM_JSON = new WeakMap<readonly string[], ProgramText>();

/** `"cmd":…,"executionBinary":…,"interpreter":…,"interp":…`, memoised per argv array and binaries. */
const programJson = (p: ProcessInfo): string => {
  const memo = PROGRAM_JSON.get(p.cmd);
  if (memo !== undefined && memo.executionBinary === p.executionBinary && memo.interpreter === p.interpreter && memo.interp === p.interp) return memo.json;
  const json = flat(`"cmd":${s(p.cmd)},"executionBinary":${fileInfoJson(p.executionBinary)},"interpreter":${fileInfoJson(p.interpreter)},"interp":${fileInfoJson(p.interp)}`);
  // a long argv's text is not memoised here (it would double what the tree holds of it; the
  // encoder's byte-bounded cache keeps the text of the lines being written)
  if (json.length <= PROGRAM_MEMO_MAX_CHARS) PROGRAM_JSON.set(p.cmd, { executionBinary: p.executionBinary, interpreter: p.interpreter, interp: p.interp, json });
  return json;
};

const processCore = (p: ProcessInfo): string =>
  `"entityId":${p.entityId},"pid":${p.pid},"nsPid":${p.nsPid},"ppid":${p.ppid},"name":${s(p.name)},"containerId":${s(p.containerId)},` +
  `${programJson(p)},"startTime":${p.startTime},"execTime":${p.execTime},"exitTime":${n(p.exitTime)},` +
  `"exitCode":${n(p.exitCode)},"parentEntityId":${p.parentEntityId},"spawnParentEntityId":${p.spawnParentEntityId},` +
  `"userId":${n(p.userId)},"groupId":${n(p.groupId)},"isAlive":${p.isAlive},"execInherited":${p.execInherited},"placeholder":${p.placeholder}`;

/** `,"artifacts":{…}` when the answer carries artifacts (opt-in), else nothing. */
const artifactsPart = (p: ProcessInfo): string => (p.artifacts === undefined ? '' : `,"artifacts":${artifactsJson(p.artifacts)}`);

/** ProcessInfo → JSON (every field; `artifacts` when the answer has them). */
export const processInfoJson = (p: ProcessInfo): string =>
  `{${processCore(p)},"threadsIds":${idMap(p.threadsIds)},"childProcessesIds":${idMap(p.childProcessesIds)}${artifactsPart(p)}}`;

/**
 * ProcessInfo → JSON for a per-event line: the id maps cut to their first {@link LINE_MAX_IDS}
 * entries, with `threadsCount` / `childProcessesCount` (the full sizes; given when the maps were
 * already built cut, see `boundedProcessInfoOf`).
 */
export const processLineJson = (p: ProcessInfo, threadsCount = p.threadsIds.size, childProcessesCount = p.childProcessesIds.size): string =>
  `{${processCore(p)},"threadsIds":${idMap(p.threadsIds, LINE_MAX_IDS)},"threadsCount":${threadsCount},` +
  `"childProcessesIds":${idMap(p.childProcessesIds, LINE_MAX_IDS)},"childProcessesCount":${childProcessesCount}}`;

/** ProcessInfo → JSON without the threads / children maps (for ancestors; `artifacts` when the answer has them). */
export const ancestorJson = (p: ProcessInfo): string => `{${processCore(p)}${artifactsPart(p)}}`;

/** ThreadInfo → JSON. */
export const threadInfoJson = (t: ThreadInfo): string =>
  `{"entityId":${t.entityId},"tid":${t.tid},"nsTid":${t.nsTid},"pid":${t.pid},"name":${s(t.name)},"userId":${n(t.userId)},` +
  `"groupId":${n(t.groupId)},"startTime":${t.startTime},"exitTime":${n(t.exitTime)},"exitCode":${n(t.exitCode)},` +
  `"processEntityId":${t.processEntityId},"isAlive":${t.isAlive}}`;

/**
 * A compact ancestor for per-event output: who it is and what it runs, not every field
 * (`{"entityId","pid","nsPid","ppid","name","exe","startTime","exitTime","isAlive"}`).
 */
export const ancestorSummaryJson = (p: ProcessInfo): string =>
  `{"entityId":${p.entityId},"pid":${p.pid},"nsPid":${p.nsPid},"ppid":${p.ppid},"name":${s(p.name)},"exe":${s(p.executionBinary.path)},` +
  `"startTime":${p.startTime},"exitTime":${n(p.exitTime)},"isAlive":${p.isAlive}}`;
