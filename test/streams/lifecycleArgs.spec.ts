import * as E from 'fp-ts/lib/Either.js';
import { execArgs, exitArgs, forkArgs, preparseArgs } from '../../src/streams/lifecycleArgs.js';
import { headOf, type Envelope, type TraceeEvent } from '../../src/streams/types.js';
import { argsOf } from '../support/envelopes.js';
import { loadEnvelopes } from '../support/fixtures.js';

/** An envelope whose event must not be read (it throws): only `preparsed` may answer. */
const sealed = (env: Envelope): Envelope => ({
  raw: env.raw,
  timestamp: env.timestamp,
  threadStartTime: env.threadStartTime,
  origin: env.origin,
  seq: env.seq,
  rank: env.rank,
  head: headOf(env),
  preparsed: preparseArgs(env),
  get event(): TraceeEvent {
    throw new Error('event read although its arguments were preparsed');
  },
});

describe('preparsed lifecycle arguments', () => {
  it('forkArgs / execArgs / exitArgs answer from preparsed without reading the event, with what reading it gives', () => {
    let seen = 0;
    for (const env of [...loadEnvelopes('pipeline.ndjson'), ...loadEnvelopes('pipeline.signals.ndjson', 1)]) {
      const name = headOf(env).eventName;
      const read: ((e: Envelope) => E.Either<string, unknown>) | undefined = name.endsWith('fork')
        ? forkArgs
        : name.endsWith('exec')
          ? execArgs
          : name.endsWith('exit')
            ? exitArgs
            : undefined;
      if (read === undefined || !name.includes('sched_process_')) {
        expect(preparseArgs(env)).toBeUndefined();
        continue;
      }
      const direct = read(env);
      expect(E.isRight(direct)).toBe(true);
      expect(read(sealed(env))).toEqual(direct);
      seen++;
    }
    expect(seen).toBeGreaterThan(20);
  });

  it('an exit without arguments loses only its exit code, and says which arguments were missing', () => {
    const env = loadEnvelopes('pipeline.ndjson').find((e) => e.event.eventName === 'sched_process_exit')!;
    const broken: Envelope = { ...env, raw: undefined, event: { ...env.event, args: [] } };
    const pre = preparseArgs(broken);
    expect(pre?.kind).toBe('exit');
    const args = pre !== undefined && pre.kind === 'exit' && E.isRight(pre.args) ? pre.args.right : undefined;
    expect(args?.exitCode).toBeUndefined();
    expect(args?.processGroupExit).toBe(false);
    expect(args?.notes?.join('; ')).toMatch(/"exit_code" is missing.*"process_group_exit" is missing/);
    expect(exitArgs({ ...broken, preparsed: pre })).toEqual(exitArgs(broken));
  });

  it('keeps a reason when a fork lacks what the child is keyed by', () => {
    const env = loadEnvelopes('pipeline.ndjson').find((e) => e.event.eventName === 'sched_process_fork')!;
    const broken: Envelope = { ...env, raw: undefined, event: { ...env.event, args: argsOf(env.event).filter((a) => a.name !== 'start_time') } };
    const pre = preparseArgs(broken);
    expect(pre !== undefined && E.isLeft(pre.args) ? pre.args.left : '').toMatch(/start_time/);
  });
});
