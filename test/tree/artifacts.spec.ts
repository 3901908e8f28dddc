/**
 * Per-process artifacts: what the table feeds, as-of answers, the bounds (folded, never lost
 * silently), and memory flat under churn (entries counted, no timing).
 */
import { world } from '../../marbles/index.js';
import { argRanges, argsOf, valueIn } from '../../src/streams/argsOf.js';
import { stringifyExact } from '../../src/streams/exactNumbers.js';
import { artifactsJson } from '../../src/tree/artifacts/artifactJson.js';
import { resolvePath } from '../../src/tree/artifacts/resolvePath.js';
import { parseEventLine } from '../../src/streams/parseEventLine.js';
import { ArtifactStore } from '../../src/tree/artifacts/artifactStore.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import * as E from 'fp-ts/lib/Either.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const S = 1_000_000_000n;
const ADDR = { sa_family: 'AF_INET', sin_port: '4444', sin_addr: '10.0.0.9' };

function scenario() {
  const w = world();
  const sh = w.process({ pid: 100, comm: 'sh', exe: '/usr/bin/dash' });
  const curl = w.fork(sh, { pid: 101, at: 1n * S });
  const events = [
    curl.event,
    w.exec(curl.child, { path: '/usr/bin/curl', at: 2n * S }),
    w.syscall(curl.child, 'connect', { args: { sockfd: 3, addr: ADDR }, at: 3n * S }),
    w.syscall(curl.child, 'openat', { args: { dirfd: -100, pathname: '/tmp/x', flags: 'O_WRONLY|O_CREAT|O_TRUNC', mode: 420 }, at: 4n * S }),
    w.syscall(curl.child, 'openat', { args: { dirfd: -100, pathname: '/etc/hosts', flags: 'O_RDONLY|O_CLOEXEC', mode: 0 }, at: 5n * S }),
    w.syscall(curl.child, 'openat', { args: { dirfd: -100, pathname: '/etc/hosts', flags: 'O_RDONLY|O_CLOEXEC', mode: 0 }, at: 6n * S }),
    w.syscall(curl.child, 'chmod', { args: { pathname: '/tmp/x', mode: 493 }, at: 7n * S }),
    w.syscall(curl.child, 'setuid', { args: { uid: 0 }, at: 7n * S }),
    w.syscall(curl.child, 'not_an_artifact_event', { args: { x: 1 }, at: 8n * S }),
  ];
  const runner = w.fork(sh, { pid: 102, at: 9n * S });
  events.push(runner.event, w.exec(runner.child, { path: '/tmp/x', at: 10n * S }));
  return { w, sh, curl: curl.child, runner: runner.child, events };
}

describe('ArtifactStore', () => {
  it('accumulates files, network, executions (with who wrote the binary), credentials and per-name counts', () => {
    const { w, curl, runner, events } = scenario();
    const artifacts = new ArtifactStore();
    const builder = new TreeBuilder({ artifacts });
    for (const e of events) builder.applyEnvelope(e);
    const a = artifacts.at(curl.entityId, w.epoch(20n * S))!;
    expect(a.complete).toBe(true);
    expect(a.files).toEqual([
      { op: 'write', path: '/tmp/x', flags: 'O_WRONLY|O_CREAT|O_TRUNC', count: 1, firstTime: w.epoch(4n * S), lastTime: w.epoch(4n * S) },
      { op: 'open', path: '/etc/hosts', flags: 'O_RDONLY|O_CLOEXEC', count: 2, firstTime: w.epoch(5n * S), lastTime: w.epoch(6n * S) },
      { op: 'chmod', path: '/tmp/x', flags: '', count: 1, firstTime: w.epoch(7n * S), lastTime: w.epoch(7n * S) },
    ]);
    expect(a.network).toEqual([{ op: 'connect', family: 'AF_INET', address: '10.0.0.9', port: 4444, count: 1, firstTime: w.epoch(3n * S), lastTime: w.epoch(3n * S) }]);
    expect(a.executions).toEqual([{ time: w.epoch(2n * S), path: '/usr/bin/curl', writtenBy: undefined }]);
    expect(a.credentials).toEqual([{ time: w.epoch(7n * S), event: 'setuid', detail: { uid: 0 } }]);
    expect(a.syscalls).toEqual({ sched_process_exec: 1, connect: 1, openat: 3, chmod: 1, setuid: 1, not_an_artifact_event: 1 });
    const r = artifacts.at(runner.entityId, w.epoch(20n * S))!;
    expect(r.executions).toEqual([{ time: w.epoch(10n * S), path: '/tmp/x', writtenBy: { entityId: curl.entityId, time: w.epoch(4n * S) } }]);
    expect(artifacts.summary(curl.entityId)).toEqual({ files: 3, peers: 1, dns: 0, executions: 1, events: 1 });
  });

  it('answers as of any retained time: a change at T is visible at T, not before', () => {
    const { w, curl, events } = scenario();
    const artifacts = new ArtifactStore();
    const builder = new TreeBuilder({ artifacts });
    for (const e of events) builder.applyEnvelope(e);
    const at = (t: bigint) => artifacts.at(curl.entityId, w.epoch(t))!;
    expect(at(2n * S).files).toEqual([]);
    expect(at(2n * S).network).toEqual([]);
    expect(at(3n * S).network).toHaveLength(1);
    expect(at(5n * S).files.map((f) => [f.path, f.count, f.lastTime])).toEqual([
      ['/tmp/x', 1, w.epoch(4n * S)],
      ['/etc/hosts', 1, w.epoch(5n * S)],
    ]);
    expect(at(6n * S).files.map((f) => f.count)).toEqual([1, 2]);
    expect(at(6n * S).credentials).toEqual([]);
    expect(at(6n * S).syscalls).toEqual({ sched_process_exec: 1, connect: 1, openat: 3 });
    expect(at(1n * S).syscalls).toEqual({});
  });

  it('folds the rarest (then oldest) entries into counters beyond a bound, and as-of answers still see them before the fold', () => {
    const w = world();
    const p = w.process({ pid: 200, comm: 'scan' });
    const artifacts = new ArtifactStore({ filesPerProcess: 2 });
    const builder = new TreeBuilder({ artifacts });
    const open = (path: string, t: bigint) => builder.applyEnvelope(w.syscall(p, 'openat', { args: { dirfd: -100, pathname: path, flags: 'O_RDONLY' }, at: t * S }));
    open('/a', 1n);
    open('/a', 2n);
    open('/b', 3n);
    open('/c', 4n); // folds /b (1 use, vs /a's 2)
    const now = artifacts.at(p.entityId, w.epoch(10n * S))!;
    expect(now.files.map((f) => f.path)).toEqual(['/a', '/c']);
    expect(now.folded.files).toEqual({ entries: 1, events: 1 });
    const before = artifacts.at(p.entityId, w.epoch(3n * S))!;
    expect(before.files.map((f) => f.path)).toEqual(['/a', '/b']);
    expect(before.folded.files).toEqual({ entries: 0, events: 0 });
    expect(before.complete).toBe(true);
  });

  it('writes its JSON as stringifyExact does (every kind, a writer, details, folded counts)', () => {
    const { w, curl, runner, events } = scenario();
    const artifacts = new ArtifactStore({ filesPerProcess: 2 });
    const builder = new TreeBuilder({ artifacts });
    for (const e of events) builder.applyEnvelope(e);
    builder.applyEnvelope(w.syscall(curl, 'net_packet_dns', { args: { proto_dns: { questions: [{ name: 'evil.example', type: 'A' }] } }, at: 11n * S }));
    builder.applyEnvelope(w.syscall(curl, 'ptrace', { args: { request: 'PTRACE_ATTACH', pid: 7 }, at: 12n * S }));
    builder.applyEnvelope(w.syscall(curl, 'finit_module', { args: { fd: 3, param_values: { a: 'x"y' } }, at: 13n * S }));
    for (const id of [curl.entityId, runner.entityId]) {
      for (const t of [3n, 6n, 20n]) {
        const a = artifacts.at(id, w.epoch(t * S))!;
        expect(artifactsJson(a)).toBe(stringifyExact(a));
      }
    }
    const a = artifacts.at(curl.entityId, w.epoch(20n * S))!;
    expect(a.folded.files.entries).toBe(1);
    expect(a.dns).toHaveLength(1);
    expect(a.ptrace).toHaveLength(1);
    expect(a.modules).toHaveLength(1);
    expect(artifacts.at(runner.entityId, w.epoch(20n * S))!.executions[0]!.writtenBy).toBeDefined();
  });

  it('says when an answer is older than the retained changes (complete: false)', () => {
    const w = world();
    const p = w.process({ pid: 200, comm: 'busy' });
    const artifacts = new ArtifactStore({ maxChanges: 3 });
    const builder = new TreeBuilder({ artifacts });
    for (let i = 1n; i <= 6n; i++) builder.applyEnvelope(w.syscall(p, 'openat', { args: { pathname: '/f', flags: 0 }, at: i * S }));
    expect(artifacts.at(p.entityId, w.epoch(10n * S))!.complete).toBe(true);
    expect(artifacts.at(p.entityId, w.epoch(4n * S))).toMatchObject({ complete: true, files: [{ count: 4 }] });
    // changes at 1 s … 3 s are gone: as of 2 s is not retained; the answer says so and is the state as of 3 s (exact)
    expect(artifacts.at(p.entityId, w.epoch(2n * S))).toMatchObject({ complete: false, time: w.epoch(3n * S), files: [{ count: 3, lastTime: w.epoch(3n * S) }] });
    expect(artifacts.at(p.entityId, w.epoch(3n * S))).toMatchObject({ complete: true, time: w.epoch(3n * S), files: [{ count: 3 }] });
    expect(artifacts.footprint().changes).toBe(3);
  });

  it('ignores malformed and unknown arguments without throwing', () => {
    const w = world();
    const p = w.process({ pid: 300, comm: 'x' });
    const artifacts = new ArtifactStore();
    const builder = new TreeBuilder({ artifacts });
    builder.applyEnvelope(w.syscall(p, 'connect', { args: { addr: null }, at: 1n * S }));
    builder.applyEnvelope(w.syscall(p, 'connect', { args: { addr: 'garbage' }, at: 2n * S }));
    builder.applyEnvelope(w.syscall(p, 'openat', { args: { pathname: 42 }, at: 3n * S }));
    builder.applyEnvelope(w.syscall(p, 'net_packet_dns', { args: { proto_dns: { questions: [{ name: 'evil.example', type: 'A' }, null] } }, at: 4n * S }));
    const a = artifacts.at(p.entityId, w.epoch(5n * S))!;
    expect(a.network).toEqual([]);
    expect(a.dns.map((d) => d.name)).toEqual(['evil.example']);
    expect(a.syscalls).toEqual({ connect: 2, openat: 1, net_packet_dns: 1 });
  });

  it('keeps memory flat under churn: entries of evicted processes go with them', () => {
    const w = world();
    const root = w.process({ pid: 10, comm: 'sh' });
    const artifacts = new ArtifactStore({ maxChanges: 10_000 });
    const builder = new TreeBuilder({ artifacts, processCacheSize: 64, threadCacheSize: 64, history: { maxVersions: 16 } });
    const sizes: number[] = [];
    let pid = 1000;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 50; i++) {
        const child = w.fork(root, { pid: pid++ });
        builder.applyEnvelope(child.event);
        for (let k = 0; k < 5; k++) builder.applyEnvelope(w.syscall(child.child, 'openat', { args: { pathname: `/data/${pid}/${k}`, flags: 'O_RDONLY' } }));
        builder.applyEnvelope(w.syscall(child.child, 'connect', { args: { addr: { ...ADDR, sin_port: String(pid) } } }));
        builder.applyEnvelope(w.exit(child.child));
      }
      const f = artifacts.footprint();
      sizes.push(f.processes + f.entries);
    }
    expect(artifacts.footprint().processes).toBeLessThanOrEqual(65);
    // after warm-up, the count stays within the bound (no growth with the number of rounds)
    expect(Math.max(...sizes.slice(10))).toBeLessThanOrEqual(65 * 7);
    expect(Math.max(...sizes.slice(20))).toBe(Math.max(...sizes.slice(10, 20)));
    expect(artifacts.footprint().changes).toBeLessThanOrEqual(10_000);
  });
});

describe('resolvePath', () => {
  it('resolves lexically against the working directory, never above /', () => {
    expect(resolvePath('/tmp/build', './x')).toBe('/tmp/build/x');
    expect(resolvePath('/tmp/build', '../bin//y/.')).toBe('/tmp/bin/y');
    expect(resolvePath('/', '../../etc/passwd')).toBe('/etc/passwd');
    expect(resolvePath('/tmp', '/usr//bin/../sbin/z')).toBe('/usr/sbin/z');
  });
});

describe('ArtifactStore: relative paths', () => {
  it('keeps a relative path as printed while the working directory is unknown, and resolves it once a chdir shows it', () => {
    const w = world();
    const p = w.process({ pid: 400, comm: 'x' });
    const artifacts = new ArtifactStore();
    const builder = new TreeBuilder({ artifacts });
    builder.applyEnvelope(w.syscall(p, 'openat', { args: { dirfd: -100, pathname: 'a', flags: 'O_RDONLY' }, at: 1n * S }));
    builder.applyEnvelope(w.syscall(p, 'chdir', { args: { path: '/srv' }, at: 2n * S }));
    builder.applyEnvelope(w.syscall(p, 'openat', { args: { dirfd: -100, pathname: 'a', flags: 'O_RDONLY' }, at: 3n * S }));
    builder.applyEnvelope(w.syscall(p, 'chdir', { args: { path: 'data' }, at: 4n * S }));
    builder.applyEnvelope(w.syscall(p, 'open', { args: { pathname: 'b', flags: 'O_WRONLY|O_CREAT' }, at: 5n * S }));
    builder.applyEnvelope(w.syscall(p, 'openat', { args: { dirfd: 7, pathname: 'c', flags: 'O_RDONLY' }, at: 6n * S }));
    builder.applyEnvelope(w.syscall(p, 'fchdir', { args: { fd: 7 }, at: 7n * S }));
    builder.applyEnvelope(w.syscall(p, 'openat', { args: { dirfd: -100, pathname: 'd', flags: 'O_RDONLY' }, at: 8n * S }));
    expect(artifacts.at(p.entityId, w.epoch(9n * S))!.files.map((f) => `${f.op} ${f.path}`)).toEqual(['open a', 'open /srv/a', 'write /srv/data/b', 'open c', 'open d']);
    expect(artifacts.writerOf('/srv/data/b', w.epoch(9n * S))?.entityId).toBe(p.entityId);
  });
});

describe('argsOf', () => {
  const line = (args: string, tail = '') =>
    `{"timestamp":1795582946602942699,"threadStartTime":1795582946601879724,"processId":1,"threadId":1,"hostProcessId":1,"hostThreadId":1,"processName":"x","eventName":"openat"${tail},"args":${args}}`;
  const envOf = (raw: string) => {
    const r = parseEventLine(raw, { source: 't', line: 1 });
    if (E.isLeft(r)) throw new Error(r.left);
    return r.right;
  };

  it('reads the last top-level args array, as JSON.parse does', () => {
    expect(argsOf(envOf(line('[{"name":"pathname","type":"const char*","value":"/a,\\"args\\":[x"}]'))).get('pathname')).toBe('/a,"args":[x');
    expect(argsOf(envOf(line('[{"name":"pathname","value":{"n":1,"args":[1]}}]'))).get('pathname')).toEqual({ n: 1, args: [1] });
    expect(argsOf(envOf(line('[{"name":"pathname","value":"/b"}]', ',"metadata":{"args":[1]}'))).get('pathname')).toBe('/b');
  });

  it('falls back to the parsed event when args is not last', () => {
    const raw = line('[{"name":"pathname","value":"/c"}]').replace(/}$/, ',"extra":{"args":[{"name":"pathname","value":"/fake"}]}}');
    expect(argsOf(envOf(raw)).get('pathname')).toBe('/c');
  });
});

describe('argsOf over real lines', () => {
  it('reads the same values as JSON.parse of every fixture line, for any wanted names', () => {
    const dir = join(__dirname, '..', 'fixtures', 'tracee');
    let checked = 0;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ndjson'))) {
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .forEach((l, i) => {
          const r = parseEventLine(l, { source: f, line: i + 1 });
          if (E.isLeft(r)) return;
          const args = (JSON.parse(l) as { args?: { name: string; value: unknown }[] }).args ?? [];
          const expected = new Map(args.map((a) => [a.name, a.value]));
          const wanted = new Set([...expected.keys(), 'absent']);
          expect(new Map(argsOf(r.right, wanted))).toEqual(expected);
          checked++;
        });
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('argRanges: the value ranges of any wanted names hold the values JSON.parse reads, on every fixture line it scans', () => {
    const dir = join(__dirname, '..', 'fixtures', 'tracee');
    let scanned = 0;
    let refused = 0;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ndjson'))) {
      for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) {
        if (l === '') continue;
        let parsed: { args?: { name: string; value: unknown }[] };
        try {
          parsed = JSON.parse(l) as typeof parsed;
        } catch {
          continue;
        }
        const args = Array.isArray(parsed.args) ? parsed.args : [];
        const names = [...new Set(args.map((a) => a.name)), 'absent'];
        const out = new Int32Array(2 * names.length);
        if (!argRanges(l, names, out)) {
          refused++;
          continue;
        }
        const byName = new Map(args.map((a) => [a.name, a.value]));
        names.forEach((n, k) => {
          expect(valueIn(l, out[2 * k]!, out[2 * k + 1]!)).toEqual(byName.get(n));
        });
        scanned++;
      }
    }
    expect(scanned).toBeGreaterThan(500);
    // lines in other layouts (v1beta1 `data`, no args) are refused, not misread
    expect(refused).toBeLessThan(scanned);
  });

  it('argRanges refuses what it does not scan: spaces, escaped names, args not last', () => {
    const base = `{"timestamp":1,"eventName":"openat"`;
    const out = new Int32Array(2);
    expect(argRanges(`${base},"args":[{"name" : "pathname", "value" : "/a"}]}`, ['pathname'], out)).toBe(false);
    expect(argRanges(`${base},"args":[{"name":"path\\u006eame","value":"/b"}]}`, ['pathname'], out)).toBe(false);
    expect(argRanges(`${base},"args":[{"name":"pathname","value":"/c"}],"x":1}`, ['pathname'], out)).toBe(false);
    // a nested look-alike is read as the value it is part of
    const nested = `${base},"args":[{"name":"pathname","value":{"args":[{"name":"pathname","value":"/fake"}]}}]}`;
    expect(argRanges(nested, ['pathname'], out)).toBe(true);
    expect(valueIn(nested, out[0]!, out[1]!)).toEqual({ args: [{ name: 'pathname', value: '/fake' }] });
    const lookAlike = `${base},"args":[{"name":"x","value":{"n":1,"args":[{"name":"pathname","value":"/fake"}]}}]}`;
    // the top-level array is the one read: no top-level pathname, as JSON.parse says
    expect(argRanges(lookAlike, ['pathname'], out)).toBe(true);
    expect(out[0]).toBe(-1);
    const good = `${base},"args":[{"name":"pathname","value":"/d\\n"},{"name":"pathname","value":"/e"}]}`;
    expect(argRanges(good, ['pathname'], out)).toBe(true);
    expect(valueIn(good, out[0]!, out[1]!)).toBe('/e');
  });

  it('falls back on layouts it does not scan (spaces, escapes in names) with the same answers', () => {
    const base = `{"timestamp":1795582946602942699,"threadStartTime":1795582946601879724,"processId":1,"threadId":1,"hostProcessId":1,"hostThreadId":1,"processName":"x","eventName":"openat"`;
    const env = (args: string) => {
      const r = parseEventLine(`${base},"args":${args}}`, { source: 't', line: 1 });
      if (E.isLeft(r)) throw new Error(r.left);
      return r.right;
    };
    const w = new Set(['pathname', 'flags']);
    expect(argsOf(env('[{"name" : "pathname", "value" : "/a"}]'), w).get('pathname')).toBe('/a');
    expect(argsOf(env('[{"name":"path\\u006eame","value":"/b"}]'), w).get('pathname')).toBe('/b');
    expect(argsOf(env('[{"name":"pathname","value":"/c\\n"},{"name":"flags","value":{"flags":2}}]'), w)).toEqual(new Map<string, unknown>([['pathname', '/c\n'], ['flags', { flags: 2 }]]));
    expect(argsOf(env('[null,{"name":"pathname","value":"/d"},{"value":1}]'), w).get('pathname')).toBe('/d');
  });
});
