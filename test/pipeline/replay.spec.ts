/** `replay`: who held a pid, a lineage and the tree, as of any time of a capture. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import * as O from 'fp-ts/lib/Option.js';
import { replay } from '../../src/pipeline/replay.js';
import { loadTruth, FIXTURES } from '../support/fixtures.js';

const MAIN = join(resolve(__dirname, '..', '..'), 'dist', 'src', 'cli', 'main.js');

describe('replay', () => {
  it('answers as of each time the ground truth samples: who held the pid, and its lineage', async () => {
    const r = await replay(join(FIXTURES, 'pipeline.ndjson'));
    const truth = loadTruth('pipeline.truth.json');
    expect(truth.samples.length).toBeGreaterThan(0);
    for (const sample of truth.samples) {
      const who = r.whoHeld(sample.pid, sample.time);
      expect(O.isSome(who)).toBe(true);
      if (O.isNone(who)) continue;
      expect(who.value.entityId).toBe(sample.entityId);
      const lineage = r.lineage(sample.pid, sample.time);
      expect(O.isSome(lineage) ? lineage.value.map((p) => p.pid) : []).toEqual(sample.lineagePids);
    }
    expect(r.stats.badLines).toBe(0);
  });

  it('render(t) is what `proctree-rx tree --at T` prints, in each format', async () => {
    const path = join(FIXTURES, 'threads.ndjson');
    const r = await replay(path);
    const t = r.tree.time - 1_000_000n;
    for (const format of ['text', 'json', 'dot'] as const) {
      const cli = spawnSync(process.execPath, [MAIN, 'tree', '--quiet', '--at', String(t), '--format', format, path], { encoding: 'utf8' });
      expect(cli.status).toBe(0);
      expect(r.render(t, format)).toBe(cli.stdout);
    }
  });
});
