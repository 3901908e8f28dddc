/**
 * Model-based property test: random fork (process / thread) / exec / exit (thread / group)
 * sequences with increasing times are applied to the persistent tree (applyRecord) and to a plain
 * mutable reference model (Maps of objects). After each step both must answer alike; at the end
 * every kept version must still answer as it did (persistence), and the final tree queried at each
 * earlier step's time must answer as the model did then (time travel). Re-applying a record is a
 * no-op returning the identical tree.
 */
import fc from 'fast-check';
import * as O from 'fp-ts/lib/Option.js';
import type { EntityId, Nanos } from '../../src/streams/types.js';
import { applyRecord, applyRecords } from '../../src/tree/applyRecord.js';
import { emptyTree, type ProcessTree } from '../../src/tree/model.js';
import { idsToArray } from '../../src/tree/idSet.js';
import { processAt, threadAt } from '../../src/tree/queries.js';
import { fixedTree, procKey, ProcessTreeDataSource } from '../../src/tree/dataSource.js';
import { VersionNotRetainedError } from '../../src/tree/store.js';
import * as E from 'fp-ts/lib/Either.js';
import type { TreeRecord } from '../../src/tree/records.js';
import { at, exec, exit, forkProcess, forkThread, MS, procfs } from '../support/treeRecords.js';

interface MProcess {
  readonly id: EntityId;
  readonly pid: number;
  readonly start: Nanos;
  exit: Nanos | undefined;
  readonly parent: EntityId;
  exe: string;
  readonly children: Set<EntityId>;
  readonly threads: Set<EntityId>;
}
interface MThread {
  readonly id: EntityId;
  readonly tid: number;
  readonly leader: EntityId;
  readonly start: Nanos;
  exit: Nanos | undefined;
}

/** The reference: plain mutable maps, the obvious rules. */
class Model {
  readonly processes = new Map<EntityId, MProcess>();
  readonly threads = new Map<EntityId, MThread>();

  static alive(x: { start: Nanos; exit: Nanos | undefined }, t: Nanos): boolean {
    return x.start <= t && (x.exit === undefined || t < x.exit);
  }
  liveThreadsOf(p: MProcess, t: Nanos): MThread[] {
    return [...p.threads].map((id) => this.threads.get(id)!).filter((th) => Model.alive(th, t));
  }
  endThread(th: MThread, t: Nanos): void {
    if (th.exit === undefined) th.exit = t;
  }
}

/** What both sides must agree on, as plain data. */
interface Observation {
  readonly processes: { id: number; pid: number; alive: boolean; parent: number; exe: string; children: number[]; threads: number[] }[];
  readonly threads: { id: number; tid: number; alive: boolean; process: number }[];
}

const sorted = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);

function observeModel(m: Model, t: Nanos): Observation {
  return {
    processes: sorted(m.processes.keys()).map((id) => {
      const p = m.processes.get(id)!;
      return {
        id,
        pid: p.pid,
        alive: Model.alive(p, t),
        parent: p.parent,
        exe: p.exe,
        children: sorted([...p.children].filter((c) => Model.alive(m.processes.get(c)!, t))),
        threads: sorted(m.liveThreadsOf(p, t).map((th) => th.id)),
      };
    }),
    threads: sorted(m.threads.keys()).map((id) => {
      const th = m.threads.get(id)!;
      return { id, tid: th.tid, alive: Model.alive(th, t), process: th.leader };
    }),
  };
}

function observeTree(tree: ProcessTree, processIds: readonly number[], threadIds: readonly number[], t: Nanos): Observation {
  return {
    processes: processIds.map((id) => {
      const o = processAt(tree, id, t);
      if (O.isNone(o)) throw new Error(`process ${id} missing`);
      const p = o.value;
      return {
        id,
        pid: p.pid,
        alive: p.isAlive,
        parent: p.parentEntityId,
        exe: p.executionBinary.path,
        children: sorted([...p.childProcessesIds.values()]),
        threads: sorted([...p.threadsIds.values()]),
      };
    }),
    threads: threadIds.map((id) => {
      const o = threadAt(tree, id, t);
      if (O.isNone(o)) throw new Error(`thread ${id} missing`);
      return { id, tid: o.value.tid, alive: o.value.isAlive, process: o.value.processEntityId };
    }),
  };
}

type CommandKind = 'forkProcess' | 'forkThread' | 'exec' | 'exit';
interface Command {
  readonly kind: CommandKind;
  readonly pick: number;
  readonly group: boolean;
  readonly code: number;
  readonly path: number;
}

const commandArb: fc.Arbitrary<Command> = fc.record({
  kind: fc.constantFrom<CommandKind>('forkProcess', 'forkProcess', 'forkThread', 'exec', 'exit', 'exit'),
  pick: fc.nat({ max: 1000 }),
  group: fc.boolean(),
  code: fc.constantFrom(0, 256, 9, 139),
  path: fc.nat({ max: 3 }),
});

const ROOT = 0x80000001; // shares its low bits with 1
const T0 = at(10);
const STEP = 10n * MS; // > the 1 ms exec-duplicate window

/** Entity ids that stress the trie: alternately sharing the low 24 bits, and scattered. */
function idFor(n: number, used: Set<number>): number {
  let id = n % 2 === 1 ? ((n << 24) | 7) >>> 0 : Math.imul(n, 0x9e3779b1) >>> 0;
  while (id === 0 || used.has(id)) id = (id + 0x1000) >>> 0;
  used.add(id);
  return id;
}

/** Turns a command into a record valid in the model's current state, applying it to the model. */
function step(m: Model, c: Command, t: Nanos, ids: Set<number>, nextPid: { v: number }): TreeRecord | undefined {
  const liveProcs = sorted(m.processes.keys())
    .map((id) => m.processes.get(id)!)
    .filter((p) => Model.alive(p, t));
  const pick = <X>(xs: readonly X[]): X | undefined => (xs.length === 0 ? undefined : xs[c.pick % xs.length]);
  switch (c.kind) {
    case 'forkProcess': {
      const parent = pick(liveProcs);
      if (parent === undefined) return undefined;
      const id = idFor(ids.size + 1, ids);
      const pid = nextPid.v++;
      m.processes.set(id, { id, pid, start: t, exit: undefined, parent: parent.id, exe: parent.exe, children: new Set(), threads: new Set([id]) });
      m.threads.set(id, { id, tid: pid, leader: id, start: t, exit: undefined });
      parent.children.add(id);
      return forkProcess({ time: t, id, pid, parentId: parent.id, parentPid: parent.pid });
    }
    case 'forkThread': {
      const p = pick(liveProcs);
      if (p === undefined) return undefined;
      const id = idFor(ids.size + 1, ids);
      const tid = nextPid.v++;
      m.threads.set(id, { id, tid, leader: p.id, start: t, exit: undefined });
      p.threads.add(id);
      const parent = m.processes.get(p.parent);
      return forkThread({ time: t, id, tid, leaderId: p.id, pid: p.pid, parentId: p.parent, parentPid: parent?.pid ?? 0 });
    }
    case 'exec': {
      // only a live leader execs (the feed drops non-leader execs)
      const p = pick(liveProcs.filter((x) => Model.alive(m.threads.get(x.id)!, t)));
      if (p === undefined) return undefined;
      p.exe = `/bin/prog${c.path}`;
      for (const th of m.liveThreadsOf(p, t)) if (th.id !== p.id) m.endThread(th, t); // de_thread
      return exec({ time: t, id: p.id, path: p.exe });
    }
    case 'exit': {
      const live = sorted(m.threads.keys())
        .map((id) => m.threads.get(id)!)
        .filter((th) => Model.alive(th, t) && th.id !== ROOT);
      const th = pick(live);
      if (th === undefined) return undefined;
      const p = m.processes.get(th.leader)!;
      const last = m.liveThreadsOf(p, t).every((x) => x.id === th.id);
      // the kernel flags the last thread's exit as the group's; root never exits as a group
      const group = th.leader !== ROOT && (c.group || last);
      m.endThread(th, t);
      if (group) {
        if (p.exit === undefined) p.exit = t;
        for (const x of m.liveThreadsOf(p, t)) m.endThread(x, t);
      }
      return exit({ time: t, id: th.id, leaderId: th.leader, code: c.code, group });
    }
  }
}

interface Step {
  readonly record: TreeRecord;
  readonly t: Nanos;
  readonly expected: Observation;
  readonly processIds: number[];
  readonly threadIds: number[];
}

/** Runs the commands against the model: the root record, then one step (record + expectation) per usable command. */
function scenario(commands: readonly Command[]): { root: TreeRecord; steps: Step[] } {
  const m = new Model();
  const ids = new Set<number>([ROOT]);
  const nextPid = { v: 100 };
  const root = procfs({ time: T0, id: ROOT, pid: 1, startTime: T0, name: 'init', exe: '/sbin/init' });
  m.processes.set(ROOT, { id: ROOT, pid: 1, start: T0, exit: undefined, parent: 0, exe: '/sbin/init', children: new Set(), threads: new Set([ROOT]) });
  m.threads.set(ROOT, { id: ROOT, tid: 1, leader: ROOT, start: T0, exit: undefined });
  const steps: Step[] = [];
  let t = T0;
  for (const c of commands) {
    t += STEP;
    const record = step(m, c, t, ids, nextPid);
    if (record === undefined) continue;
    const expected = observeModel(m, t);
    steps.push({ record, t, expected, processIds: expected.processes.map((p) => p.id), threadIds: expected.threads.map((th) => th.id) });
  }
  return { root, steps };
}

/** Everything a tree holds, as plain data (to prove a tree object was not changed in place); the store's internal stamps (`_…`) are bookkeeping, not data. */
const fingerprint = (tree: ProcessTree): string =>
  JSON.stringify(
    {
      version: tree.version,
      time: tree.time,
      processes: tree.processes.values()
        .map((p) => ({ ...p, children: sorted(idsToArray(p.children)), threads: sorted(idsToArray(p.threads)) }))
        .sort((a, b) => a.id - b.id),
      threads: tree.threads.values().sort((a, b) => a.id - b.id),
      pids: sorted(tree.pids.keys()).map((pid) => tree.pids.get(pid)),
    },
    (k, v: unknown) => (k.startsWith('_') ? undefined : typeof v === 'bigint' ? `${v}n` : v),
  );

const startTree = (root: TreeRecord): ProcessTree => applyRecord(emptyTree({ maxFieldHistory: 1000 }), root);
const observeStep = (tree: ProcessTree, s: Step): Observation => observeTree(tree, s.processIds, s.threadIds, s.t);
const commandsArb = fc.array(commandArb, { minLength: 1, maxLength: 60 });

describe('tree vs a mutable reference model (fast-check)', () => {
  it('agrees at every step, keeps every version intact, answers the past from the present, and ignores duplicates', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const { root, steps } = scenario(commands);
        let tree = startTree(root);
        const kept: ProcessTree[] = [];
        for (const s of steps) {
          const before = tree;
          tree = applyRecord(tree, s.record);
          expect(tree).not.toBe(before);
          expect(tree.version).toBe(before.version + 1);
          expect(tree.time).toBe(s.t);
          // identity: the same record again (a duplicate) changes nothing
          expect(applyRecord(tree, s.record)).toBe(tree);
          expect(observeStep(tree, s)).toEqual(s.expected);
          expect(tree.processes.size).toBe(s.expected.processes.length);
          expect(tree.threads.size).toBe(s.expected.threads.length);
          kept.push(tree);
        }
        steps.forEach((s, i) => {
          // persistence: an old version answers exactly as it did
          expect(observeStep(kept[i]!, s)).toEqual(s.expected);
          // time travel: the newest version, asked about that time, answers the same
          expect(observeStep(tree, s)).toEqual(s.expected);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('applyRecords (transient batches) ends where one-by-one does, one version per batch, inputs untouched', () => {
    fc.assert(
      fc.property(commandsArb, fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 30 }), (commands, sizes) => {
        const { root, steps } = scenario(commands);
        let tree = startTree(root);
        const batches: { tree: ProcessTree; last: Step; print: string }[] = [];
        let i = 0;
        for (let b = 0; i < steps.length; b++) {
          const chunk = steps.slice(i, i + sizes[b % sizes.length]!);
          i += chunk.length;
          const before = tree;
          const beforePrint = fingerprint(before);
          tree = applyRecords(tree, chunk.map((s) => s.record));
          const last = chunk[chunk.length - 1]!;
          expect(tree.version).toBe(before.version + 1);
          expect(tree.time).toBe(last.t);
          expect(tree.edit).toBeUndefined();
          expect(observeStep(tree, last)).toEqual(last.expected);
          // inside the batch, as-of answers still go by each record's time
          for (const s of chunk) expect(observeStep(tree, s)).toEqual(s.expected);
          // the input tree is untouched by the batch
          expect(fingerprint(before)).toBe(beforePrint);
          // a batch of duplicates changes nothing
          expect(applyRecords(tree, chunk.map((s) => s.record))).toBe(tree);
          batches.push({ tree, last, print: fingerprint(tree) });
        }
        // every batch result still answers as it did, after later batches (no in-place change leaks out)
        for (const b of batches) {
          expect(fingerprint(b.tree)).toBe(b.print);
          expect(observeStep(b.tree, b.last)).toEqual(b.last.expected);
        }
        for (const s of steps) expect(observeStep(tree, s)).toEqual(s.expected);
      }),
      { numRuns: 100 },
    );
  });
});

describe('version-stamped store guarantees (fast-check, against the reference model)', () => {
  const kept = (commands: readonly Command[], retention?: { maxVersions?: number; maxSpanNs?: bigint }) => {
    const { root, steps } = scenario(commands);
    let tree = applyRecord(emptyTree({ maxFieldHistory: 1000, ...(retention === undefined ? {} : { retention }) }), root);
    const trees: ProcessTree[] = [];
    for (const s of steps) {
      tree = applyRecord(tree, s.record);
      trees.push(tree);
    }
    return { root, steps, trees, head: tree };
  };

  it('branching: applying to an older snapshot is correct, and neither the head nor the old snapshot changes', () => {
    fc.assert(
      fc.property(commandsArb, fc.nat(), (commands, pick) => {
        const { steps, trees, head } = kept(commands, { maxVersions: Number.POSITIVE_INFINITY });
        if (steps.length === 0) return;
        const k = pick % steps.length;
        const headPrint = fingerprint(head);
        const oldPrint = fingerprint(trees[k]!);
        // replay the rest of the history from version k: a branch of the store
        let branch = trees[k]!;
        for (const s of steps.slice(k + 1)) {
          branch = applyRecord(branch, s.record);
          expect(observeStep(branch, s)).toEqual(s.expected);
        }
        if (k + 1 < steps.length) expect(branch.store).not.toBe(head.store);
        expect(fingerprint(branch)).toBe(headPrint); // the branch ends where the head is
        expect(fingerprint(head)).toBe(headPrint);
        expect(fingerprint(trees[k]!)).toBe(oldPrint);
        steps.forEach((s, i) => expect(observeStep(trees[i]!, s)).toEqual(s.expected));
        // a different record on the old snapshot: the head still answers as before
        const other = applyRecord(trees[k]!, forkProcess({ time: steps[k]!.t + 1n, id: 88_888, pid: 88_888, parentId: steps[0]!.processIds[0]!, parentPid: 1 }));
        expect(other.version).toBe(trees[k]!.version + 1);
        expect(fingerprint(head)).toBe(headPrint);
      }),
      { numRuns: 60 },
    );
  });

  it('retention: retained snapshots answer exactly as they did; older ones throw "no longer retained", never a partial answer', () => {
    fc.assert(
      fc.property(commandsArb, fc.integer({ min: 1, max: 12 }), (commands, maxVersions) => {
        const { steps, trees, head } = kept(commands, { maxVersions });
        steps.forEach((s, i) => {
          const tree = trees[i]!;
          if (head.version - tree.version < maxVersions) {
            expect(tree.retained).toBe(true);
            expect(observeStep(tree, s)).toEqual(s.expected);
          } else {
            expect(tree.retained).toBe(false);
            expect(() => observeStep(tree, s)).toThrow(VersionNotRetainedError);
            expect(() => tree.processes.size).toThrow(/no longer retained/);
            expect(new ProcessTreeDataSource(fixedTree(tree)).get(procKey(s.processIds[0]!, s.t))).toEqual(E.left(`version ${tree.version} is no longer retained (oldest retained: ${head.version - maxVersions + 1}); pin a snapshot to keep it answering`));
            // writing from it is refused too
            expect(() => applyRecord(tree, s.record)).toThrow(VersionNotRetainedError);
          }
        });
        // the present still answers the past by time (per-field history below the horizon)
        for (const s of steps) expect(observeStep(head, s)).toEqual(s.expected);
      }),
      { numRuns: 80 },
    );
  });

  it('pins keep a snapshot answering beyond the bound until released', () => {
    fc.assert(
      fc.property(commandsArb, fc.nat(), (commands, pick) => {
        const { root, steps } = scenario(commands);
        if (steps.length === 0) return;
        let tree = applyRecord(emptyTree({ maxFieldHistory: 1000, retention: { maxVersions: 2 } }), root);
        const k = pick % steps.length;
        let pinned: ProcessTree | undefined;
        let pin: { release(): void } | undefined;
        for (const [i, s] of steps.entries()) {
          tree = applyRecord(tree, s.record);
          if (i === k) {
            pinned = tree;
            pin = tree.pin();
          }
        }
        expect(pinned!.retained).toBe(true);
        expect(observeStep(pinned!, steps[k]!)).toEqual(steps[k]!.expected);
        // a pin keeps its own version only, not every version after it
        if (tree.version - pinned!.version > 3) {
          const between = pinned!.version + 1;
          expect(tree.store.retains(between)).toBe(false);
        }
        // and the version answers exactly for every time up to it, through the data source too
        expect(new ProcessTreeDataSource(fixedTree(pinned!)).get(procKey(steps[k]!.processIds[0]!, steps[k]!.t))).toEqual(
          E.right({ process_info: O.toUndefined(processAt(pinned!, steps[k]!.processIds[0]!, steps[k]!.t)) }),
        );
        pin!.release();
        pin!.release(); // idempotent
        // the next version vacuums it (unless it is one of the two newest)
        tree = applyRecord(tree, forkProcess({ time: steps[steps.length - 1]!.t + 1n, id: 88_888, pid: 88_888, parentId: steps[0]!.processIds[0]!, parentPid: 1 }));
        if (tree.version - pinned!.version >= 2) expect(() => observeStep(pinned!, steps[k]!)).toThrow(VersionNotRetainedError);
      }),
      { numRuns: 60 },
    );
  });

  it('retention by time span: versions older than the newest change − span stop answering, the rest answer exactly', () => {
    fc.assert(
      fc.property(commandsArb, fc.integer({ min: 0, max: 8 }), (commands, spanMs) => {
        const span = BigInt(spanMs) * MS;
        const { steps, trees, head } = kept(commands, { maxVersions: Number.POSITIVE_INFINITY, maxSpanNs: span });
        steps.forEach((s, i) => {
          const tree = trees[i]!;
          const inSpan = tree === head || tree.time >= head.time - span;
          expect(tree.retained).toBe(inSpan);
          if (inSpan) expect(observeStep(tree, s)).toEqual(s.expected);
          else expect(() => observeStep(tree, s)).toThrow(VersionNotRetainedError);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('replay is deterministic: the same records give the same versions and the same answers', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const a = kept(commands);
        const b = kept(commands);
        expect(b.trees.map((t) => t.version)).toEqual(a.trees.map((t) => t.version));
        expect(fingerprint(b.head)).toBe(fingerprint(a.head));
        a.steps.forEach((s, i) => expect(observeStep(b.trees[i]!, s)).toEqual(observeStep(a.trees[i]!, s)));
      }),
      { numRuns: 40 },
    );
  });

  it('two trees in one process never see each other (interleaved writes)', () => {
    fc.assert(
      fc.property(commandsArb, commandsArb, (c1, c2) => {
        const s1 = scenario(c1);
        const s2 = scenario(c2);
        let t1 = applyRecord(emptyTree({ maxFieldHistory: 1000 }), s1.root);
        let t2 = applyRecord(emptyTree({ maxFieldHistory: 1000 }), s2.root);
        const n = Math.max(s1.steps.length, s2.steps.length);
        for (let i = 0; i < n; i++) {
          if (i < s1.steps.length) t1 = applyRecord(t1, s1.steps[i]!.record);
          if (i < s2.steps.length) t2 = applyRecord(t2, s2.steps[i]!.record);
        }
        expect(fingerprint(t1)).toBe(fingerprint(kept(c1).head));
        expect(fingerprint(t2)).toBe(fingerprint(kept(c2).head));
        expect(t1.store).not.toBe(t2.store);
      }),
      { numRuns: 40 },
    );
  });

  it('a reducer that throws leaves nothing behind: the tree and its next versions are as if the record never came', () => {
    fc.assert(
      fc.property(commandsArb, fc.nat(), (commands, pick) => {
        const { root, steps } = scenario(commands);
        if (steps.length === 0) return;
        const k = pick % steps.length;
        let tree = applyRecord(emptyTree({ maxFieldHistory: 1000 }), root);
        for (const [i, s] of steps.entries()) {
          if (i === k) {
            const before = fingerprint(tree);
            // a malformed record (no child) fails half-way through the fork reducer
            const bad = { ...forkProcess({ time: s.t, id: 99_999, pid: 99_999, parentId: steps[0]!.processIds[0]!, parentPid: 1 }), child: undefined } as unknown as TreeRecord;
            expect(() => applyRecord(tree, bad)).toThrow(TypeError);
            expect(fingerprint(tree)).toBe(before);
          }
          tree = applyRecord(tree, s.record);
          expect(observeStep(tree, s)).toEqual(s.expected);
        }
        expect(fingerprint(tree)).toBe(fingerprint(kept(commands).head));
      }),
      { numRuns: 40 },
    );
  });
});
