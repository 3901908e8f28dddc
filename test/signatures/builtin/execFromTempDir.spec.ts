import { finding, marbleTest, world } from '../../../marbles/index.js';
import { enrich } from '../../../src/operators/enrich.js';
import { execFromTempDir } from '../../../src/signatures/builtin/execFromTempDir.js';
import { runSignatures } from '../../../src/signatures/runSignatures.js';
import type { Envelope } from '../../../src/streams/types.js';

describe('PRX-002 execFromTempDir', () => {
  it('fires for /tmp, /dev/shm, memfd and deleted files; not for /usr/bin or a script in /tmp', () => {
    const w = world();
    const sh = w.process({ pid: 100, comm: 'sh', exe: '/usr/bin/dash' });
    const kids = [101, 102, 103, 104, 105, 106].map((pid) => w.fork(sh, { pid }));
    const execs = [
      w.exec(kids[0]!.child, { path: '/tmp/.x/miner', argv: ['miner'] }),
      w.exec(kids[1]!.child, { path: '/usr/bin/ls' }),
      w.exec(kids[2]!.child, { path: '/dev/shm/payload' }),
      w.exec(kids[3]!.child, { path: '/memfd:kworker (deleted)', cmdpath: '/proc/self/fd/3' }),
      w.exec(kids[4]!.child, { path: '/opt/app/bin/agent (deleted)' }),
      // a script in /tmp run by dash: the file executed is /usr/bin/dash (PRX-003's case)
      w.exec(kids[5]!.child, { path: '/usr/bin/dash', cmdpath: '/tmp/run.sh', interp: '/bin/sh' }),
    ];
    const values = Object.fromEntries(execs.map((e, i) => [String.fromCharCode(97 + i), e]));
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('-a-b-c-d-e-f-|', values).pipe(enrich(), runSignatures([execFromTempDir()]))).toBe('-a---c-d-e---|', {
        a: finding('PRX-002', { pid: 101, data: { pathname: '/tmp/.x/miner', reason: 'temp-dir' } }),
        c: finding('PRX-002', { pid: 103, data: { reason: 'temp-dir' } }),
        d: finding('PRX-002', { pid: 104, data: { pathname: '/memfd:kworker (deleted)', reason: 'memfd' } }),
        e: finding('PRX-002', { pid: 105, data: { reason: 'deleted' } }),
      });
    });
  });

  it('honours custom directories and ignores other events', () => {
    const w = world();
    const sh = w.process({ pid: 100, comm: 'sh' });
    const k = w.fork(sh, { pid: 101 });
    const x = w.exec(k.child, { path: '/tmp/tool' });
    const o = w.syscall(k.child, 'openat', { args: { pathname: '/tmp/tool' } });
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('abc|', { a: k.event, b: x, c: o }).pipe(enrich(), runSignatures([execFromTempDir({ dirs: ['/dev/shm/'] })]))).toBe('---|');
    });
  });
});
