/**
 * The timeline page at scale (`proctree-rx tree --format html`): a page of ~10 k and of 20 k
 * processes (the synthetic lifecycle stream's first lines), its size, and in headless Chromium
 * (Debian's package; scripts/ensureDebianPackage.mjs installs it where missing) the time from
 * navigation to a drawn page, the time a cursor move takes to redraw the tree beside it, and a
 * scroll through the lanes. Target: a 10 k-process capture opens in under 2 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureDebianPackage } from '../scripts/ensureDebianPackage.mjs';
import { ensureSynth } from './lib/synth.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const CHROMIUM = '/usr/bin/chromium';

export default async function timelineBench() {
  ensureDebianPackage('chromium', CHROMIUM);
  const { path } = await ensureSynth({ mix: 'lifecycle', lines: 300_000 });
  const dir = mkdtempSync(join(tmpdir(), 'proctree-timeline-bench-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    // ~2.7 lifecycle events per process in this stream
    for (const lines of [31_000, 100_000]) {
      const input = join(dir, `capture-${lines}.ndjson`);
      writeFileSync(input, execFileSync('head', ['-n', String(lines), path], { maxBuffer: 1 << 30 }));
      const html = join(dir, `page-${lines}.html`);
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [MAIN, 'tree', '--quiet', '--format', 'html', input], { maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`tree --format html exited ${r.status}: ${r.stderr}`);
      writeFileSync(html, r.stdout);
      const renderS = Number(process.hrtime.bigint() - t0) / 1e9;
      const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
      const started = Date.now();
      await page.goto(`file://${html}`);
      await page.waitForFunction(() => window.proctreeTimeline !== undefined);
      const openMs = Date.now() - started;
      const m = await page.evaluate(async () => {
        const tl = window.proctreeTimeline;
        const lanes = tl.lanes().length;
        tl.setCursor(Number.MAX_SAFE_INTEGER);
        const end = tl.cursor().offset;
        const moves = [];
        for (let i = 1; i <= 20; i++) {
          const a = performance.now();
          tl.setCursor(Math.round((end * i) / 21));
          moves.push(performance.now() - a);
        }
        moves.sort((x, y) => x - y);
        const el = document.getElementById('lanes');
        const a = performance.now();
        for (let i = 0; i < 50; i++) {
          el.scrollTop = (el.scrollHeight * i) / 50;
          el.dispatchEvent(new Event('scroll'));
        }
        const scroll = (performance.now() - a) / 50;
        return { lanes, move: moves[10], scroll, rows: document.querySelectorAll('.row').length };
      });
      console.log(
        `timeline ${m.lanes} processes: page ${(statSync(html).size / 1e6).toFixed(1)} MB written in ${renderS.toFixed(2)} s; opens in ${openMs} ms (target < 2000 ms for 10 k); ` +
          `cursor move + tree redraw median ${m.move.toFixed(1)} ms; scroll redraw ${m.scroll.toFixed(2)} ms (${m.rows} rows in the DOM)`,
      );
      await page.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
