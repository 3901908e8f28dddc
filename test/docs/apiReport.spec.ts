/**
 * The checked-in API report (etc/api-report.md) matches the exports; every type an export
 * mentions is exported too. `npm run api-report` rewrites the report after a deliberate change.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readApi, renderReport, REPORT_PATH } from './apiReport.js';

describe('the public API', () => {
  const api = readApi();
  const report = renderReport(api.entries);

  it('is what etc/api-report.md says (run `npm run api-report` after a deliberate change)', () => {
    if (process.env['UPDATE_API_REPORT'] === '1') {
      mkdirSync(dirname(REPORT_PATH), { recursive: true });
      writeFileSync(REPORT_PATH, report);
    }
    expect(existsSync(REPORT_PATH)).toBe(true);
    expect(report).toBe(readFileSync(REPORT_PATH, 'utf8'));
  });

  it('stays small: at most 60 value exports at the root', () => {
    const root = api.entries.get('proctree-rx') ?? [];
    const values = root.filter((e) => e.kind === 'function' || e.kind === 'class' || e.kind === 'const' || e.kind === 'enum' || e.kind === 'namespace');
    expect(values.length).toBeGreaterThan(20);
    expect(values.length).toBeLessThanOrEqual(60);
  });

  it('names every type its exports mention (a user can write each one down)', () => {
    expect(api.unexported).toEqual([]);
  });
});
