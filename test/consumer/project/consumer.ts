/**
 * A consumer's program: imports only the built package by its name (`proctree-rx`,
 * `proctree-rx/marbles`), never a path inside it or fp-ts. Type-checked against the shipped
 * .d.ts files and run with plain node by test/consumer/consumer.spec.ts; prints one JSON line.
 */
import { execFromTempDir, isSome, lineageAt, pipeline, proctreeDataSource, processByPidAt, toUndefined, type Finding, type ProcessInfo } from 'proctree-rx';
import { finding, testSignature, world } from 'proctree-rx/marbles';

const capture = process.argv[2]!;

// a pipeline, as the command runs it
const run = await pipeline({ inputs: capture });
const events: string[] = [];
const findings: Finding[] = [];
await new Promise<void>((resolve, reject) =>
  run.enriched$.subscribe({ next: (e) => events.push(e.event.eventName ?? ''), error: reject, complete: resolve }),
);

// a query, as of the end of the input
const tree = run.builder.tree;
const sh = processByPidAt(tree, 20650, tree.time);
const who: ProcessInfo | undefined = toUndefined(sh);
const lineage = isSome(sh) ? toUndefined(lineageAt(tree, sh.value.entityId, tree.time, 5)) : undefined;

// a signature over a second run
const again = await pipeline({ inputs: capture });
await new Promise<void>((resolve, reject) => again.findings([proctreeDataSource({ reportConsistent: true })]).subscribe({ next: (f) => findings.push(f), error: reject, complete: resolve }));

// a marble test of the same signature
const w = world();
const parent = w.process({ pid: 100, comm: 'sh' });
const k = w.fork(parent, { pid: 101 });
const hit = w.exec(k.child, { path: '/tmp/x' });
testSignature(execFromTempDir(), { marbles: '-a-b-|', values: { a: k.event, b: hit } }, { marbles: '---x-|', values: { x: finding('PRX-002', { pid: 101 }) } });

console.log(
  JSON.stringify({
    events: events.length,
    processes: tree.processes.size,
    sh: who?.executionBinary.path,
    lineage: lineage?.map((p) => p.pid),
    findings: findings.length,
    findingIds: [...new Set(findings.map((f) => f.SigMetadata.id))],
    marbles: 'passed',
  }),
);
