/**
 * Text of the artifacts: JSON (exact integer ns) for `query`, `tree --format json` and
 * `enrich --artifacts`, and the one-line summary `proctree-rx tree --artifacts` prints.
 *
 * @module
 */
import type { ArtifactSummary, EventArtifact, FoldedCount, ProcessArtifacts } from './artifactStore.js';

const q = (s: string): string => JSON.stringify(s);
const folded = (f: FoldedCount): string => `{"entries":${f.entries},"events":${f.events}}`;
const list = <T>(items: readonly T[], one: (x: T) => string): string => {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + one(items[i]!);
  return `${out}]`;
};
const detail = (d: EventArtifact['detail']): string => {
  let out = '{';
  let n = 0;
  for (const k of Object.keys(d)) out += `${n++ === 0 ? '' : ','}${q(k)}:${JSON.stringify(d[k])}`;
  return `${out}}`;
};
const event = (e: EventArtifact): string => `{"time":${e.time},"event":${q(e.event)},"detail":${detail(e.detail)}}`;

/**
 * A process's artifacts as JSON (every field; times exact integer ns): the text
 * `stringifyExact(a)` gives, written field by field (no replacer pass: this runs on every exit
 * line of `enrich --artifacts`).
 */
export function artifactsJson(a: ProcessArtifacts): string {
  const f = a.folded;
  let syscalls = '{';
  let n = 0;
  for (const k of Object.keys(a.syscalls)) syscalls += `${n++ === 0 ? '' : ','}${q(k)}:${a.syscalls[k]}`;
  syscalls += '}';
  return (
    `{"entityId":${a.entityId},"time":${a.time},"complete":${a.complete}` +
    `,"files":${list(a.files, (x) => `{"op":${q(x.op)},"path":${q(x.path)},"flags":${q(x.flags)},"count":${x.count},"firstTime":${x.firstTime},"lastTime":${x.lastTime}}`)}` +
    `,"network":${list(a.network, (x) => `{"op":${q(x.op)},"family":${q(x.family)},"address":${q(x.address)},"port":${JSON.stringify(x.port)},"count":${x.count},"firstTime":${x.firstTime},"lastTime":${x.lastTime}}`)}` +
    `,"dns":${list(a.dns, (x) => `{"name":${q(x.name)},"count":${x.count},"firstTime":${x.firstTime},"lastTime":${x.lastTime}}`)}` +
    `,"executions":${list(a.executions, (x) => `{"time":${x.time},"path":${q(x.path)}${x.writtenBy === undefined ? '' : `,"writtenBy":{"entityId":${x.writtenBy.entityId},"time":${x.writtenBy.time}}`}}`)}` +
    `,"modules":${list(a.modules, event)},"credentials":${list(a.credentials, event)},"ptrace":${list(a.ptrace, event)}` +
    `,"syscalls":${syscalls}` +
    `,"folded":{"files":${folded(f.files)},"network":${folded(f.network)},"dns":${folded(f.dns)},"executions":${folded(f.executions)},"events":${folded(f.events)},"syscalls":${folded(f.syscalls)}}}`
  );
}

/** `{"files":N,"peers":N,"dns":N,"executions":N,"events":N}` (see {@link ArtifactSummary}). */
export const artifactSummaryJson = (s: ArtifactSummary): string =>
  `{"files":${s.files},"peers":${s.peers},"dns":${s.dns},"executions":${s.executions},"events":${s.events}}`;

const MAX_SHOWN = 3;

const shortList = (items: readonly string[]): string => {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, MAX_SHOWN).join(' ');
  return unique.length > MAX_SHOWN ? `${shown} +${unique.length - MAX_SHOWN}` : shown;
};

/**
 * One line: `files 12 (2 written), peers 10.0.0.9:4444 +1, dns example.com, execs 1,
 * creds 1` — the counts, the files written, the first peers and names; empty kinds left out.
 */
export function artifactSummaryText(a: ProcessArtifacts): string {
  const parts: string[] = [];
  const files = a.files.length + a.folded.files.entries;
  if (files > 0) {
    const written = a.files.filter((f) => f.op === 'write' || f.op === 'rename-to' || f.op === 'memfd');
    parts.push(`files ${files}${written.length > 0 ? ` (written: ${shortList(written.map((f) => f.path))})` : ''}`);
  }
  const peers = a.network.filter((n) => n.op === 'connect' || n.op === 'accept');
  const listening = a.network.filter((n) => n.op === 'bind' || n.op === 'listen');
  if (peers.length > 0 || a.folded.network.entries > 0) {
    const named = shortList(peers.map((n) => (n.port ? `${n.address}:${n.port}` : n.address || n.family)));
    parts.push(`peers ${named}${a.folded.network.entries > 0 ? ` (+${a.folded.network.entries} folded)` : ''}`);
  }
  if (listening.length > 0) parts.push(`listens ${shortList(listening.map((n) => (n.port ? `${n.address}:${n.port}` : n.address || n.family)))}`);
  if (a.dns.length > 0) parts.push(`dns ${shortList(a.dns.map((d) => d.name))}`);
  const dropped = a.executions.filter((x) => x.writtenBy !== undefined && x.writtenBy.entityId !== a.entityId);
  if (dropped.length > 0) parts.push(`ran written ${shortList(dropped.map((x) => x.path))}`);
  if (a.modules.length > 0) parts.push(`modules ${a.modules.length}`);
  if (a.credentials.length > 0) parts.push(`creds ${shortList(a.credentials.map((c) => c.event))}`);
  if (a.ptrace.length > 0) parts.push(`ptrace ${a.ptrace.length}`);
  return parts.join(', ');
}
