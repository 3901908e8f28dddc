/**
 * The signatures read exec facts from the exec args (`execFacts`): on the captures they
 * are what the lines' arguments say, through the parser thread or not; malformed arguments are
 * problems, never throws.
 */
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { execFacts } from '../../src/signatures/internal/execFacts.js';
import { fromNdjson } from '../../src/streams/fromNdjson.js';
import { parseEventLine } from '../../src/streams/parseEventLine.js';
import type { Envelope } from '../../src/streams/types.js';
import { argsOf } from '../support/envelopes.js';
import { FIXTURES, loadEnvelopes } from '../support/fixtures.js';

const arg = (env: Envelope, name: string): unknown => argsOf(env.event).find((a) => a.name === name)?.value;

describe('execFacts', () => {
  it.each(['pipeline.ndjson', 'threads.ndjson', 'interp.ndjson'])('%s: each exec reads as its arguments say', (name) => {
    const execs = loadEnvelopes(name).filter((e) => e.event.eventName === 'sched_process_exec');
    expect(execs.length).toBeGreaterThan(0);
    for (const env of execs) {
      expect(execFacts(env)).toEqual({ cmdpath: arg(env, 'cmdpath'), pathname: arg(env, 'pathname'), interp: arg(env, 'interp') ?? '', argv: arg(env, 'argv'), problems: [] });
    }
  });

  it('gives the same facts for envelopes from the parser thread', async () => {
    const path = join(FIXTURES, 'interp.ndjson');
    const fromThread = await lastValueFrom(fromNdjson(path).pipe(toArray()));
    const plain = loadEnvelopes('interp.ndjson');
    expect(fromThread.map((e) => execFacts(e))).toEqual(plain.map((e) => execFacts(e)));
  });

  it('is undefined for other events; malformed arguments are problems, not throws', () => {
    const open = loadEnvelopes('pipeline.ndjson').find((e) => e.event.eventName === 'openat')!;
    expect(execFacts(open)).toBeUndefined();
    const line = '{"timestamp":1795582946601880724,"eventName":"sched_process_exec","args":[{"name":"pathname","type":"const char*","value":null},{"name":"argv","type":"const char**","value":7}]}';
    const parsed = parseEventLine(line, { source: 't', line: 1 });
    if (parsed._tag === 'Left') throw new Error(parsed.left);
    const facts = execFacts(parsed.right);
    expect(facts).toMatchObject({ pathname: '', argv: [] });
    expect(facts?.problems.length).toBeGreaterThan(0);
  });
});
