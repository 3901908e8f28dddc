import { collectFindings, summarizeFinding } from '../../../marbles/index.js';
import { builtinSignatures } from '../../../src/signatures/builtin/builtinSignatures.js';
import { loadEnvelopes } from '../../support/fixtures.js';

const all = () => Object.values(builtinSignatures).map((make) => make());

describe('built-in signatures over the captured fixtures', () => {
  it.each([
    ['pipeline.ndjson', 'events', 10],
    ['threads.ndjson', 'events', 6],
    ['interp.ndjson', 'events', 6],
    ['pipeline.both.ndjson', 'both', 10],
  ] as const)('%s: the data-source check finds every exec consistent, nothing else fires', (name, source, execs) => {
    const errors: unknown[] = [];
    const findings = collectFindings(loadEnvelopes(name), all(), { source, onError: (e) => errors.push(e) });
    expect(errors).toEqual([]);
    const ds = findings.filter((f) => f.SigMetadata.id === 'PROCTREE_DATA_SOURCE');
    const problems = ds.filter((f) => f.Data['consistent'] !== true).map((f) => ({ pid: f.Event.hostProcessId, problems: f.Data['problems'] }));
    expect(problems).toEqual([]);
    expect(ds).toHaveLength(execs);
    expect(findings.filter((f) => f.SigMetadata.id !== 'PROCTREE_DATA_SOURCE').map(summarizeFinding)).toEqual([]);
  });
});
