import { world } from '../../marbles/index.js';
import { contextOf } from '../../src/operators/enrich.js';
import { createFinding } from '../../src/signatures/createFinding.js';
import { findingToJson } from '../../src/signatures/findingToJson.js';
import type { SignatureMetadata } from '../../src/signatures/types.js';
import { envelopeOf } from '../../src/streams/parseEventLine.js';
import type { Envelope } from '../../src/streams/types.js';
import { TreeBuilder } from '../../src/tree/treeBuilder.js';

const META: SignatureMetadata = {
  id: 'PRX-T',
  name: 'json test',
  version: '2',
  description: 'd',
  tags: ['a', 'b'],
  properties: { Severity: 3, Category: 'execution', external_id: 'T1059', 'MITRE ATT&CK': 'Execution: Command and Scripting Interpreter' },
};

const enriched = (envs: readonly Envelope[]) => {
  const b = new TreeBuilder();
  return envs.map((e) => {
    const tree = b.applyEnvelope(e);
    return { ...e, tree, context: contextOf(tree, e) };
  });
};

describe('findingToJson', () => {
  const w = world({ bootEpochNs: 1_795_576_595_123_456_789n });
  const bash = w.process({ pid: 100, comm: 'bash', exe: '/usr/bin/bash' });
  const f = w.fork(bash, { pid: 101 });
  const x = w.exec(f.child, { path: '/usr/bin/ls', argv: ['ls'] });
  const [, execE] = enriched([f.event, x]);

  it("splices the event's raw line digit for digit and adds the context as proctree", () => {
    const line = findingToJson(createFinding(META, execE!, { big: 1795582946601880724n, n: 1 }));
    expect(line).not.toContain('\n');
    const body = x.raw!.slice(0, -1);
    expect(line).toContain(`"Event":${body},"proctree":{"version":`);
    expect(line.startsWith('{"SigMetadata":{"ID":"PRX-T","Version":"2","Name":"json test","EventName":"PRX-T","Description":"d","Tags":["a","b"],"Properties":{"Severity":3,')).toBe(true);
    expect(line.endsWith(',"Data":{"big":1795582946601880724,"n":1}}')).toBe(true);
    const parsed = JSON.parse(line) as { Event: { proctree: { process: { pid: number; executionBinary: { path: string } }; ancestors: { pid: number }[] } } };
    expect(parsed.Event.proctree.process.pid).toBe(101);
    expect(parsed.Event.proctree.process.executionBinary.path).toBe('/usr/bin/ls');
    expect(parsed.Event.proctree.ancestors.map((a) => a.pid)).toEqual([100, 1]);
    // exact times in the context
    expect(line).toContain(`"startTime":${w.epoch(f.child.startSinceBoot)}`);
  });

  it('writes events built in code (no raw line) with exact times', () => {
    const ev = envelopeOf({ ...x.event, timestamp: 1795582946601880724n as unknown as number });
    const [e] = enriched([ev]);
    const line = findingToJson(createFinding(META, e!));
    expect(line).toContain('"Event":{"timestamp":1795582946601880724,');
    expect(line).toContain('"Data":{}}');
  });

  it('keeps the Finding object shaped as Tracee: SigMetadata, Event (the original fields + proctree), Data', () => {
    const finding = createFinding(META, execE!);
    expect(Object.keys(finding)).toEqual(['SigMetadata', 'Event', 'Data', 'envelope']);
    expect(finding.Event).toMatchObject({ ...x.event, proctree: execE!.context });
    expect(finding.Event.proctree.process?.pid).toBe(101);
  });
});
