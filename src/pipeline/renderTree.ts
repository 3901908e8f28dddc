/**
 * Pictures of the tree as of a time: `text` (pstree-like), `json` (nested nodes), `dot` (Graphviz).
 *
 * @module
 */
import type { EntityId, Nanos } from '../streams/types.js';
import { stringifyExact } from '../streams/exactNumbers.js';
import { decodeExitCode } from '../streams/lifecycleArgs.js';
import { valueAt } from '../tree/changelog.js';
import { isAliveAt, type ProcessNode, type ProcessTree } from '../tree/model.js';
import { idsEach } from '../tree/idSet.js';
import type { ArtifactsAsOf, ProcessArtifacts } from '../tree/artifacts/artifactStore.js';
import { artifactSummaryText } from '../tree/artifacts/artifactJson.js';

/** One process in a rendered tree. */
export interface TreeNodeView {
  readonly entityId: EntityId;
  readonly pid: number;
  readonly name: string;
  readonly exe: string;
  readonly cmd: readonly string[];
  readonly startTime: Nanos | undefined;
  readonly exitTime: Nanos | undefined;
  readonly exitCode: number | undefined;
  readonly isAlive: boolean;
  /** tids of the group's threads other than the leader, alive at the time. */
  readonly threads: readonly number[];
  /** What the process did as of the time (only when artifacts were asked for and it has some). */
  readonly artifacts?: ProcessArtifacts;
  readonly children: readonly TreeNodeView[];
}

const parentAt = (node: ProcessNode, t: Nanos): EntityId => valueAt(node.parent, t)?.id ?? node.spawnParentId;

/**
 * The forest as of `t`: every process started at or before `t` (exited ones included), under its
 * parent as of `t`; roots are processes whose parent is unknown. Children by start time.
 */
export function treeView(tree: ProcessTree, t: Nanos, artifacts?: ArtifactsAsOf): TreeNodeView[] {
  const visible: ProcessNode[] = [];
  tree.processes.forEach((p) => {
    if (p.startTime === undefined || p.startTime <= t) visible.push(p);
  });
  const byParent = new Map<EntityId, ProcessNode[]>();
  const roots: ProcessNode[] = [];
  for (const p of visible) {
    const parentId = parentAt(p, t);
    const parent = parentId ? tree.processes.get(parentId) : undefined;
    if (parent === undefined || parent.id === p.id || !(parent.startTime === undefined || parent.startTime <= t)) roots.push(p);
    else {
      const list = byParent.get(parentId) ?? [];
      list.push(p);
      byParent.set(parentId, list);
    }
  }
  const order = (a: ProcessNode, b: ProcessNode): number =>
    a.startTime === b.startTime ? a.pid - b.pid : a.startTime === undefined ? -1 : b.startTime === undefined ? 1 : a.startTime < b.startTime ? -1 : 1;
  const seen = new Set<EntityId>();
  const view = (p: ProcessNode): TreeNodeView => {
    seen.add(p.id);
    const exec = valueAt(p.exec, t);
    const threads: number[] = [];
    idsEach(p.threads, (id) => {
      const th = tree.threads.get(id);
      if (th !== undefined && id !== p.id && isAliveAt(th, t)) threads.push(th.tid);
    });
    const exited = p.exitTime !== undefined && p.exitTime <= t;
    const did = artifacts?.at(p.id, t);
    return {
      entityId: p.id,
      pid: p.pid,
      name: valueAt(p.name, t) ?? '',
      exe: exec?.executable?.path ?? '',
      cmd: exec?.argv ?? [],
      startTime: p.startTime,
      exitTime: exited ? p.exitTime : undefined,
      exitCode: exited ? p.exitCode : undefined,
      isAlive: isAliveAt(p, t),
      threads: threads.sort((a, b) => a - b),
      ...(did !== undefined ? { artifacts: did } : {}),
      children: (byParent.get(p.id) ?? []).filter((c) => !seen.has(c.id)).sort(order).map(view),
    };
  };
  return roots.sort(order).map(view);
}

const status = (n: TreeNodeView): string => {
  if (n.isAlive) return '';
  if (n.exitCode === undefined) return n.exitTime === undefined ? '' : ' [exited]';
  const d = decodeExitCode(n.exitCode);
  return d.signal !== 0 ? ` [killed by signal ${d.signal}]` : ` [exit ${d.status}]`;
};

/** A pstree-like text picture: `name(pid) exe  {N threads} [exit S]`. */
export function renderText(forest: readonly TreeNodeView[]): string {
  const lines: string[] = [];
  const walk = (n: TreeNodeView, prefix: string, branch: string): void => {
    const threads = n.threads.length > 0 ? `  {${n.threads.length} thread${n.threads.length === 1 ? '' : 's'}}` : '';
    const exe = n.exe !== '' ? `  ${n.exe}` : '';
    const a = n.artifacts;
    const did = a === undefined ? '' : artifactSummaryText(a);
    const artifacts = a === undefined || a.complete ? (did === '' ? '' : `  — ${did}`) : `  — artifacts as of then not retained; as of ${a.time}: ${did === '' ? 'none' : did}`;
    lines.push(`${prefix}${branch}${n.name || '?'}(${n.pid})${exe}${threads}${status(n)}${artifacts}`);
    const childPrefix = prefix + (branch === '' ? '' : branch === '└─ ' ? '   ' : '│  ');
    n.children.forEach((c, i) => walk(c, childPrefix, i === n.children.length - 1 ? '└─ ' : '├─ '));
  };
  for (const root of forest) walk(root, '', '');
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

/** Nested JSON nodes (times as exact integers). */
export function renderJson(forest: readonly TreeNodeView[]): string {
  return stringifyExact(forest, 2) + '\n';
}

const dotEscape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** A Graphviz digraph: one box per process, dead ones grey, edges parent → child. */
export function renderDot(forest: readonly TreeNodeView[]): string {
  const out = ['digraph proctree {', '  rankdir=LR;', '  node [shape=box, fontname="monospace", fontsize=10];'];
  const walk = (n: TreeNodeView): void => {
    const label = `${n.name || '?'} (${n.pid})${n.exe ? `\\n${dotEscape(n.exe)}` : ''}${n.threads.length ? `\\n${n.threads.length} threads` : ''}${status(n)}`;
    out.push(`  p${n.entityId} [label="${dotEscape(label).replace(/\\\\n/g, '\\n')}"${n.isAlive ? '' : ', color=grey50, fontcolor=grey40'}];`);
    for (const c of n.children) {
      out.push(`  p${n.entityId} -> p${c.entityId};`);
      walk(c);
    }
  };
  forest.forEach(walk);
  out.push('}');
  return out.join('\n') + '\n';
}

/** The pictures {@link renderTree} draws: `text` (pstree-like), `json` (nested nodes), `dot` (Graphviz). */
export type TreeFormat = 'text' | 'json' | 'dot';

/** Options of {@link renderTree}. */
export interface RenderTreeOptions {
  /** The time the picture is of (default: the tree's own time, its newest change). */
  readonly at?: Nanos;
  /** `text` (default), `json` or `dot`. */
  readonly format?: TreeFormat;
  /**
   * Artifacts to show (a builder's `artifacts`): `text` adds a one-line summary to each process
   * (files written, peers, DNS names, …), `json` an `artifacts` field. Default: none.
   */
  readonly artifacts?: ArtifactsAsOf;
}

/**
 * The tree as of a time, drawn as `proctree-rx tree --at T --format F` draws it: every process
 * started by then (exited ones included, with their exit code) under its parent as of then.
 *
 * @example
 * ```ts
 * import { renderTree } from 'proctree-rx';
 * console.log(renderTree(tree, { at: 1795582946621474559n }));
 * console.log(renderTree(tree, { format: 'dot' }));
 * ```
 */
export function renderTree(tree: ProcessTree, options: RenderTreeOptions = {}): string {
  const forest = treeView(tree, options.at ?? tree.time, options.artifacts);
  const format = options.format ?? 'text';
  return format === 'json' ? renderJson(forest) : format === 'dot' ? renderDot(forest) : renderText(forest);
}
