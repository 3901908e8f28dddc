import { world } from '../../marbles/index.js';
import { renderDot, renderJson, renderText, treeView } from '../../src/pipeline/renderTree.js';
import { ArtifactStore } from '../../src/tree/artifacts/artifactStore.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { loadEnvelopes } from '../support/fixtures.js';

const build = (file: string): TreeBuilder => {
  const b = new TreeBuilder();
  for (const e of loadEnvelopes(file)) b.applyEnvelope(e);
  return b;
};

describe('renderTree', () => {
  it('draws the pipeline capture as a pstree-like picture with exit statuses', () => {
    const b = build('pipeline.ndjson');
    const text = renderText(treeView(b.tree, b.tree.time));
    const lines = text.trimEnd().split('\n');
    // the recording's root is shown under its (unrecorded) parent placeholder
    expect(lines.some((l) => /sh\(20650\)\s+\/usr\/bin\/dash\s+\[exit 0\]/.test(l))).toBe(true);
    expect(text).toMatch(/[├└]─ ls\(20651\)\s+\/usr\/bin\/ls \[exit 0\]/);
    expect(text).toMatch(/sh\(\d+\).*\[exit 3\]/);
    expect(text).toMatch(/sleep\(20654\)/);
  });

  it('folds threads and shows the tree as of an earlier time', () => {
    const b = build('threads.ndjson');
    const t = 1795582946970404668n; // threads alive (truth sample)
    const forest = treeView(b.history.at(t), t);
    const text = renderText(forest);
    expect(text).toMatch(/python3\(20707\).*\{\d threads?\}/);
    expect(text).not.toMatch(/python3\(20707\).*\[exit/);
  });

  it('json nests children and keeps times exact', () => {
    const b = build('pipeline.ndjson');
    const json = renderJson(treeView(b.tree, b.tree.time));
    expect(json).toContain('"startTime": 1795582946614199067');
    const forest = JSON.parse(json) as { children: unknown[] }[];
    expect(forest.length).toBeGreaterThan(0);
  });

  it('dot is a digraph with an edge per parent link', () => {
    const b = build('pipeline.ndjson');
    const forest = treeView(b.tree, b.tree.time);
    const dot = renderDot(forest);
    expect(dot.startsWith('digraph proctree {')).toBe(true);
    const countNodes = (ns: readonly (typeof forest)[number][]): number => ns.reduce((a, n) => a + 1 + countNodes(n.children), 0);
    const edges = dot.split('\n').filter((l) => l.includes('->')).length;
    expect(edges).toBe(countNodes(forest) - forest.length);
  });

  it('says when a process\'s artifacts as of the time are not retained (older than the change log), and of which time it shows them', () => {
    const S = 1_000_000_000n;
    const w = world();
    const sh = w.process({ pid: 100, comm: 'sh' });
    const busy = w.fork(sh, { pid: 101, at: 1n * S });
    const artifacts = new ArtifactStore({ maxChanges: 4 });
    const b = new TreeBuilder({ artifacts });
    b.applyEnvelope(busy.event);
    for (let i = 2n; i <= 9n; i++) b.applyEnvelope(w.syscall(busy.child, 'openat', { args: { pathname: `/data/${i}`, flags: 'O_WRONLY|O_CREAT' }, at: i * S }));
    const early = w.epoch(3n * S);
    const text = renderText(treeView(b.history.at(early), early, artifacts));
    // the last 4 changes (6 s … 9 s) are retained: the oldest exact answer is as of 5 s
    expect(text).toContain(`sh(101)  — artifacts as of then not retained; as of ${w.epoch(5n * S)}: files 4 (written: /data/2 /data/3 /data/4 +1)`);
    const late = w.epoch(7n * S);
    expect(renderText(treeView(b.history.at(late), late, artifacts))).toContain('sh(101)  — files 6 (written: /data/2 /data/3 /data/4 +3)');
    const json = renderJson(treeView(b.history.at(early), early, artifacts));
    expect(json).toContain(`"complete": false`);
    expect(json).toContain(`"time": ${w.epoch(5n * S)}`);
    expect(renderJson(treeView(b.history.at(late), late, artifacts))).not.toContain(`"complete": false`);
  });
});
