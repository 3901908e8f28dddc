/**
 * The data source signatures get when none is given answers as of the time asked (as the
 * builder's does), not from the latest tree whatever the time; operator-style signatures get
 * one too.
 */
import * as O from 'fp-ts/lib/Option.js';
import { filter, map, Subject } from 'rxjs';
import { world } from '../../marbles/index.js';
import { enrich, type EnrichedEnvelope } from '../../src/operators/enrich.js';
import { createFinding } from '../../src/signatures/createFinding.js';
import { fromSignature } from '../../src/signatures/fromSignature.js';
import { runSignatures } from '../../src/signatures/runSignatures.js';
import type { Finding, Signature, SignatureContext, SignatureEnv, SignatureMetadata, SignatureOperator } from '../../src/signatures/types.js';
import type { Envelope, Nanos } from '../../src/streams/types.js';
import { fixedTree, ProcessTreeDataSource } from '../../src/tree/dataSource.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';
import { argsOf } from '../support/envelopes.js';

const META: SignatureMetadata = { id: 'DS-1', name: 'ds', version: '1', description: 'asks the data source', tags: [], properties: { Severity: 0 } };
const MS = 1_000_000n;

/**
 * bash forks 99 (5 ms) and 101 (10 ms), 101 execs ls (20 ms) and exits (30 ms), bash forks 102
 * (40 ms) and 103 (45 ms). With room for 3 processes, the exited 101 leaves the newest tree at 40 ms.
 */
function scenario() {
  const w = world();
  const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const first = w.fork(bash, { pid: 99, at: 5n * MS });
  const k = w.fork(bash, { pid: 101, at: 10n * MS });
  const ls = w.exec(k.child, { path: '/usr/bin/ls', at: 20n * MS });
  const bye = w.exit(k.child, { at: 30n * MS });
  const other = w.fork(bash, { pid: 102, at: 40n * MS });
  const more = w.fork(bash, { pid: 103, at: 45n * MS });
  const events = [first.event, k.event, ls, bye, other.event, more.event];
  // times asked: before 101 existed, while it ran bash's program, after its exec, after its exit
  const times = [7n, 15n, 25n, 35n].map((t) => w.epoch(t * MS));
  return { events, id: k.child.entityId, times };
}

type Answer = { exe: string; alive: boolean } | 'none';
const ask = (ds: ProcessTreeDataSource, entityId: number, times: readonly Nanos[]): Answer[] =>
  times.map((time) => O.match<{ executionBinary: { path: string }; isAlive: boolean }, Answer>(() => 'none', (p) => ({ exe: p.executionBinary.path, alive: p.isAlive }))(ds.process({ entityId, time })));

/** Asks about 101 at each time, once, at the end of the input (by then the latest tree holds everything). */
class AskAtEnd implements Signature {
  ctx!: SignatureContext;
  answers: Answer[] = [];
  latestAnswers: Answer[] = [];
  last: EnrichedEnvelope | undefined;
  constructor(private readonly id: number, private readonly times: readonly Nanos[]) {}
  getMetadata() {
    return META;
  }
  getSelectedEventsToTrace() {
    return [{ source: 'tracee', name: '*' }] as const;
  }
  init(ctx: SignatureContext) {
    this.ctx = ctx;
  }
  onEvent(e: EnrichedEnvelope) {
    this.last = e;
  }
  onSignal() {
    const ds = this.ctx.getDataSource('tracee', 'process_tree');
    if (O.isSome(ds)) this.answers = ask(ds.value, this.id, this.times);
    // what the old fallback did: the latest tree, whatever the time asked
    this.latestAnswers = ask(new ProcessTreeDataSource(fixedTree(this.last!.tree)), this.id, this.times);
  }
  close() {}
}

describe('the default data source', () => {
  // bash is known from event contexts only: no executable to inherit
  const expected: Answer[] = ['none', { exe: '', alive: true }, { exe: '/usr/bin/ls', alive: true }, { exe: '/usr/bin/ls', alive: false }];

  it("Tracee-style: answers as of the time asked, as the builder's data source does (the latest tree does not)", () => {
    const { events, id, times } = scenario();
    const small = { processCacheSize: 3 };
    const builder = new TreeBuilder(small);
    for (const e of events) builder.applyEnvelope(e);
    expect(ask(builder.dataSource(), id, times)).toEqual(expected);

    const sig = new AskAtEnd(id, times);
    const subject = new Subject<Envelope>();
    subject.pipe(enrich(small), fromSignature(sig)).subscribe();
    for (const e of events) subject.next(e);
    subject.complete();
    expect(sig.answers).toEqual(expected);
    // the bug this replaces: the newest tree no longer holds 101, whatever the time asked
    expect(sig.latestAnswers).toEqual(['none', 'none', 'none', 'none']);
  });

  it('operator-style: env.dataSource is given without options, shared by all signatures, and answers as of the time asked', () => {
    const { events, id, times } = scenario();
    const envs: SignatureEnv[] = [];
    const asking = (sigId: string): SignatureOperator => ({
      metadata: { ...META, id: sigId },
      operator: (env) => {
        envs.push(env);
        return (events$) =>
          events$.pipe(
            filter((e) => e.event.eventName === 'sched_process_fork' && argsOf(e.event).some((a) => a.name === 'child_pid' && a.value === 102)),
            map((e): Finding => createFinding(META, e, { answers: ask(env.dataSource, id, times) })),
          );
      },
    });
    const found: Finding[] = [];
    const subject = new Subject<Envelope>();
    subject.pipe(enrich(), runSignatures([asking('A'), asking('B')])).subscribe((f) => found.push(f));
    for (const e of events) subject.next(e);
    expect(envs).toHaveLength(2);
    expect(envs[0]!.dataSource).toBeInstanceOf(ProcessTreeDataSource);
    expect(envs[0]!.dataSource).toBe(envs[1]!.dataSource);
    expect(found.map((f) => f.Data['answers'])).toEqual([expected, expected]);
  });

  it('a given data source is passed on as is', () => {
    const builder = new TreeBuilder();
    const ds = builder.dataSource();
    let got: ProcessTreeDataSource | undefined;
    const sig: SignatureOperator = {
      metadata: META,
      operator: (env) => {
        got = env.dataSource;
        return () => new Subject<Finding>();
      },
    };
    new Subject<Envelope>().pipe(enrich({ builder }), runSignatures([sig], { dataSource: ds })).subscribe();
    expect(got).toBe(ds);
  });
});
