/** `parseEnrichedLine` (exact ns from `enrich` output), the top-level key scanner, and re-enriching. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { parseEnrichedLine } from '../../src/pipeline/enrichedLine.js';
import { topLevelMember, withoutTopLevelMember } from '../../src/streams/topLevelKey.js';
import { FIXTURES } from '../support/fixtures.js';

const MAIN = join(resolve(__dirname, '..', '..'), 'dist', 'src', 'cli', 'main.js');
const enrichCli = (args: string[], input?: string): string => {
  const r = spawnSync(process.execPath, [MAIN, '--quiet', ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
};

describe('parseEnrichedLine', () => {
  const lines = enrichCli([join(FIXTURES, 'pipeline.ndjson')]).split('\n').filter((l) => l !== '');

  it('reads every line of `enrich` output: the event, and ns times digit for digit', () => {
    for (const line of lines) {
      const parsed = parseEnrichedLine(line);
      if (E.isLeft(parsed)) throw new Error(parsed.left);
      const { proctree, timestamp } = parsed.right;
      expect(line).toContain(`"timestamp":${timestamp}`);
      expect(proctree).toBeDefined();
      expect('proctree' in parsed.right.event).toBe(false);
      const p = proctree?.process;
      if (p !== null && p !== undefined) {
        expect(typeof p.startTime).toBe('bigint');
        expect(line).toContain(`"startTime":${p.startTime}`);
        expect(line).toContain(`"ctime":${p.executionBinary.ctime}`);
        if (p.exitTime !== null) expect(line).toContain(`"exitTime":${p.exitTime}`);
      }
      for (const a of proctree?.ancestors ?? []) expect(typeof a.startTime).toBe('bigint');
    }
    // exactness matters: these times are past 2^53
    const first = parseEnrichedLine(lines[0]!);
    expect(E.isRight(first) && first.right.timestamp > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('a line without "proctree" parses with proctree undefined; a non-event is Left', () => {
    const plain = enrichCli(['--proctree', 'source=none', join(FIXTURES, 'pipeline.ndjson')]).split('\n')[0]!;
    const parsed = parseEnrichedLine(plain);
    expect(E.isRight(parsed) && parsed.right.proctree === undefined).toBe(true);
    expect(E.isLeft(parseEnrichedLine('{"a":1}'))).toBe(true);
    expect(E.isLeft(parseEnrichedLine('{"timestamp":1,"proctree":[}'))).toBe(true);
  });

  it('enriching enriched output again replaces "proctree" instead of adding a second one', () => {
    const once = enrichCli([join(FIXTURES, 'threads.ndjson')]);
    const twice = enrichCli(['--proctree', 'disable-procfs', '-'], once);
    expect(twice).toBe(once);
    for (const line of twice.split('\n').filter((l) => l !== '')) expect(line.split('"proctree":').length).toBe(2);
  });
});

describe('topLevelMember / withoutTopLevelMember', () => {
  const objects = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });

  it('find the member JSON.parse sees, whatever the key spells inside values', () => {
    fc.assert(
      fc.property(objects, fc.jsonValue({ maxDepth: 2 }), fc.boolean(), (obj, value, include) => {
        const record: Record<string, unknown> = { ...obj, decoy: { proctree: 1, s: '"proctree":2' } };
        delete record['proctree'];
        if (include) record['proctree'] = value;
        const text = JSON.stringify(record);
        const m = topLevelMember(text, 'proctree');
        if (!include) return m === undefined && withoutTopLevelMember(text, 'proctree') === text;
        if (m === undefined) return false;
        const without = { ...record };
        delete without['proctree'];
        return JSON.stringify(JSON.parse(text.slice(m.valueStart, m.end))) === JSON.stringify(value) && withoutTopLevelMember(text, 'proctree') === JSON.stringify(without);
      }),
    );
  });
});
