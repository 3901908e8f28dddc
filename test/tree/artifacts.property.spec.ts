/**
 * Artifacts as of T, against replays of the events up to T (fast-check): with bounds that never
 * fold, the answer equals a naive model (a map per kind, counted by hand); with small bounds
 * (folding, lists shifting), it equals a store fed only the events up to T, whenever the answer
 * is complete — and it is complete when nothing was lost (the change log never wrapped, no list
 * dropped an item); an incomplete answer is as of a stated later time.
 */
import fc from 'fast-check';
import { world } from '../../marbles/index.js';
import type { Envelope } from '../../src/streams/types.js';
import { ArtifactStore, type ArtifactLimits, type ProcessArtifacts } from '../../src/tree/artifacts/artifactStore.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';

const S = 1_000_000_000n;
const PATHS = ['/etc/hosts', '/tmp/x', '/srv/a', '/srv/b', '/var/log/y'];
const FLAGS = ['O_RDONLY', 'O_RDONLY|O_CLOEXEC', 'O_WRONLY|O_CREAT|O_TRUNC', 'O_RDWR'];
const ADDRS = ['10.0.0.1', '10.0.0.2', '192.0.2.7'];
const NAMES = ['a.example', 'b.example', 'c.example'];

/** One generated event: which process, what, and how far after the previous one (0: same time). */
type Step =
  | { readonly proc: number; readonly gap: number; readonly kind: 'open'; readonly path: number; readonly flags: number }
  | { readonly proc: number; readonly gap: number; readonly kind: 'connect'; readonly addr: number; readonly port: number }
  | { readonly proc: number; readonly gap: number; readonly kind: 'dns'; readonly name: number }
  | { readonly proc: number; readonly gap: number; readonly kind: 'setuid'; readonly uid: number }
  | { readonly proc: number; readonly gap: number; readonly kind: 'other' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ proc: fc.nat(2), gap: fc.nat(2), kind: fc.constant('open' as const), path: fc.nat(PATHS.length - 1), flags: fc.nat(FLAGS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ proc: fc.nat(2), gap: fc.nat(2), kind: fc.constant('connect' as const), addr: fc.nat(ADDRS.length - 1), port: fc.constantFrom(80, 443, 4444) }) },
  { weight: 1, arbitrary: fc.record({ proc: fc.nat(2), gap: fc.nat(2), kind: fc.constant('dns' as const), name: fc.nat(NAMES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ proc: fc.nat(2), gap: fc.nat(2), kind: fc.constant('setuid' as const), uid: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ proc: fc.nat(2), gap: fc.nat(2), kind: fc.constant('other' as const) }) },
);

/** The steps as events of three processes (times non-decreasing), with each event's time. */
function eventsOf(steps: readonly Step[]) {
  const w = world();
  const root = w.process({ pid: 10, comm: 'sh' });
  const forks = [0, 1, 2].map((i) => w.fork(root, { pid: 100 + i, at: 1n * S + BigInt(i) }));
  const events: { env: Envelope; time: bigint; proc: number; step: Step | undefined }[] = forks.map((f, i) => ({ env: f.event, time: w.epoch(1n * S + BigInt(i)), proc: i, step: undefined }));
  let t = 2n * S;
  for (const s of steps) {
    t += BigInt(s.gap) * S;
    const task = forks[s.proc]!.child;
    const env =
      s.kind === 'open'
        ? w.syscall(task, 'openat', { args: { dirfd: -100, pathname: PATHS[s.path]!, flags: FLAGS[s.flags]!, mode: 0 }, at: t })
        : s.kind === 'connect'
          ? w.syscall(task, 'connect', { args: { sockfd: 3, addr: { sa_family: 'AF_INET', sin_port: String(s.port), sin_addr: ADDRS[s.addr]! } }, at: t })
          : s.kind === 'dns'
            ? w.syscall(task, 'net_packet_dns', { args: { proto_dns: { questions: [{ name: NAMES[s.name]!, type: 'A' }] } }, at: t })
            : s.kind === 'setuid'
              ? w.syscall(task, 'setuid', { args: { uid: s.uid }, at: t })
              : w.syscall(task, 'getpid', { at: t });
    events.push({ env, time: w.epoch(t), proc: s.proc, step: s });
  }
  return { w, ids: forks.map((f) => f.child.entityId), events };
}

const feed = (events: readonly { env: Envelope }[], limits: ArtifactLimits): ArtifactStore => {
  const artifacts = new ArtifactStore(limits);
  const builder = new TreeBuilder({ artifacts });
  for (const e of events) builder.applyEnvelope(e.env);
  return artifacts;
};

/** What the naive model answers for process `proc` from the steps up to `time`: counts and first/last times per key, by hand. */
function naive(events: readonly { time: bigint; proc: number; step: Step | undefined }[], proc: number, time: bigint) {
  const files = new Map<string, { count: number; first: bigint; last: bigint }>();
  const peers = new Map<string, { count: number; first: bigint; last: bigint }>();
  const dns = new Map<string, { count: number; first: bigint; last: bigint }>();
  const syscalls = new Map<string, number>();
  const credentials: bigint[] = [];
  const use = (m: Map<string, { count: number; first: bigint; last: bigint }>, key: string, t: bigint) => {
    const e = m.get(key);
    if (e === undefined) m.set(key, { count: 1, first: t, last: t });
    else {
      e.count++;
      e.last = t;
    }
  };
  for (const { time: t, proc: p, step: s } of events) {
    if (p !== proc || t > time || s === undefined) continue;
    const name = s.kind === 'open' ? 'openat' : s.kind === 'dns' ? 'net_packet_dns' : s.kind === 'other' ? 'getpid' : s.kind;
    syscalls.set(name, (syscalls.get(name) ?? 0) + 1);
    if (s.kind === 'open') use(files, `${/WRONLY|RDWR|CREAT|TRUNC/.test(FLAGS[s.flags]!) ? 'write' : 'open'} ${PATHS[s.path]}`, t);
    else if (s.kind === 'connect') use(peers, `${ADDRS[s.addr]}:${s.port}`, t);
    else if (s.kind === 'dns') use(dns, NAMES[s.name]!, t);
    else if (s.kind === 'setuid') credentials.push(t);
  }
  const sorted = (m: Map<string, { count: number; first: bigint; last: bigint }>) => [...m].map(([k, v]) => `${k} ×${v.count} ${v.first}…${v.last}`).sort();
  return { files: sorted(files), peers: sorted(peers), dns: sorted(dns), syscalls: Object.fromEntries([...syscalls].sort()), credentials };
}

const summaryOf = (a: ProcessArtifacts) => ({
  files: a.files.map((f) => `${f.op} ${f.path} ×${f.count} ${f.firstTime}…${f.lastTime}`).sort(),
  peers: a.network.map((n) => `${n.address}:${n.port} ×${n.count} ${n.firstTime}…${n.lastTime}`).sort(),
  dns: a.dns.map((d) => `${d.name} ×${d.count} ${d.firstTime}…${d.lastTime}`).sort(),
  syscalls: Object.fromEntries(Object.entries(a.syscalls).filter(([k]) => !k.startsWith('sched_process_')).sort()),
  credentials: a.credentials.map((c) => c.time),
});

const seed = process.env['FC_SEED'] === undefined ? {} : { seed: Number(process.env['FC_SEED']) };
/** A time to ask at: an event's time (a change at T is visible at T), or just before one. */
const askAt = fc.record({ index: fc.nat(), before: fc.boolean() });

describe('artifacts as of T (property)', () => {
  it('without folding: the answer as of T equals a naive count of the events up to T', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.array(askAt, { minLength: 1, maxLength: 5 }), (steps, asks) => {
        const { ids, events } = eventsOf(steps);
        const store = feed(events, {});
        for (const { index, before } of asks) {
          const time = events[index % events.length]!.time - (before ? 1n : 0n);
          for (let proc = 0; proc < ids.length; proc++) {
            const a = store.at(ids[proc]!, time);
            // no answer: the process had no event of its own at all
            if (a === undefined) expect(events.some((e) => e.proc === proc && e.step !== undefined)).toBe(false);
            else {
              expect(a.complete).toBe(true);
              expect(summaryOf(a)).toEqual(naive(events, proc, time));
            }
          }
        }
      }),
      { numRuns: 150, ...seed },
    );
  });

  it('with small bounds (folds, shifted lists): the answer as of T equals a store fed only the events up to T, when complete; complete when nothing was lost', () => {
    const limits: ArtifactLimits = { filesPerProcess: 2, peersPerProcess: 1, dnsPerProcess: 1, eventsPerProcess: 2, syscallsPerProcess: 3 };
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.array(askAt, { minLength: 1, maxLength: 5 }), fc.integer({ min: 8, max: 200 }), (steps, asks, maxChanges) => {
        const { ids, events } = eventsOf(steps);
        const store = feed(events, { ...limits, maxChanges });
        for (const { index, before } of asks) {
          const time = events[index % events.length]!.time - (before ? 1n : 0n);
          const replay = feed(
            events.filter((e) => e.time <= time),
            limits,
          );
          const wrapped = store.footprint().changes >= maxChanges;
          for (const id of ids) {
            const a = store.at(id, time);
            const b = replay.at(id, time);
            if (b === undefined) {
              // nothing of the process up to T: the full store has nothing as of T either
              if (a !== undefined && a.complete) expect(summaryOf(a)).toEqual({ files: [], peers: [], dns: [], syscalls: {}, credentials: [] });
              continue;
            }
            expect(a).toBeDefined();
            if (a === undefined) continue;
            // nothing lost (the log never wrapped, no list dropped an item, no use folded with nothing to fold): exact
            const now = store.at(id, events[events.length - 1]!.time)!;
            if (!wrapped && now.folded.events.entries === 0 && now.folded.executions.entries === 0) expect(a.complete).toBe(true);
            if (!a.complete) {
              // the answer is as of a later, stated time, never earlier than asked
              expect(a.time > time).toBe(true);
              continue;
            }
            expect({ ...a, time: 0n }).toEqual({ ...b, time: 0n });
          }
        }
      }),
      { numRuns: 150, ...seed },
    );
  });
});
