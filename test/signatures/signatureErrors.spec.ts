/**
 * Signature errors are never silent, and both styles fail alike: by default the stream errors
 * with a SignatureError (id, where, event, cause, stacks); `marbleTest`, `testSignature` and
 * `collectFindings` fail with it; `onError` opts out and the run goes on.
 */
import { filter, map, Subject, type Observable } from 'rxjs';
import { collectFindings, finding, marbleTest, summarizeFinding, testSignature, world } from '../../marbles/index.js';
import { enrich, type EnrichedEnvelope } from '../../src/operators/enrich.js';
import { createFinding } from '../../src/signatures/createFinding.js';
import { eventSignature } from '../../src/signatures/eventSignature.js';
import { fromSignature } from '../../src/signatures/fromSignature.js';
import { runSignature } from '../../src/signatures/runSignature.js';
import { runSignatures } from '../../src/signatures/runSignatures.js';
import { SignatureError, type SignatureFailure } from '../../src/signatures/SignatureError.js';
import type { AnySignature, Finding, Signature, SignatureContext, SignatureMetadata, SignatureOperator } from '../../src/signatures/types.js';
import type { Envelope } from '../../src/streams/types.js';
import { argsOf } from '../support/envelopes.js';

const meta = (id: string): SignatureMetadata => ({ id, name: id, version: '1', description: 'test', tags: [], properties: { Severity: 1 } });

function throwOnNull(e: EnrichedEnvelope): string {
  const arg = argsOf(e.event).find((a) => a.name === 'pathname')!;
  const value = arg.value as string | null;
  return value!.toUpperCase(); // throws for a null pathname: the bug a signature can have
}

/** Tracee-style: fires on every exec, reads the pathname carelessly. */
class CarelessTracee implements Signature {
  private ctx!: SignatureContext;
  getMetadata(): SignatureMetadata {
    return meta('T-1');
  }
  getSelectedEventsToTrace() {
    return [{ source: 'tracee', name: 'sched_process_exec' }] as const;
  }
  init(ctx: SignatureContext): void {
    this.ctx = ctx;
  }
  onEvent(e: EnrichedEnvelope): void {
    this.ctx.callback({ event: e, data: { path: throwOnNull(e) } });
  }
  onSignal(): void {}
  close(): void {}
}

/** Operator-style: the same rule. */
const carelessOperator = (): SignatureOperator => eventSignature(meta('O-1'), ['sched_process_exec'], (e) => ({ path: throwOnNull(e) }));

/** A stateful operator-style rule: numbers the execs it sees (to show a restart starts afresh). */
const counting = (): SignatureOperator => ({
  metadata: meta('O-2'),
  operator: () => (events$: Observable<EnrichedEnvelope>) => {
    let n = 0;
    return events$.pipe(
      filter((e) => e.event.eventName === 'sched_process_exec'),
      map((e) => {
        n++;
        throwOnNull(e);
        return createFinding(meta('O-2'), e, { n });
      }),
    );
  },
});

/** fork, exec /usr/bin/ls (fine), exec with a null pathname (line 4, the bad one), exec /usr/bin/id. */
function scenario() {
  const w = world({ source: 'cap.ndjson' });
  const sh = w.process({ pid: 100, comm: 'sh' });
  const k = w.fork(sh, { pid: 101 });
  const ok = w.exec(k.child, { path: '/usr/bin/ls' });
  const badLine = w.exec(k.child, { path: '/usr/bin/x' });
  const bad = { ...badLine, event: { ...badLine.event, args: argsOf(badLine.event).map((a) => (a.name === 'pathname' ? { ...a, value: null } : a)) } } as Envelope;
  const later = w.exec(k.child, { path: '/usr/bin/id' });
  return { a: k.event, b: ok, c: bad, d: later };
}

const errorMatcher = (id: string, where: SignatureFailure) =>
  expect.objectContaining({
    name: 'SignatureError',
    signatureId: id,
    where,
    event: expect.objectContaining({ origin: { source: 'cap.ndjson', line: 3 } }),
    cause: expect.any(TypeError),
  });

describe.each([
  ['Tracee-style', (): AnySignature => new CarelessTracee(), 'T-1', 'onEvent'],
  ['operator-style', carelessOperator, 'O-1', 'operator'],
] as const)('%s signature that throws', (_style, make, id, where) => {
  it('errors the stream by default with a SignatureError: id, place, event FILE:LINE, cause', () => {
    marbleTest(({ cold, expectObservable }) => {
      const findings$ = cold<Envelope>('abcd|', scenario()).pipe(enrich(), runSignature(make()), map(summarizeFinding));
      expectObservable(findings$).toBe('-x#', { x: finding(id, { pid: 101 }) }, errorMatcher(id, where));
    });
  });

  it('the message names the signature, the place, the event and the cause; the stack ends with the cause’s', () => {
    let error: unknown;
    const s = scenario();
    const subject = new Subject<Envelope>();
    subject.pipe(enrich(), runSignatures([make()])).subscribe({ error: (e: unknown) => (error = e) });
    for (const e of [s.a, s.b, s.c]) subject.next(e);
    expect(error).toBeInstanceOf(SignatureError);
    const err = error as SignatureError;
    expect(err.message).toMatch(new RegExp(`^signature ${id} failed in ${where} on cap\\.ndjson:3 \\(sched_process_exec pid 101 \\(x\\)\\): TypeError: Cannot read properties of null`));
    expect(err.stack).toContain('Caused by: TypeError');
    expect(err.stack).toContain('throwOnNull');
  });

  it('fails a "must not fire" marble test with the SignatureError itself (not a diff of frames)', () => {
    const { a, c } = scenario();
    expect(() => testSignature(make(), { marbles: 'ac|', values: { a, c } }, '--|')).toThrow(SignatureError);
    expect(() => testSignature(make(), { marbles: 'ac|', values: { a, c } }, '--|')).toThrow(`signature ${id} failed in ${where} on cap.ndjson:3`);
  });

  it('fails collectFindings with the SignatureError', () => {
    const s = scenario();
    expect(() => collectFindings([s.a, s.b, s.c, s.d], [make()])).toThrow(expect.objectContaining({ name: 'SignatureError', signatureId: id }));
  });

  it('with onError: reports the error once and goes on with the events that follow', () => {
    const s = scenario();
    const reported: [string, SignatureFailure, number | undefined][] = [];
    const found = collectFindings([s.a, s.b, s.c, s.d], [make()], {
      onError: (e, w, event) => reported.push([e.signatureId, w, event?.origin.line]),
    });
    expect(reported).toEqual([[id, where, 3]]);
    expect(found.map((f) => f.Data['path'])).toEqual(['/USR/BIN/LS', '/USR/BIN/ID']);
  });
});

describe('runSignatures with onError', () => {
  it('a restarted operator-style signature starts with fresh state; the other signatures are untouched', () => {
    const s = scenario();
    const errors: string[] = [];
    const found = collectFindings([s.a, s.b, s.c, s.d], [counting(), new CarelessTracee()], { onError: (e) => errors.push(e.signatureId) });
    expect(errors).toEqual(['O-2', 'T-1']);
    expect(found.map((f) => [f.SigMetadata.id, f.Data['n'] ?? f.Data['path']])).toEqual([
      ['O-2', 1],
      ['T-1', '/USR/BIN/LS'],
      ['O-2', 1], // fresh: the restarted operator counts from the event after the failure
      ['T-1', '/USR/BIN/ID'],
    ]);
  });

  it('an operator that fails before any event, and an init that throws: each reported once, the signature stops, the others run', () => {
    const s = scenario();
    const broken: SignatureOperator = {
      metadata: meta('O-3'),
      operator: () => () => {
        throw new Error('not an operator');
      },
    };
    const noInit = new CarelessTracee();
    noInit.init = () => {
      throw new Error('no config');
    };
    const errors: [string, SignatureFailure][] = [];
    const found = collectFindings([s.a, s.b, s.d], [broken, noInit, carelessOperator()], { onError: (e, where) => errors.push([e.signatureId, where]) });
    expect(errors).toEqual([
      ['O-3', 'operator'],
      ['T-1', 'init'],
    ]);
    expect(found.map((f) => f.SigMetadata.id)).toEqual(['O-1', 'O-1']);
  });

  it('without onError, one failing signature errors the whole stream', () => {
    const s = scenario();
    const seen: Finding[] = [];
    let error: unknown;
    const subject = new Subject<Envelope>();
    subject.pipe(enrich(), runSignatures([new CarelessTracee(), counting()])).subscribe({ next: (f) => seen.push(f), error: (e: unknown) => (error = e) });
    for (const e of [s.a, s.b, s.c, s.d]) subject.next(e);
    expect(seen.map((f) => f.SigMetadata.id)).toEqual(['T-1', 'O-2']);
    expect(error).toMatchObject({ signatureId: 'T-1', where: 'onEvent' });
  });
});

describe('fromSignature failures outside onEvent', () => {
  it.each(['onSignal', 'close'] as const)('a throwing %s errors the stream at its end', (where) => {
    const sig = new CarelessTracee();
    sig[where] = () => {
      throw new Error(`${where} broke`);
    };
    marbleTest(({ cold, expectObservable }) => {
      expectObservable(cold<Envelope>('-|').pipe(enrich(), fromSignature(sig))).toBe(
        '-#',
        undefined,
        expect.objectContaining({ signatureId: 'T-1', where, event: undefined, message: `signature T-1 failed in ${where}: Error: ${where} broke` }),
      );
    });
  });

  it('stops calling onEvent after a synchronous source errored it', () => {
    const s = scenario();
    const calls: number[] = [];
    const sig = new CarelessTracee();
    const onEvent = sig.onEvent.bind(sig);
    sig.onEvent = (e) => {
      calls.push(e.origin.line);
      onEvent(e);
    };
    expect(() => collectFindings([s.a, s.b, s.c, s.d], [sig])).toThrow(SignatureError);
    expect(calls).toEqual([2, 3]);
  });
});
