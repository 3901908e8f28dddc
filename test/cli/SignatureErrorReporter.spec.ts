import { world } from '../../marbles/index.js';
import { formatSignatureError, SignatureErrorReporter } from '../../src/cli/SignatureErrorReporter.js';
import { enrich, type EnrichedEnvelope } from '../../src/operators/enrich.js';
import { SignatureError } from '../../src/signatures/SignatureError.js';
import { from, lastValueFrom } from 'rxjs';

async function enrichedExec(): Promise<EnrichedEnvelope> {
  const w = world({ source: 'cap.ndjson' });
  const k = w.fork(w.process({ pid: 100, comm: 'sh' }), { pid: 101 });
  return lastValueFrom(from([k.event, w.exec(k.child, { path: '/usr/bin/ls' })]).pipe(enrich()));
}

describe('SignatureErrorReporter', () => {
  it('one line per error: on FILE:LINE for an event, in PLACE otherwise', async () => {
    const e = await enrichedExec();
    expect(formatSignatureError(new SignatureError('PRX-009', 'onEvent', e, new TypeError('x is null')))).toBe('signature PRX-009 failed on cap.ndjson:2: TypeError: x is null');
    expect(formatSignatureError(new SignatureError('PRX-009', 'init', undefined, 'no config'))).toBe('signature PRX-009 failed in init: no config');
  });

  it('prints up to the cap, counts all, then says how many were not shown', () => {
    const out: string[] = [];
    const r = new SignatureErrorReporter({ write: (s: string) => out.push(s) }, 2);
    for (let i = 0; i < 5; i++) r.report(new SignatureError('S', 'close', undefined, new Error(`e${i}`)));
    r.finish();
    expect(r.count).toBe(5);
    expect(out).toEqual(['signature S failed in close: Error: e0\n', 'signature S failed in close: Error: e1\n', '… 3 more signature errors\n']);
  });
});
