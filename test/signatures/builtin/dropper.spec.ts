import { finding, testSignature, world } from '../../../marbles/index.js';
import { dropper } from '../../../src/signatures/builtin/dropper.js';
import type { Envelope } from '../../../src/streams/types.js';

const S = 1_000_000_000n;
const WRITE = 'O_WRONLY|O_CREAT|O_TRUNC';

/** `writerExe` writes /tmp/.x (how: openat with `flags`), then a sibling runs it `execAfter` s later. */
function writeThenRun(opts: { writerExe?: string; flags?: string; execAfter?: bigint; event?: string; selfRuns?: boolean } = {}) {
  const w = world();
  const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const writer = w.fork(bash, { pid: 101, at: 1n * S });
  const writerExe = opts.writerExe ?? '/usr/bin/curl';
  const writerExec = w.exec(writer.child, { path: writerExe, at: 1n * S + 1000n });
  const event = opts.event ?? 'openat';
  const args = event === 'openat' ? { dirfd: -100, pathname: '/tmp/.x', flags: opts.flags ?? WRITE, mode: 493 } : event === 'rename' ? { oldpath: '/tmp/.x.part', newpath: '/tmp/.x' } : { pathname: '/tmp/.x' };
  const write = w.syscall(writer.child, event, { args, at: 2n * S });
  const at = 2n * S + (opts.execAfter ?? 1n) * S;
  if (opts.selfRuns === true) {
    const run = w.exec(writer.child, { path: '/tmp/.x', at });
    const values: Record<string, Envelope> = { a: writer.event, b: writerExec, c: write, d: run };
    return { w, writer: writer.child, values, marbles: 'abcd|' };
  }
  const runner = w.fork(bash, { pid: 102, at: at - 1000n });
  const run = w.exec(runner.child, { path: '/tmp/.x', at });
  const values: Record<string, Envelope> = { a: writer.event, b: writerExec, c: write, d: runner.event, e: run };
  return { w, writer: writer.child, values, marbles: 'abcde|' };
}

describe('PRX-006 dropper', () => {
  it('hit: curl writes /tmp/.x, a sibling runs it a second later', () => {
    const { w, writer, values, marbles } = writeThenRun();
    testSignature(dropper(), { marbles, values }, {
      marbles: '----x|',
      values: {
        x: finding('PRX-006', {
          pid: 102,
          event: 'sched_process_exec',
          data: { path: '/tmp/.x', writer: { entityId: writer.entityId, pid: 101, name: 'curl', exe: '/usr/bin/curl' }, writtenAt: w.epoch(2n * S), sinceWrittenNs: 1n * S },
        }),
      },
    });
  });

  it.each(['rename', 'magic_write'])('hit: written by %s', (event) => {
    const { values, marbles } = writeThenRun({ event });
    testSignature(dropper(), { marbles, values }, { marbles: '----x|', values: { x: finding('PRX-006', { pid: 102, data: { path: '/tmp/.x' } }) } });
  });

  it('look-alike: the file was only read by the other process (no write flags)', () => {
    const { values, marbles } = writeThenRun({ flags: 'O_RDONLY|O_CLOEXEC' });
    testSignature(dropper(), { marbles, values }, '-----|');
  });

  it('look-alike: a linker wrote it (a build, then its test run)', () => {
    const { values, marbles } = writeThenRun({ writerExe: '/usr/bin/ld.bfd' });
    testSignature(dropper(), { marbles, values }, '-----|');
  });

  it('look-alike: run long after the write (outside the window), or by the process that wrote it', () => {
    const late = writeThenRun({ execAfter: 3600n });
    testSignature(dropper(), { marbles: late.marbles, values: late.values }, '-----|');
    const self = writeThenRun({ selfRuns: true });
    testSignature(dropper(), { marbles: self.marbles, values: self.values }, '----|');
  });

  describe('relative paths (resolved against the working directory the events show)', () => {
    /**
     * sh (101) changes to `cwd` (`chdirFails`: the chdir returns -ENOENT), then forks curl (102),
     * which inherits it and writes `written` (openat with `dirfd`); a sibling (103) runs /tmp/.x.
     */
    function relative(opts: { cwd?: string; chdirFails?: boolean; written?: string; dirfd?: number } = {}) {
      const w = world();
      const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
      const sh = w.fork(bash, { pid: 101, at: 1n * S });
      const shExec = w.exec(sh.child, { path: '/usr/bin/dash', at: 1n * S + 1000n });
      const chdir = w.syscall(sh.child, 'chdir', { args: { path: opts.cwd ?? '/tmp' }, returnValue: opts.chdirFails === true ? -2 : 0, at: 1n * S + 2000n });
      const curl = w.fork(sh.child, { pid: 102, at: 2n * S });
      const curlExec = w.exec(curl.child, { path: '/usr/bin/curl', at: 2n * S + 1000n });
      const write = w.syscall(curl.child, 'openat', { args: { dirfd: opts.dirfd ?? -100, pathname: opts.written ?? './.x', flags: WRITE, mode: 493 }, at: 3n * S });
      const runner = w.fork(bash, { pid: 103, at: 4n * S });
      const run = w.exec(runner.child, { path: '/tmp/.x', at: 4n * S + 1000n });
      const values: Record<string, Envelope> = { a: sh.event, b: shExec, c: chdir, d: curl.event, e: curlExec, f: write, g: runner.event, h: run };
      return { w, curl: curl.child, values, marbles: 'abcdefgh|' };
    }

    it('hit: ./.x written under a working directory inherited from the parent (chdir /tmp), run as /tmp/.x', () => {
      const { w, curl, values, marbles } = relative();
      testSignature(dropper(), { marbles, values }, {
        marbles: '-------x|',
        values: {
          x: finding('PRX-006', {
            pid: 103,
            data: { path: '/tmp/.x', writer: { entityId: curl.entityId, pid: 102, name: 'curl', exe: '/usr/bin/curl' }, writtenAt: w.epoch(3n * S) },
          }),
        },
      });
    });

    it('hit: a relative path with .. (chdir /tmp/build, wrote ../.x)', () => {
      const { values, marbles } = relative({ cwd: '/tmp/build', written: '../.x' });
      testSignature(dropper(), { marbles, values }, { marbles: '-------x|', values: { x: finding('PRX-006', { pid: 103, data: { path: '/tmp/.x' } }) } });
    });

    it('look-alike: ./.x written under another directory (chdir /home/u) is not the /tmp/.x that runs', () => {
      const { values, marbles } = relative({ cwd: '/home/u' });
      testSignature(dropper(), { marbles, values }, '--------|');
    });

    it('look-alike: the chdir failed (the working directory stayed unknown), or the path is relative to another directory fd', () => {
      const failed = relative({ chdirFails: true });
      testSignature(dropper(), { marbles: failed.marbles, values: failed.values }, '--------|');
      const dirfd = relative({ dirfd: 5 });
      testSignature(dropper(), { marbles: dirfd.marbles, values: dirfd.values }, '--------|');
    });
  });
});
