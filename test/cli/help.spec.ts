import { COMMAND_NAMES } from '../../src/cli/cliTypes.js';
import { helpText } from '../../src/cli/help.js';

describe('helpText', () => {
  const general = helpText(undefined);

  it('general help lists every command and shows the examples', () => {
    for (const name of COMMAND_NAMES) expect(general).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(general).toContain('tracee --output json | proctree-rx');
    expect(general).toContain('proctree-rx tree --format dot capture.ndjson | dot -Tsvg > tree.svg');
  });

  it('says the default source is events, unlike Tracee', () => {
    expect(general).toContain('(--proctree source=events)');
    expect(general).toContain("Tracee's own default is source=none");
  });

  it('explains the procfs rule, in the general help and in every event-reading command', () => {
    expect(general).toContain("Replaying files never mixes in this host's /proc");
    for (const name of ['enrich', 'query', 'tree', 'findings'] as const) {
      expect(helpText(name)).toContain("Replaying files never mixes in this host's /proc");
    }
  });

  it.each([
    ['enrich', 'proctree-rx [enrich] [OPTIONS] [FILE...]'],
    ['query', '--queries QFILE'],
    ['tree', '--at T'],
    ['tree', '--format text|json|dot'],
    ['snapshot', '--procfs-root DIR'],
    ['findings', '--signatures ID,ID...'],
  ] as const)('%s help documents %s', (name, text) => {
    expect(helpText(name)).toContain(text);
  });

  it('--proctree help documents every option and the defaults', () => {
    const text = helpText('proctree');
    for (const option of ['source=none|events|signals|both', 'process-cache=N', 'thread-cache=N', 'disable-procfs ', 'disable-procfs-query', 'help']) {
      expect(text).toContain(option);
    }
    expect(text).toContain('default 16384');
    expect(text).toContain('default 32768');
    expect(text).toContain('Sizes under 4096 keep the default');
  });

  it('every text ends without a newline and lines fit 100 columns', () => {
    for (const topic of [undefined, 'proctree', ...COMMAND_NAMES] as const) {
      const text = helpText(topic);
      expect(text.endsWith('\n')).toBe(false);
      for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    }
  });
});
