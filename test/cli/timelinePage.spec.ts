/**
 * The timeline page (`proctree-rx tree --format html`) in a real browser: headless Chromium
 * (Debian's package, installed by scripts/ensureDebianPackage.mjs where missing) loads the page
 * of a fixture from file://; the lanes, and the tree at two cursor positions, are checked against
 * what `proctree-rx query` answers; a drag moves the cursor; a finding's marker opens it; search
 * and the keyboard move the selection. A screenshot is saved under test-output/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildCli, ROOT, type BuiltCli } from '../support/builtCli.js';
import { FIXTURES } from '../support/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';

interface TreeEntry {
  entityId: number;
  pid: number;
  ppid: number;
  parentEntityId: number;
  name: string;
  exe: string;
  cmd: string[];
  children: TreeEntry[];
}
interface Timeline {
  setCursor(t: number): void;
  cursor(): { offset: number; time: string };
  treeAt(): TreeEntry[];
  lanes(): { entityId: number; pid: number; depth: number }[];
  t0: string;
}
/** The few DOM shapes the page code run in the browser uses (the project's types have no DOM lib, on purpose). */
interface HTMLElement {
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  closest(selector: string): HTMLElement | null;
}
declare const window: { proctreeTimeline: Timeline };
declare const document: { querySelectorAll(selector: string): ArrayLike<HTMLElement> & Iterable<HTMLElement>; getElementById(id: string): HTMLElement | null };

let cli: BuiltCli;
let dir: string;
let browser: Browser;
let page: Page;
let html: string;
let capturePath: string;

const run = (args: readonly string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, [cli.main, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });

/** pipeline.ndjson with its `ls` exec'd from /tmp: one PRX-002 finding on the ls process. */
function writeCapture(): string {
  const lines = readFileSync(join(FIXTURES, 'pipeline.ndjson'), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes('"pathname","type":"const char*","value":"/usr/bin/ls"'));
  lines[at] = lines[at]!.replaceAll('/usr/bin/ls', '/tmp/ls');
  const path = join(dir, 'capture.ndjson');
  writeFileSync(path, lines.join('\n'));
  return path;
}

const flatten = (forest: readonly TreeEntry[]): TreeEntry[] => forest.flatMap((n) => [n, ...flatten(n.children)]);

/** `proctree-rx query` answers for each process id at absolute time `t`. */
function queryAnswers(ids: readonly number[], t: bigint): Map<number, { pid: number; ppid: number; name: string; parentEntityId: number; isAlive: boolean; exe: string; cmd: string[] }> {
  const questions = join(dir, `q-${t}.ndjson`);
  writeFileSync(questions, ids.map((id) => `{"kind":"process","entityId":${id},"time":${t}}`).join('\n') + '\n');
  const r = run(['query', '--quiet', '--queries', questions, capturePath]);
  expect(r.status).toBe(0);
  const out = new Map<number, { pid: number; ppid: number; name: string; parentEntityId: number; isAlive: boolean; exe: string; cmd: string[] }>();
  for (const line of r.stdout.split('\n').filter((l) => l !== '')) {
    const a = JSON.parse(line) as { query: { entityId: number }; process_info?: { pid: number; ppid: number; name: string; parentEntityId: number; isAlive: boolean; executionBinary: { path: string }; cmd: string[] } };
    if (a.process_info !== undefined) {
      const p = a.process_info;
      out.set(a.query.entityId, { pid: p.pid, ppid: p.ppid, name: p.name, parentEntityId: p.parentEntityId, isAlive: p.isAlive, exe: p.executionBinary.path, cmd: p.cmd });
    }
  }
  return out;
}

beforeAll(async () => {
  const ensured = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensureDebianPackage.mjs'), 'chromium', CHROMIUM], { encoding: 'utf8' });
  if (ensured.status !== 0) throw new Error(`cannot get Chromium: ${ensured.stderr}`);
  cli = buildCli('proctree-timeline-');
  dir = mkdtempSync(join(tmpdir(), 'proctree-timeline-data-'));
  capturePath = writeCapture();
  const r = run(['tree', '--format', 'html', '--signatures', 'PRX-002', capturePath]);
  expect(r.status).toBe(0);
  expect(r.stderr).toContain(' 1 finding, ');
  html = r.stdout;
  writeFileSync(join(dir, 'tree.html'), html);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // nothing may be fetched: the page is self-contained
  const requests: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith('file://')) requests.push(req.url());
  });
  await page.goto(`file://${join(dir, 'tree.html')}`);
  await page.waitForFunction(() => window.proctreeTimeline !== undefined);
  expect(errors).toEqual([]);
  expect(requests).toEqual([]);
}, 15 * 60_000);

afterAll(async () => {
  await browser?.close();
  cli?.cleanup();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('timeline page (tree --format html) in headless Chromium', () => {
  it('is one small self-contained file: no external script, style, font or image', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(300 * 1024);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  });

  it('draws one lane per process of the capture, nested under its spawn parent', async () => {
    const lanes = await page.evaluate(() => window.proctreeTimeline.lanes());
    // every process query knows at the end of the capture, and no other
    const end = BigInt(await page.evaluate(() => window.proctreeTimeline.t0)) + BigInt(await page.evaluate(() => { window.proctreeTimeline.setCursor(Number.MAX_SAFE_INTEGER); return window.proctreeTimeline.cursor().offset; }));
    const answers = queryAnswers(lanes.map((l) => l.entityId), end);
    expect(answers.size).toBe(lanes.length);
    for (const lane of lanes) expect(answers.get(lane.entityId)!.pid).toBe(lane.pid);
    expect(lanes.length).toBe(12);
    // rows in the DOM carry the same ids, and children sit deeper than their parent
    const rows = await page.$$eval('.row', (els) => els.map((e) => Number((e as HTMLElement).dataset['id'])));
    expect(rows).toEqual(lanes.map((l) => l.entityId));
    expect(Math.max(...lanes.map((l) => l.depth))).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['while the pipeline runs', 0.3],
    ['near the end', 0.8],
  ])('shows the tree as of the cursor %s, as query answers it', async (_label, fraction) => {
    const { offset, time, tree, dom } = await page.evaluate((f) => {
      const tl = window.proctreeTimeline;
      tl.setCursor(Number.MAX_SAFE_INTEGER);
      const endOffset = tl.cursor().offset;
      tl.setCursor(Math.round(endOffset * f));
      const items = [...document.querySelectorAll('#tree li')].map((li) => {
        const d = (li).dataset;
        return { entityId: Number(d['id']), pid: Number(d['pid']), ppid: Number(d['ppid']), name: d['name'] ?? '' };
      });
      return { ...tl.cursor(), tree: tl.treeAt(), dom: items };
    }, fraction);
    expect(offset).toBeGreaterThan(0);
    const shown = flatten(tree);
    expect(shown.length).toBeGreaterThan(1);
    // the side panel shows what treeAt says
    expect(dom).toEqual(shown.map((n) => ({ entityId: n.entityId, pid: n.pid, ppid: n.ppid, name: n.name })));
    // and query agrees, process by process: alive then, same parent, name, binary and argv then
    const lanes = await page.evaluate(() => window.proctreeTimeline.lanes());
    const answers = queryAnswers(lanes.map((l) => l.entityId), BigInt(time));
    const aliveByQuery = [...answers].filter(([, a]) => a.isAlive).map(([id]) => id).sort();
    expect(shown.map((n) => n.entityId).sort()).toEqual(aliveByQuery);
    for (const n of shown) {
      const a = answers.get(n.entityId)!;
      expect({ pid: n.pid, ppid: n.ppid, name: n.name, parentEntityId: n.parentEntityId, exe: n.exe, cmd: n.cmd }).toEqual({
        pid: a.pid,
        ppid: a.ppid,
        name: a.name,
        parentEntityId: a.parentEntityId,
        exe: a.exe,
        cmd: a.cmd,
      });
    }
  });

  it('moves the cursor when the axis is dragged, and the tree follows', async () => {
    const axis = (await page.$('#axis'))!;
    const box = (await axis.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const before = await page.evaluate(() => window.proctreeTimeline.cursor().offset);
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.up();
    await page.waitForTimeout(50);
    const after = await page.evaluate(() => ({ c: window.proctreeTimeline.cursor(), clock: document.getElementById('clock')!.textContent, n: document.querySelectorAll('#tree li').length, want: window.proctreeTimeline.treeAt() }));
    expect(after.c.offset).toBeLessThan(before);
    expect(after.clock).toContain(after.c.time);
    expect(after.n).toBe(flatten(after.want).length);
  });

  it('puts the finding on its process lane; a click on it shows the finding', async () => {
    const marker = await page.$('.mark.finding');
    expect(marker).not.toBeNull();
    const lanePid = await marker!.evaluate((el) => Number((el.closest('.row') as HTMLElement).dataset['pid']));
    const execLine = readFileSync(capturePath, 'utf8').split('\n').find((l) => l.includes('/tmp/ls'))!;
    const lsPid = (JSON.parse(execLine) as { hostProcessId: number }).hostProcessId;
    expect(lanePid).toBe(lsPid);
    await marker!.click();
    const detail = await page.$eval('#detail', (el) => el.textContent ?? '');
    expect(detail).toContain('PRX-002');
    expect(detail).toContain('/tmp/ls');
  });

  it('finds a process by pid and by path, and moves between lanes with the keyboard', async () => {
    const lanes = await page.evaluate(() => window.proctreeTimeline.lanes());
    const target = lanes[lanes.length - 1]!;
    await page.fill('#search', String(target.pid));
    await page.press('#search', 'Enter');
    let selected = await page.$eval('.row.sel', (el) => Number((el as HTMLElement).dataset['id']));
    expect(selected).toBe(target.entityId);
    await page.fill('#search', '/usr/bin/sleep');
    expect(await page.$eval('#hits', (el) => el.textContent)).toBe('1 match');
    await page.fill('#search', '');
    await page.focus('#lanes');
    await page.keyboard.press('ArrowUp');
    selected = await page.$eval('.row.sel', (el) => Number((el as HTMLElement).dataset['id']));
    expect(selected).toBe(lanes[lanes.length - 2]!.entityId);
    const out = join(ROOT, 'test-output');
    mkdirSync(out, { recursive: true });
    await page.evaluate(() => window.proctreeTimeline.setCursor(60_000_000));
    await page.screenshot({ path: join(out, 'timeline.png') });
  });
});
