import * as E from 'fp-ts/lib/Either.js';
import { kernelRangeProblem, pidProblem, PID_MAX_LIMIT } from '../../src/streams/kernelRanges.js';
import { parseEventLine } from '../../src/streams/parseEventLine.js';
import { forkArgs } from '../../src/streams/lifecycleArgs.js';
import type { Envelope } from '../../src/streams/types.js';
import { fixtureLines } from './ndjsonTestKit.js';

const envOf = (line: string): Envelope => {
  const r = parseEventLine(line, { source: 't', line: 1 });
  if (E.isLeft(r)) throw new Error(r.left);
  return r.right;
};

const FIXTURES = ['pipeline.ndjson', 'pipeline.both.ndjson', 'pipeline.signals.ndjson', 'threads.ndjson', 'interp.ndjson'];
const forkLine = fixtureLines('pipeline.ndjson').find((l) => l.includes('"eventName":"sched_process_fork"'))!;
const withArg = (line: string, name: string, value: string): string => line.replace(new RegExp(`("name":"${name}","type":"[^"]*","value":)-?[0-9.e]+`), `$1${value}`);

describe('kernelRangeProblem', () => {
  it.each(FIXTURES)('%s: every real event is in range', (name) => {
    const problems = fixtureLines(name).map((l) => kernelRangeProblem(envOf(l)));
    expect(problems.filter((p) => p !== undefined)).toEqual([]);
  });

  it('a fork whose child pid is 2^32 is reported, not used', () => {
    const line = withArg(forkLine, 'child_pid', '4294967296');
    expect(line).not.toBe(forkLine);
    expect(kernelRangeProblem(envOf(line))).toBe('bad arguments: argument "child_pid" is 4294967296, outside the kernel\'s pid range 0..4194303');
  });

  it.each([
    ['-1', 'is -1, outside'],
    ['1.5', 'is 1.5, not an integer'],
    ['4194304', 'is 4194304, outside'],
  ])('a child tid of %s is reported', (value, words) => {
    expect(kernelRangeProblem(envOf(withArg(forkLine, 'child_tid', value)))).toContain(`argument "child_tid" ${words}`);
  });

  it('a pid at the top level out of range or not a number', () => {
    const line = forkLine.replace(/"hostProcessId":[0-9]+/, '"hostProcessId":-1');
    expect(kernelRangeProblem(envOf(line))).toBe('bad task id: "hostProcessId" is -1, outside the kernel\'s pid range 0..4194303');
    // a pid of another kind is refused by the reader already (its head is decoded), worded alike
    const text = forkLine.replace(/"processId":[0-9]+/, '"processId":"12"');
    expect(parseEventLine(text, { source: 't', line: 1 })).toEqual(E.left('bad task id: "processId" is string, not a number'));
  });

  it('times outside u64', () => {
    expect(kernelRangeProblem(envOf('{"timestamp":-5,"eventName":"x"}'))).toBe('bad time: "timestamp" is -5, outside the u64 range of kernel times (0..2^64-1 ns)');
    expect(kernelRangeProblem(envOf('{"timestamp":18446744073709551616,"eventName":"x"}'))).toContain('"timestamp" is 18446744073709551616');
    expect(kernelRangeProblem(envOf('{"timestamp":18446744073709551615,"eventName":"x"}'))).toBeUndefined();
    // a negative time argument never parses as a time: the argument reader refuses it (the fork
    // is reported as unusable with its line), so it never reaches the range check or the tree
    const start = withArg(forkLine, 'start_time', '-1');
    expect(forkArgs(envOf(start))).toEqual(E.left('argument "start_time" is zero or malformed'));
  });

  it('pidProblem: the boundaries', () => {
    expect(pidProblem(0)).toBeUndefined();
    expect(pidProblem(PID_MAX_LIMIT - 1)).toBeUndefined();
    expect(pidProblem(PID_MAX_LIMIT)).toBeDefined();
    expect(pidProblem(Number.NaN)).toBe('is NaN, not an integer');
  });
});
