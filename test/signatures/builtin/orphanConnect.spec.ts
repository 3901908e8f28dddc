import { finding, marbleTest, world } from '../../../marbles/index.js';
import { enrich } from '../../../src/operators/enrich.js';
import { orphanConnect } from '../../../src/signatures/builtin/orphanConnect.js';
import { runSignatures } from '../../../src/signatures/runSignatures.js';
import type { Envelope } from '../../../src/streams/types.js';

const ADDR = { sa_family: 'AF_INET', sin_port: '4444', sin_addr: '10.0.0.9' };
const S = 1_000_000_000n;

function scenario() {
  const w = world();
  const sshd = w.process({ pid: 90, comm: 'sshd', exe: '/usr/sbin/sshd' });
  const bash = w.fork(sshd, { pid: 100, at: 1n * S });
  const nohup = w.fork(bash.child, { pid: 101, at: 2n * S });
  const x = w.exec(nohup.child, { path: '/tmp/.implant', at: 3n * S });
  const before = w.syscall(nohup.child, 'connect', { args: { sockfd: 3, addr: ADDR }, at: 4n * S }); // parent alive: no finding
  const bashExit = w.exit(bash.child, { at: 5n * S });
  const c1 = w.syscall(nohup.child, 'connect', { args: { sockfd: 3, addr: ADDR }, at: 6n * S });
  const c2 = w.syscall(nohup.child, 'security_socket_connect', { args: { sockfd: 4, remote_addr: ADDR }, at: 30n * S }); // same window
  const c3 = w.syscall(nohup.child, 'connect', { args: { sockfd: 5, addr: ADDR }, at: 70n * S }); // next window
  return { w, bash, nohup, values: { a: bash.event, b: nohup.event, c: x, d: before, e: bashExit, f: c1, g: c2, h: c3 } };
}

describe('PRX-004 orphanConnect', () => {
  it('fires when a process whose parent exited connects, once per window', () => {
    const { values, w } = scenario();
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('abcdefgh|', values).pipe(enrich(), runSignatures([orphanConnect()]))).toBe('-----f-h|', {
        f: finding('PRX-004', {
          pid: 101,
          event: 'connect',
          data: { remote: ADDR, currentParentPid: 1, spawnParent: { pid: 100, name: 'sshd', exe: '' }, orphanedAt: w.epoch(5n * S), sinceOrphanedNs: 1n * S },
        }),
        h: finding('PRX-004', { pid: 101, data: { sinceOrphanedNs: 65n * S } }),
      });
    });
  });

  it('fires from the tree alone when the parent died before the recording (no exit seen)', () => {
    const w = world();
    const init = w.init;
    const orphan = w.process({ pid: 300, comm: 'nc', exe: '/usr/bin/nc', parent: init });
    const spawnedBy = w.process({ pid: 299, comm: 'sh' });
    const child = w.fork(spawnedBy, { pid: 301 });
    w.exit(spawnedBy); // reparents 301 to init, but that exit is not fed below
    const c = w.syscall(child.child, 'connect', { args: { addr: ADDR } });
    const quiet = w.syscall(orphan, 'connect', { args: { addr: ADDR } }); // never reparented: spawn parent = init
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('abc|', { a: child.event, b: c, c: quiet }).pipe(enrich(), runSignatures([orphanConnect()]))).toBe('-b-|', {
        b: finding('PRX-004', { pid: 301, data: { currentParentPid: 1, spawnParent: { pid: 299, name: 'sh', exe: '' } } }),
      });
    });
  });

  it('keeps state per subscription', () => {
    const { values } = scenario();
    const sig = orphanConnect({ windowNs: 1000n * S });
    marbleTest(({ cold, expectFindings }) => {
      const events$ = cold<Envelope>('abcdefgh|', values).pipe(enrich(), runSignatures([sig]));
      expectFindings(events$).toBe('-----f--|', { f: finding('PRX-004') });
      expectFindings(events$).toBe('-----f--|', { f: finding('PRX-004') });
    });
  });
});
