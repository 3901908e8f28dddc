import { finding, marbleTest, world } from '../../../marbles/index.js';
import { enrich } from '../../../src/operators/enrich.js';
import { scriptFromWritableDir } from '../../../src/signatures/builtin/scriptFromWritableDir.js';
import { runSignatures } from '../../../src/signatures/runSignatures.js';
import type { Envelope } from '../../../src/streams/types.js';

describe('PRX-003 scriptFromWritableDir', () => {
  it('fires for a #! script in /tmp and for python3 /dev/shm/x.py; not for sh -c or /srv scripts', () => {
    const w = world();
    const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
    const k = [101, 102, 103, 104, 105].map((pid) => w.fork(bash, { pid }).child);
    const values = {
      a: w.exec(k[0]!, { path: '/usr/bin/dash', cmdpath: '/tmp/stage.sh', interp: '/bin/sh', argv: ['/tmp/stage.sh'] }),
      b: w.exec(k[1]!, { path: '/usr/local/bin/python3.11', cmdpath: '/usr/local/bin/python3', argv: ['python3', '-u', '/dev/shm/x.py'] }),
      c: w.exec(k[2]!, { path: '/usr/bin/dash', cmdpath: '/bin/sh', argv: ['sh', '-c', '/tmp/not-a-script-arg'] }),
      d: w.exec(k[3]!, { path: '/usr/bin/dash', cmdpath: '/srv/app/outer.sh', interp: '/bin/sh', argv: ['/srv/app/outer.sh'] }),
      e: w.exec(k[4]!, { path: '/usr/bin/perl', argv: ['perl', '/home/bob/tool.pl'] }),
    };
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('-a-b-c-d-e-|', values).pipe(enrich(), runSignatures([scriptFromWritableDir()]))).toBe('-a-b-----e-|', {
        a: finding('PRX-003', { pid: 101, data: { script: '/tmp/stage.sh', interpreter: '/bin/sh', via: 'shebang' } }),
        b: finding('PRX-003', { pid: 102, data: { script: '/dev/shm/x.py', interpreter: '/usr/local/bin/python3.11', via: 'argv' } }),
        e: finding('PRX-003', { pid: 105, data: { script: '/home/bob/tool.pl', via: 'argv' } }),
      });
    });
  });

  it('a plain binary in /tmp is not a script (PRX-002 covers it)', () => {
    const w = world();
    const k = w.fork(w.process({ pid: 100, comm: 'bash' }), { pid: 101 });
    const x = w.exec(k.child, { path: '/tmp/a.out' });
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('ab|', { a: k.event, b: x }).pipe(enrich(), runSignatures([scriptFromWritableDir()]))).toBe('--|');
    });
  });
});
