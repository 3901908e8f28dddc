import * as E from 'fp-ts/lib/Either.js';
import type { CliRequest, UsageError } from '../../src/cli/cliTypes.js';
import { parseCommandLine } from '../../src/cli/parseCommandLine.js';
import { PROCTREE_DEFAULTS } from '../../src/cli/parseProctreeOptions.js';

const ok = (argv: readonly string[]): CliRequest => {
  const r = parseCommandLine(argv);
  if (E.isLeft(r)) throw new Error(`expected Right for ${JSON.stringify(argv)}, got: ${r.left.message}`);
  return r.right;
};

const fail = (argv: readonly string[]): UsageError => {
  const r = parseCommandLine(argv);
  if (E.isRight(r)) throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
  return r.left;
};

const defaults = {
  proctree: { ...PROCTREE_DEFAULTS, warnings: [] },
  inputs: ['-'],
  signals: undefined,
  reorderWindow: undefined,
  reorderBytes: undefined,
  issues: undefined,
  procfsRoot: undefined,
  quiet: false,
  stats: false,
  strict: false,
};

describe('parseCommandLine: commands', () => {
  it('no arguments → enrich from stdin with the defaults (source=events)', () => {
    expect(ok([])).toEqual({ kind: 'enrich', ...defaults });
  });

  it('files without a command word → enrich, in order', () => {
    expect(ok(['a.ndjson', '-', 'b.ndjson'])).toMatchObject({ kind: 'enrich', inputs: ['a.ndjson', '-', 'b.ndjson'] });
  });

  it('enrich with every common option', () => {
    expect(
      ok([
        'enrich',
        '--proctree',
        'source=both',
        '-t',
        'process-cache=8192',
        '--signals',
        'sig.ndjson',
        '--reorder-window',
        '1.5s',
        '--procfs-root',
        '/host/proc',
        '--quiet',
        '--stats',
        '--strict',
        'cap.ndjson',
      ]),
    ).toEqual({
      kind: 'enrich',
      proctree: { ...PROCTREE_DEFAULTS, source: 'both', processCacheSize: 8192, warnings: [] },
      inputs: ['cap.ndjson'],
      signals: 'sig.ndjson',
      reorderWindow: 1_500_000_000n,
      procfsRoot: '/host/proc',
      quiet: true,
      stats: true,
      strict: true,
    });
  });

  it('options may come before the command word, and inline with =', () => {
    expect(ok(['--quiet', 'tree', '--format=json', 'x'])).toMatchObject({ kind: 'tree', quiet: true, format: 'json', inputs: ['x'] });
  });

  it('query needs --queries', () => {
    expect(ok(['query', '--queries', 'q.ndjson', 'cap.ndjson'])).toMatchObject({ kind: 'query', queries: 'q.ndjson', inputs: ['cap.ndjson'] });
    expect(fail(['query', 'cap.ndjson']).message).toBe('query needs --queries QFILE: proctree-rx query --queries QFILE [FILE...]');
  });

  it('tree: --at is exact bigint ns, --format defaults to text', () => {
    expect(ok(['tree', 'cap.ndjson'])).toMatchObject({ kind: 'tree', at: undefined, format: 'text' });
    const t = ok(['tree', '--at', '1696266003602899123', '--format', 'dot', 'cap.ndjson']);
    expect(t).toMatchObject({ kind: 'tree', at: 1696266003602899123n, format: 'dot' });
  });

  it('tree --format html takes --from/--to (exact ns) and signatures; they need html, and --from ≤ --to', () => {
    const t = ok(['tree', '--format', 'html', '--from', '1696266003602899123', '--to', '1696266003602899999', '--signatures', 'PRX-001', '--signature-module', 'r.js', 'cap.ndjson']);
    expect(t).toMatchObject({ kind: 'tree', format: 'html', from: 1696266003602899123n, to: 1696266003602899999n, signatures: ['PRX-001'], signatureModules: ['r.js'] });
    expect(ok(['tree', 'cap.ndjson'])).toMatchObject({ from: undefined, to: undefined, signatures: undefined, signatureModules: [] });
    expect(fail(['tree', '--from', '5', '--signatures', 'PRX-001', 'cap.ndjson']).message).toBe(
      '--from, --signatures only apply to the timeline page: add --format html (proctree-rx tree --format html --from … FILE > tree.html)',
    );
    expect(fail(['tree', '--format', 'html', '--from', '9', '--to', '5', 'cap.ndjson']).message).toBe('invalid --from/--to: --from 9 is after --to 5');
    expect(fail(['tree', '--format', 'html', '--to=1e9', 'cap.ndjson']).message).toContain('invalid --to "1e9": expected integer nanoseconds since the epoch');
    expect(fail(['snapshot', '--format', 'html']).message).toBe(
      '--format html draws a capture over time: use proctree-rx tree --format html FILE > tree.html (snapshot takes text, json or dot)',
    );
  });

  it('snapshot reads procfs, takes --procfs-root and --format, and no FILE', () => {
    expect(ok(['snapshot', '--procfs-root', '/host/proc', '--format', 'json'])).toMatchObject({
      kind: 'snapshot',
      inputs: [],
      procfsRoot: '/host/proc',
      format: 'json',
    });
    expect(fail(['snapshot', 'a.ndjson']).message).toBe(
      'snapshot reads procfs, not events (got a.ndjson); to print the tree of a capture: proctree-rx tree a.ndjson',
    );
  });

  it('findings: --signature-module may be repeated (kept in order); an empty one says what to type', () => {
    expect(ok(['findings'])).toMatchObject({ signatureModules: [] });
    expect(ok(['findings', '--signature-module', './a.js', '--signature-module=b.mjs', 'cap.ndjson'])).toMatchObject({
      signatureModules: ['./a.js', 'b.mjs'],
      inputs: ['cap.ndjson'],
    });
    expect(fail(['findings', '--signature-module=']).message).toBe('--signature-module needs a file: --signature-module ./rules.js');
    expect(fail(['--signature-module', 'a.js']).message).toBe(
      'option --signature-module is not for the default command, enrich; it is for the findings and tree commands: proctree-rx findings --signature-module FILE ...',
    );
    expect(fail(['findings', '--signatures', 'A', '--signatures', 'B']).message).toBe('option --signatures given more than once (A, B); give it once');
  });

  it('findings: --signatures is a comma list (spaces trimmed); default: the default set', () => {
    expect(ok(['findings'])).toMatchObject({ kind: 'findings', signatures: undefined });
    expect(ok(['findings', '--signatures', 'TRC-1, TRC-2'])).toMatchObject({ signatures: ['TRC-1', 'TRC-2'] });
    expect(fail(['findings', '--signatures', 'a,,b']).message).toBe(
      'invalid --signatures "a,,b": expected ids separated by commas, e.g. --signatures PRX-001,PRX-002',
    );
  });

  it('a file named like a command is read after the command word or after --, or as ./name', () => {
    expect(ok(['enrich', 'tree'])).toMatchObject({ kind: 'enrich', inputs: ['tree'] });
    expect(ok(['--', 'tree'])).toMatchObject({ kind: 'enrich', inputs: ['tree'] });
    expect(ok(['tree', '--', '--odd-name'])).toMatchObject({ kind: 'tree', inputs: ['--odd-name'] });
    expect(ok(['./tree'])).toMatchObject({ kind: 'enrich', inputs: ['./tree'] });
  });
});

describe('parseCommandLine: help and version', () => {
  it.each([
    [['--help'], undefined],
    [['-h'], undefined],
    [['tree', '--help'], 'tree'],
    [['--help', 'findings'], 'findings'],
    [['help'], undefined],
    [['help', 'query'], 'query'],
    [['help', 'proctree'], 'proctree'],
    [['--proctree', 'help'], 'proctree'],
    [['tree', '-t', 'source=both,help'], 'proctree'],
  ] as const)('%j → help on %s', (argv, topic) => {
    expect(ok(argv)).toEqual({ kind: 'help', topic });
  });

  it('--help wins over other errors on the line', () => {
    expect(ok(['tree', '--bogus', '-h'])).toEqual({ kind: 'help', topic: 'tree' });
  });

  it('--version', () => {
    expect(ok(['--version'])).toEqual({ kind: 'version' });
    expect(ok(['tree', '--version'])).toEqual({ kind: 'version' });
  });

  it('help on an unknown topic suggests one', () => {
    expect(fail(['help', 'tre']).message).toBe(
      'no help on "tre"; topics are enrich, query, tree, snapshot, findings, proctree; did you mean "tree"?',
    );
  });
});

describe('parseCommandLine: usage errors say what to type instead', () => {
  it.each([
    [['tree', '--fromat', 'dot'], 'unknown option --fromat; did you mean --format?'],
    [['--quite'], 'unknown option --quite; did you mean --quiet?'],
    [['--stat'], 'unknown option --stat; did you mean --stats?'],
    [['--signatur', 'x'], 'unknown option --signatur; did you mean --signatures? It is for the findings and tree commands: proctree-rx findings --signatures ID,ID... ...'],
    [['--fromat', 'dot'], 'unknown option --fromat; did you mean --format? It is for the tree and snapshot commands: proctree-rx tree --format text|json|dot|html ...'],
    [['--verbose'], "unknown option --verbose; see 'proctree-rx --help' for the options"],
    [['tree', '--verbose'], "unknown option --verbose; see 'proctree-rx tree --help' for the options"],
    [['-x'], "unknown option -x; see 'proctree-rx --help' for the options"],
    [['--at', '5'], 'option --at is not for the default command, enrich; it is for the tree and snapshot commands: proctree-rx tree --at T ...'],
    [['enrich', '--format', 'json'], 'option --format is not for enrich; it is for the tree and snapshot commands: proctree-rx tree --format text|json|dot|html ...'],
    [['snapshot', '--signals', 's'], 'option --signals is not for snapshot; it is for the enrich, query, tree and findings commands: proctree-rx enrich --signals FILE ...'],
    [['tree', '--format'], 'option --format needs a value: --format text|json|dot|html'],
    [['tree', '--format', '--quiet'], 'option --format needs a value: --format text|json|dot|html (got --quiet; write --format=--quiet if that is the value)'],
    [['-t'], 'option -t (--proctree) needs a value: -t OPTS'],
    [['--quiet=yes'], 'option --quiet takes no value; write just --quiet'],
    [['tree', '--format', 'jsno'], 'invalid --format "jsno": valid formats are text, json, dot, html; did you mean --format json?'],
    [['tree', '--format', 'svg'], 'invalid --format "svg": valid formats are text, json, dot, html'],
    [['tree', '--at', '1.5e18'], 'invalid --at "1.5e18": expected integer nanoseconds since the epoch, e.g. --at 1696266003602899000'],
    [['tree', '--at', '-5'], 'option --at needs a value: --at T (integer ns since the epoch) (got -5; write --at=-5 if that is the value)'],
    [['tree', '--at=-5'], 'invalid --at "-5": expected integer nanoseconds since the epoch, e.g. --at 1696266003602899000'],
    [['--reorder-window', '500'], '--reorder-window: invalid duration "500": add a unit, e.g. 500ms (units: ns, us, ms, s, m)'],
    [['tre', 'x'], 'unknown command "tre"; did you mean "tree"? (to read a file named tre, write ./tre)'],
    [['snapshots'], 'unknown command "snapshots"; did you mean "snapshot"? (to read a file named snapshots, write ./snapshots)'],
    [['tree', '--format', 'json', '--format', 'dot'], 'option --format given more than once (json, dot); give it once'],
    [['-', '-'], 'stdin (-) given more than once'],
    [['--signals', '-'], '--signals - and the events both read stdin; give the events as FILE'],
    [['tree', '--proctree', 'none'], 'tree needs a process tree; drop --proctree source=none (or none)'],
    [['query', '--queries', 'q', '-t', 'source=none'], 'query needs a process tree; drop --proctree source=none (or none)'],
    [['snapshot', '-t', 'disable-procfs'], 'snapshot reads procfs; drop --proctree disable-procfs'],
    [
      ['--tracee-format', 'v0.233'],
      'invalid --tracee-format "v0.233": formats are v0.10, v0.11, v0.13, v0.15, v0.18, v0.20, v0.22.0, v0.22.3, v0.22.6, v0.23, v0.24, main; did you mean --tracee-format v0.23?',
    ],
    [['snapshot', '--tracee-format', 'v0.23'], 'option --tracee-format is not for snapshot; it is for the enrich, query, tree and findings commands: proctree-rx enrich --tracee-format v0.10|v0.11|v0.13|v0.15|v0.18|v0.20|v0.22.0|v0.22.3|v0.22.6|v0.23|v0.24|main ...'],
  ] as const)('%j', (argv, message) => {
    expect(fail(argv).message).toBe(message);
  });

  it('every usage error has exit code 2 and names its command', () => {
    expect(fail(['tree', '--fromat', 'x'])).toEqual({ message: 'unknown option --fromat; did you mean --format?', command: 'tree', exitCode: 2 });
    expect(fail(['tre'])).toMatchObject({ command: undefined, exitCode: 2 });
  });

  it('--proctree errors come through verbatim', () => {
    expect(fail(['--proctree', 'sorce=events']).message).toBe(
      'invalid --proctree option "sorce=events": valid options are source=none|events|signals|both, process-cache=N, thread-cache=N, disable-procfs, disable-procfs-query, help; did you mean "source=events"?',
    );
  });
});

describe('parseCommandLine: accepted edge cases', () => {
  it('source=none passes events through (enrich) and is allowed for findings', () => {
    expect(ok(['-t', 'none'])).toMatchObject({ kind: 'enrich', proctree: { source: 'none' } });
    expect(ok(['findings', '-t', 'source=none'])).toMatchObject({ kind: 'findings', proctree: { source: 'none' } });
  });

  it('--proctree warnings are carried in the config', () => {
    expect(ok(['-t', 'process-cache=10'])).toMatchObject({
      proctree: { processCacheSize: 16384, warnings: ['--proctree process-cache=10 is below the minimum 4096; using the default 16384 (as Tracee does)'] },
    });
  });

  it('--signals without a signal source is accepted with a warning', () => {
    expect(ok(['--signals', 's.ndjson', 'e.ndjson'])).toMatchObject({
      signals: 's.ndjson',
      proctree: { warnings: ['--signals does not feed the tree with --proctree source=events; use source=signals or source=both'] },
    });
    expect(ok(['--signals', 's.ndjson', '-t', 'source=both', 'e.ndjson'])).toMatchObject({ proctree: { warnings: [] } });
  });

  it('--signals - is fine when the events come from files', () => {
    expect(ok(['--signals', '-', '-t', 'source=signals', 'e.ndjson'])).toMatchObject({ signals: '-', inputs: ['e.ndjson'] });
  });

  it('--tracee-format takes a format name, with or without its v', () => {
    expect(ok(['--tracee-format', 'v0.23', 'e.ndjson'])).toMatchObject({ traceeFormat: 'v0.23' });
    expect(ok(['tree', '--tracee-format=0.24', 'e.ndjson'])).toMatchObject({ kind: 'tree', traceeFormat: 'v0.24' });
    expect(ok(['--tracee-format', 'main', 'e.ndjson'])).toMatchObject({ traceeFormat: 'main' });
  });

  it('--reorder-bytes SIZE and --issues FILE', () => {
    expect(ok(['--reorder-bytes', '16MiB', '--issues', 'bad.ndjson', 'cap.ndjson'])).toMatchObject({ reorderBytes: 16 * 1024 * 1024, issues: 'bad.ndjson', inputs: ['cap.ndjson'] });
    expect(ok(['tree', '--reorder-bytes=0', 'cap.ndjson'])).toMatchObject({ kind: 'tree', reorderBytes: 0 });
    expect(fail(['--reorder-bytes', '64 MB']).message).toBe('--reorder-bytes: invalid size "64 MB": expected e.g. 64MiB, 512KiB, 1GiB or 0 (no spaces)');
    expect(fail(['--issue', 'x.ndjson']).message).toBe('unknown option --issue; did you mean --issues?');
    expect(fail(['snapshot', '--issues', 'x.ndjson']).message).toContain('option --issues is not for snapshot');
  });

  it('--reorder-window 0 and a lone - ', () => {
    expect(ok(['--reorder-window', '0', '-'])).toMatchObject({ reorderWindow: 0n, inputs: ['-'] });
  });

  it('words with a dot or slash are files, never command typos', () => {
    expect(ok(['tre.ndjson'])).toMatchObject({ kind: 'enrich', inputs: ['tre.ndjson'] });
    expect(ok(['data/tre'])).toMatchObject({ kind: 'enrich', inputs: ['data/tre'] });
  });
});
