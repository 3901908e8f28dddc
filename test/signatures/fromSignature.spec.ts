import * as O from 'fp-ts/lib/Option.js';
import { Subject } from 'rxjs';
import { finding, marbleTest, summarizeFinding, world } from '../../marbles/index.js';
import { enrich, type EnrichedEnvelope } from '../../src/operators/enrich.js';
import { fromSignature, type SignatureFailure } from '../../src/signatures/fromSignature.js';
import type { Finding, Signature, SignatureContext, SignatureMetadata } from '../../src/signatures/types.js';
import { headOf, type Envelope } from '../../src/streams/types.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';

const META: SignatureMetadata = {
  id: 'TEST-1',
  name: 'test',
  version: '1',
  description: 'reports every exec of ls',
  tags: ['test'],
  properties: { Severity: 1 },
};

/** A recording signature: reports execs of `ls`, throws on `boom`. */
class LsSig implements Signature {
  calls: string[] = [];
  ctx: SignatureContext | undefined;
  getMetadata() {
    return META;
  }
  getSelectedEventsToTrace() {
    return [{ source: 'tracee', name: 'sched_process_exec' }] as const;
  }
  init(ctx: SignatureContext) {
    this.calls.push('init');
    this.ctx = ctx;
  }
  onEvent(e: EnrichedEnvelope) {
    this.calls.push(`event:${e.event.processName}`);
    if (e.event.processName === 'boom') throw new Error('boom');
    if (e.context.process?.executionBinary.path === '/usr/bin/ls') this.ctx!.callback({ event: e, data: { argv: e.context.process.cmd } });
  }
  onSignal() {
    this.calls.push('signal');
  }
  close() {
    this.calls.push('close');
  }
}

function scenario() {
  const w = world();
  const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const a = w.fork(bash, { pid: 101 });
  const b = w.exec(a.child, { path: '/usr/bin/ls', argv: ['ls', '-l'] });
  const c = w.fork(bash, { pid: 102 });
  const d = w.exec(c.child, { path: '/opt/boom', comm: 'boom' });
  const e = w.syscall(a.child, 'openat');
  return { w, bash, values: { a: a.event, b, c: c.event, d, e } };
}

describe('fromSignature', () => {
  it('filters the selected events, calls init once, emits findings as they are found, then close', () => {
    const { values } = scenario();
    const sig = new LsSig();
    const errors: SignatureFailure[] = [];
    marbleTest(({ cold, expectFindings, expectSubscriptions }) => {
      const events$ = cold<Envelope>('-a-b-c-d-e-|', values);
      const out$ = events$.pipe(enrich(), fromSignature(sig, { onError: (_e, where) => errors.push(where) }));
      expectFindings(out$).toBe('---a-------|', { a: finding('TEST-1', { pid: 101, comm: 'ls', data: { argv: ['ls', '-l'] } }) });
      expectSubscriptions(events$.subscriptions).toBe('^----------!');
    });
    expect(sig.calls).toEqual(['init', 'event:ls', 'event:boom', 'signal', 'close']);
    expect(errors).toEqual(['onEvent']);
  });

  it('on error: forwards it and closes the signature', () => {
    const { values } = scenario();
    const sig = new LsSig();
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('-a-b-#', values).pipe(enrich(), fromSignature(sig))).toBe('---a-#', { a: finding('TEST-1') });
    });
    expect(sig.calls).toEqual(['init', 'event:ls', 'close']);
  });

  it('on early unsubscribe: unsubscribes upstream and closes the signature once', () => {
    const { values } = scenario();
    const sig = new LsSig();
    marbleTest(({ cold, expectFindings, expectSubscriptions }) => {
      const events$ = cold<Envelope>('-a-b-c-d-|', values);
      expectFindings(events$.pipe(enrich(), fromSignature(sig)), '^----!').toBe('---a--', { a: finding('TEST-1') });
      expectSubscriptions(events$.subscriptions).toBe('^----!');
    });
    expect(sig.calls).toEqual(['init', 'event:ls', 'close']);
  });

  it('empty input: init, end-of-input signal, close, no findings', () => {
    const sig = new LsSig();
    marbleTest(({ cold, expectFindings }) => {
      expectFindings(cold<Envelope>('|').pipe(enrich(), fromSignature(sig))).toBe('|');
    });
    expect(sig.calls).toEqual(['init', 'signal', 'close']);
  });

  it('a throwing init errors the stream with a SignatureError naming the signature', () => {
    const sig = new LsSig();
    const cause = new Error('cannot start');
    sig.init = () => {
      throw cause;
    };
    marbleTest(({ cold, expectObservable }) => {
      expectObservable(cold<Envelope>('-a-|').pipe(enrich(), fromSignature(sig))).toBe(
        '#',
        undefined,
        expect.objectContaining({ name: 'SignatureError', signatureId: 'TEST-1', where: 'init', cause, message: 'signature TEST-1 failed in init: Error: cannot start' }),
      );
    });
  });

  it('gives the tracee/process_tree data source, and nothing else', () => {
    const { values, bash } = scenario();
    const builder = new TreeBuilder();
    const ds = builder.dataSource();
    let seen: unknown[] = [];
    const sig = new LsSig();
    sig.onEvent = (e) => {
      const got = sig.ctx!.getDataSource('tracee', 'process_tree');
      seen = [got, sig.ctx!.getDataSource('tracee', 'other'), O.map((d: typeof ds) => d.process({ entityId: bash.entityId, time: e.timestamp }))(got)];
    };
    const subject = new Subject<Envelope>();
    subject.pipe(enrich({ builder }), fromSignature(sig, { dataSource: ds })).subscribe();
    subject.next(values.a);
    subject.next(values.b);
    expect(seen[0]).toEqual(O.some(ds));
    expect(seen[1]).toEqual(O.none);
    expect(seen[2]).toMatchObject(O.some(O.some({ pid: 100 })));
    const info = seen[2] as O.Option<O.Option<{ childProcessesIds: ReadonlyMap<number, number> }>>;
    expect(O.isSome(info) && O.isSome(info.value) ? [...info.value.value.childProcessesIds.keys()] : []).toEqual([101]);
  });

  it('without a data source, queries answer from the trees of the events seen', () => {
    const { values } = scenario();
    const sig = new LsSig();
    const answers: unknown[] = [];
    sig.onEvent = (e) => {
      const ds = sig.ctx!.getDataSource('tracee', 'process_tree');
      if (O.isSome(ds)) answers.push(O.toUndefined(ds.value.process({ entityId: headOf(e).processEntityId, time: e.timestamp }))?.executionBinary.path);
    };
    const subject = new Subject<Envelope>();
    subject.pipe(enrich(), fromSignature(sig)).subscribe();
    subject.next(values.a);
    subject.next(values.b);
    expect(answers).toEqual(['/usr/bin/ls']);
  });

  it('emits findings the signature reports later, while subscribed', () => {
    const { values } = scenario();
    const sig = new LsSig();
    let saved: EnrichedEnvelope | undefined;
    sig.onEvent = (e) => {
      saved = e;
    };
    const found: Finding[] = [];
    const subject = new Subject<Envelope>();
    const sub = subject.pipe(enrich(), fromSignature(sig)).subscribe((f) => found.push(f));
    subject.next(values.b);
    sig.ctx!.callback({ event: saved!, data: { late: true } });
    sub.unsubscribe();
    sig.ctx!.callback({ event: saved! });
    expect(found.map(summarizeFinding)).toEqual([{ sig: 'TEST-1', event: 'sched_process_exec', pid: 101, tid: 101, comm: 'ls', data: { late: true } }]);
  });
});
