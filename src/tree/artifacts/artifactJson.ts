/**
 * Text of the artifacts: JSON (exact integer ns) for `query`, `tree --format json` and
 * `enrich --artifacts`, and the one-line summary `proctree-rx tree --artifacts` prints.
 *
 * @module
 */
import { stringifyExact } from '../../streams/exactNumbers.js';
import type { ArtifactSummary, ProcessArtifacts } from './artifactStore.js';

/** A process's artifacts as JSON (every field; times exact integer ns). */
export const artifactsJson = (a: ProcessArtifacts): string => stringifyExact(a);

/** `{"files":N,"peers":N,"dns":N,"executions":N,"events":N}` (see {@link ArtifactSummary}). */
export const artifactSummaryJson = (s: ArtifactSummary): string =>
  `{"files":${s.files},"peers":${s.peers},"dns":${s.dns},"executions":${s.executions},"events":${s.events}}`;

const MAX_SHOWN = 3;

const list = (items: readonly string[]): string => {
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
    parts.push(`files ${files}${written.length > 0 ? ` (written: ${list(written.map((f) => f.path))})` : ''}`);
  }
  const peers = a.network.filter((n) => n.op === 'connect' || n.op === 'accept');
  const listening = a.network.filter((n) => n.op === 'bind' || n.op === 'listen');
  if (peers.length > 0 || a.folded.network.entries > 0) {
    const named = list(peers.map((n) => (n.port ? `${n.address}:${n.port}` : n.address || n.family)));
    parts.push(`peers ${named}${a.folded.network.entries > 0 ? ` (+${a.folded.network.entries} folded)` : ''}`);
  }
  if (listening.length > 0) parts.push(`listens ${list(listening.map((n) => (n.port ? `${n.address}:${n.port}` : n.address || n.family)))}`);
  if (a.dns.length > 0) parts.push(`dns ${list(a.dns.map((d) => d.name))}`);
  const dropped = a.executions.filter((x) => x.writtenBy !== undefined && x.writtenBy.entityId !== a.entityId);
  if (dropped.length > 0) parts.push(`ran written ${list(dropped.map((x) => x.path))}`);
  if (a.modules.length > 0) parts.push(`modules ${a.modules.length}`);
  if (a.credentials.length > 0) parts.push(`creds ${list(a.credentials.map((c) => c.event))}`);
  if (a.ptrace.length > 0) parts.push(`ptrace ${a.ptrace.length}`);
  return parts.join(', ');
}
