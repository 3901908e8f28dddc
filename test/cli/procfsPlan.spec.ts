import * as E from 'fp-ts/lib/Either.js';
import type { CliCommand } from '../../src/cli/cliTypes.js';
import { parseCommandLine } from '../../src/cli/parseCommandLine.js';
import { procfsPlan, type InputKind } from '../../src/cli/procfsPlan.js';

const command = (...argv: string[]): CliCommand => {
  const r = parseCommandLine(argv);
  if (E.isLeft(r) || r.right.kind === 'help' || r.right.kind === 'version') throw new Error(`not a command: ${argv.join(' ')}`);
  return r.right;
};

const NONE = { bootstrap: false, runtimeQueries: false };
const FULL = { bootstrap: true, runtimeQueries: true };
const WALK = { bootstrap: true, runtimeQueries: false };

describe('procfsPlan: replaying files never mixes in this host\'s /proc unless asked', () => {
  it.each<[string, string[], InputKind[], object]>([
    ['file replay', ['cap.ndjson'], ['file'], { ...NONE, root: '/proc' }],
    ['several files', ['a', 'b'], ['file', 'file'], { ...NONE, root: '/proc' }],
    ['stdin redirected from a file (< cap.ndjson)', [], ['file'], { ...NONE, root: '/proc' }],
    ['file + stdin (mixed: not live)', ['a', '-'], ['file', 'stdin'], { ...NONE, root: '/proc' }],
    ['events on stdin, signals from a file', ['-t', 'source=both', '--signals', 's'], ['stdin', 'file'], { ...NONE, root: '/proc' }],
    ['no inputs classified', [], [], { ...NONE, root: '/proc' }],
    ['live stdin', [], ['stdin'], { ...FULL, root: '/proc' }],
    ['live FIFO', ['/tmp/fifo'], ['fifo'], { ...FULL, root: '/proc' }],
    ['stdin + FIFO signals', ['-t', 'source=both', '--signals', '/tmp/sig'], ['stdin', 'fifo'], { ...FULL, root: '/proc' }],
    ['live, disable-procfs', ['-t', 'disable-procfs'], ['stdin'], { ...NONE, root: '/proc' }],
    ['live, disable-procfs-query', ['-t', 'disable-procfs-query'], ['stdin'], { ...WALK, root: '/proc' }],
    ['live with --procfs-root', ['--procfs-root', '/host/proc'], ['stdin'], { ...FULL, root: '/host/proc' }],
    ['file replay with --procfs-root: walk only', ['--procfs-root', '/saved/proc', 'cap'], ['file'], { ...WALK, root: '/saved/proc' }],
    ['file replay with --procfs-root and disable-procfs', ['--procfs-root', '/p', '-t', 'disable-procfs', 'c'], ['file'], { ...NONE, root: '/p' }],
    ['source=none, live', ['-t', 'none'], ['stdin'], { ...NONE, root: '/proc' }],
    ['source=none with --procfs-root', ['-t', 'none', '--procfs-root', '/p'], ['file'], { ...NONE, root: '/p' }],
  ])('%s', (_name, argv, kinds, plan) => {
    expect(procfsPlan(command(...argv), kinds)).toEqual(plan);
  });

  it('applies to every event-reading command the same way', () => {
    for (const argv of [['tree', 'c'], ['query', '--queries', 'q', 'c'], ['findings', 'c']]) {
      expect(procfsPlan(command(...argv), ['file'])).toEqual({ ...NONE, root: '/proc' });
      expect(procfsPlan(command(...argv), ['stdin'])).toEqual({ ...FULL, root: '/proc' });
    }
  });

  it('snapshot always walks procfs and never queries at runtime', () => {
    expect(procfsPlan(command('snapshot'), [])).toEqual({ ...WALK, root: '/proc' });
    expect(procfsPlan(command('snapshot', '--procfs-root', '/host/proc'), [])).toEqual({ ...WALK, root: '/host/proc' });
  });
});
