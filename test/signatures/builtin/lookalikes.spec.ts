/**
 * Each built-in against a hit and its nearest benign look-alike: the smallest change to the
 * hit that makes it ordinary activity must not fire. Written with `testSignature`.
 */
import { finding, marbleTest, testSignature, world } from '../../../marbles/index.js';
import { execFromTempDir } from '../../../src/signatures/builtin/execFromTempDir.js';
import { orphanConnect } from '../../../src/signatures/builtin/orphanConnect.js';
import { proctreeDataSource } from '../../../src/signatures/builtin/proctreeDataSource.js';
import { scriptFromWritableDir } from '../../../src/signatures/builtin/scriptFromWritableDir.js';
import { shellUnderServer } from '../../../src/signatures/builtin/shellUnderServer.js';
import { TreeBuilder } from '../../../src/tree/treeBuilder.js';
import { fromSignature } from '../../../src/signatures/fromSignature.js';
import { enrich } from '../../../src/operators/enrich.js';
import type { Envelope } from '../../../src/streams/types.js';

const ADDR = { sa_family: 'AF_INET', sin_port: '4444', sin_addr: '10.0.0.9' };

describe('PRX-001 shellUnderServer', () => {
  const w = world();
  const nginx = w.process({ pid: 500, comm: 'nginx', exe: '/usr/sbin/nginx' });
  const worker = w.fork(nginx, { pid: 501 });

  it('hit: nginx → sh -c', () => {
    const sh = w.exec(worker.child, { path: '/usr/bin/dash', cmdpath: '/bin/sh', argv: ['sh', '-c', 'id'] });
    testSignature(shellUnderServer(), { marbles: 'ab|', values: { a: worker.event, b: sh } }, { marbles: '-x|', values: { x: finding('PRX-001', { pid: 501, data: { shell: 'dash', depth: 1 } }) } });
  });

  it('look-alike: nginx → a non-shell helper whose argv runs a shell command as data', () => {
    const w2 = world();
    const n = w2.process({ pid: 500, comm: 'nginx', exe: '/usr/sbin/nginx' });
    const k = w2.fork(n, { pid: 501 });
    const helper = w2.exec(k.child, { path: '/usr/bin/logger', argv: ['logger', 'sh -c id'] });
    testSignature(shellUnderServer(), { marbles: 'ab|', values: { a: k.event, b: helper } }, '--|');
  });

  it.each([
    ['mysqldump', '/usr/bin/mysqldump'],
    ['node_exporter', '/usr/local/bin/node_exporter'],
    ['mongodump', '/usr/bin/mongodump'],
  ])('look-alike: a shell under %s (a name that only starts like a server)', (comm, exe) => {
    const w2 = world();
    const tool = w2.process({ pid: 700, comm, exe });
    const k = w2.fork(tool, { pid: 701 });
    const sh = w2.exec(k.child, { path: '/usr/bin/dash', cmdpath: '/bin/sh', argv: ['sh', '-c', 'gzip'] });
    testSignature(shellUnderServer(), { marbles: 'ab|', values: { a: k.event, b: sh } }, '--|');
  });

  it('look-alike: the same shell under a login shell (no server in the lineage)', () => {
    const w2 = world();
    const bash = w2.process({ pid: 600, comm: 'bash', exe: '/usr/bin/bash' });
    const k = w2.fork(bash, { pid: 601 });
    const sh = w2.exec(k.child, { path: '/usr/bin/dash', cmdpath: '/bin/sh', argv: ['sh', '-c', 'id'] });
    testSignature(shellUnderServer(), { marbles: 'ab|', values: { a: k.event, b: sh } }, '--|');
  });
});

describe('PRX-002 execFromTempDir', () => {
  it('hit: a binary run from /tmp', () => {
    const w = world();
    const sh = w.process({ pid: 100, comm: 'sh' });
    const k = w.fork(sh, { pid: 101 });
    const x = w.exec(k.child, { path: '/tmp/x' });
    testSignature(execFromTempDir(), { marbles: 'ab|', values: { a: k.event, b: x } }, { marbles: '-x|', values: { x: finding('PRX-002', { pid: 101, data: { reason: 'temp-dir' } }) } });
  });

  it('look-alike: a directory whose name only starts like /tmp (/tmpfs-tools/bin/x), and a system binary given a /tmp argument', () => {
    const w = world();
    const sh = w.process({ pid: 100, comm: 'sh' });
    const k1 = w.fork(sh, { pid: 101 });
    const x1 = w.exec(k1.child, { path: '/tmpfs-tools/bin/x' });
    const k2 = w.fork(sh, { pid: 102 });
    const x2 = w.exec(k2.child, { path: '/usr/bin/cat', argv: ['cat', '/tmp/x'] });
    testSignature(execFromTempDir(), { marbles: 'abcd|', values: { a: k1.event, b: x1, c: k2.event, d: x2 } }, '----|');
  });
});

describe('PRX-003 scriptFromWritableDir', () => {
  it('hit: python3 /dev/shm/x.py', () => {
    const w = world();
    const sh = w.process({ pid: 100, comm: 'sh' });
    const k = w.fork(sh, { pid: 101 });
    const x = w.exec(k.child, { path: '/usr/bin/python3.11', argv: ['python3', '/dev/shm/x.py'] });
    testSignature(scriptFromWritableDir(), { marbles: 'ab|', values: { a: k.event, b: x } }, { marbles: '-x|', values: { x: finding('PRX-003', { pid: 101, data: { script: '/dev/shm/x.py', via: 'argv' } }) } });
  });

  it('look-alike: python3 -c with inline code that names a /dev/shm file', () => {
    const w = world();
    const sh = w.process({ pid: 100, comm: 'sh' });
    const k = w.fork(sh, { pid: 101 });
    const x = w.exec(k.child, { path: '/usr/bin/python3.11', argv: ['python3', '-c', 'open("/dev/shm/x.py")'] });
    testSignature(scriptFromWritableDir(), { marbles: 'ab|', values: { a: k.event, b: x } }, '--|');
  });
});

describe('PRX-004 orphanConnect', () => {
  const S = 1_000_000_000n;
  function scenario(parentExits: boolean) {
    const w = world();
    const sshd = w.process({ pid: 90, comm: 'sshd', exe: '/usr/sbin/sshd' });
    const bash = w.fork(sshd, { pid: 100, at: 1n * S });
    const job = w.fork(bash.child, { pid: 101, at: 2n * S });
    const end = parentExits ? w.exit(bash.child, { at: 3n * S }) : w.syscall(bash.child, 'openat', { at: 3n * S });
    const c = w.syscall(job.child, 'connect', { args: { sockfd: 3, addr: ADDR }, at: 4n * S });
    return { a: bash.event, b: job.event, c: end, d: c };
  }

  it('hit: the parent exits, then its child connects', () => {
    testSignature(orphanConnect(), { marbles: 'abcd|', values: scenario(true) }, { marbles: '---x|', values: { x: finding('PRX-004', { pid: 101, data: { remote: ADDR } }) } });
  });

  it('look-alike: the same connect while the parent is alive', () => {
    testSignature(orphanConnect(), { marbles: 'abcd|', values: scenario(false) }, '----|');
  });
});

describe('PROCTREE_DATA_SOURCE (opt-in)', () => {
  function tester() {
    const w = world();
    const sh = w.process({ pid: 50, comm: 'bash', exe: '/usr/bin/bash' });
    const t = w.fork(sh, { pid: 100 });
    const e0 = w.exec(t.child, { path: '/opt/proctreetester' });
    return { a: t.event, b: e0 };
  }

  it('hit: a data source that lags behind the events', () => {
    const values = tester();
    const lagging = new TreeBuilder();
    lagging.applyEnvelope(values.a);
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('ab|', values).pipe(enrich(), fromSignature(proctreeDataSource(), { dataSource: lagging.dataSource() }))).toBe('-x|', {
        x: finding('PROCTREE_DATA_SOURCE', { pid: 100, data: { consistent: false } }),
      });
    });
  });

  it('look-alike: the same exec with the data source of the tree that saw it', () => {
    testSignature(proctreeDataSource(), { marbles: 'ab|', values: tester() }, '--|');
  });
});
