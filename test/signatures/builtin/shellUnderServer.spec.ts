import { finding, marbleTest, world } from '../../../marbles/index.js';
import { enrich } from '../../../src/operators/enrich.js';
import { runSignatures } from '../../../src/signatures/runSignatures.js';
import { shellUnderServer } from '../../../src/signatures/builtin/shellUnderServer.js';
import type { Envelope } from '../../../src/streams/types.js';

describe('PRX-001 shellUnderServer', () => {
  // exe is '' for servers known only from event contexts: the tree takes no executable from a context
  it('fires when nginx → worker → sh, and not for a shell under a login shell', () => {
    const w = world();
    const nginx = w.process({ pid: 500, comm: 'nginx', exe: '/usr/sbin/nginx' });
    const worker = w.fork(nginx, { pid: 501 });
    const cgi = w.fork(worker.child, { pid: 502 });
    const sh = w.exec(cgi.child, { path: '/usr/bin/dash', cmdpath: '/bin/sh', argv: ['sh', '-c', 'id'] });
    const bash = w.process({ pid: 600, comm: 'bash', exe: '/usr/bin/bash' });
    const sub = w.fork(bash, { pid: 601 });
    const sh2 = w.exec(sub.child, { path: '/usr/bin/bash', argv: ['bash'] });
    const values = { a: worker.event, b: cgi.event, c: sh, d: sub.event, e: sh2 };
    marbleTest(({ cold, expectFindings }) => {
      const events$ = cold<Envelope>('a-b-c-d-e-|', values);
      expectFindings(events$.pipe(enrich(), runSignatures([shellUnderServer()]))).toBe('----a-----|', {
        a: finding('PRX-001', { pid: 502, comm: 'sh', data: { shell: 'dash', server: { pid: 501, name: 'nginx', exe: '', matched: 'nginx' }, depth: 1 } }),
      });
    });
  });

  it('fires for php-fpm8.2 by prefix, within the depth; not for a non-shell exec', () => {
    const w = world();
    const fpm = w.process({ pid: 700, comm: 'php-fpm8.2', exe: '/usr/sbin/php-fpm8.2' });
    const a = w.fork(fpm, { pid: 701 });
    const b = w.exec(a.child, { path: '/usr/bin/curl', argv: ['curl', 'http://x'] });
    const c = w.fork(a.child, { pid: 702 });
    const d = w.exec(c.child, { path: '/usr/bin/bash', argv: ['bash', '-i'] });
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('abcd|', { a: a.event, b, c: c.event, d }).pipe(enrich(), runSignatures([shellUnderServer()]))).toBe('---a|', {
        a: finding('PRX-001', { pid: 702, data: { shell: 'bash', depth: 2, server: { pid: 700, name: 'php-fpm8.2', exe: '', matched: 'php-fpm' } } }),
      });
    });
  });

  it('honours a narrowed server list', () => {
    const w = world();
    const node = w.process({ pid: 800, comm: 'node', exe: '/usr/bin/node' });
    const a = w.fork(node, { pid: 801 });
    const b = w.exec(a.child, { path: '/usr/bin/dash', cmdpath: '/bin/sh', argv: ['sh', '-c', 'git status'] });
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('ab|', { a: a.event, b }).pipe(enrich(), runSignatures([shellUnderServer({ servers: ['nginx'] })]))).toBe('--|');
    });
  });
});
