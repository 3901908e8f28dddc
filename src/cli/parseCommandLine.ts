/**
 * `proctree-rx` argv → what to do ({@link CliRequest}) or why not ({@link UsageError}). Pure.
 *
 * Grammar: `proctree-rx [COMMAND] [OPTIONS] [FILE...]`. The command word is the first positional
 * argument when it names a command (or `help`); otherwise the command is `enrich` and every
 * positional is a FILE (write `./tree` for a file named like a command). A first positional
 * that is one typo away from a command word, with no `/` or `.` in it, is a usage error
 * (`unknown command "tre"; did you mean "tree"?`). Options may come before or after the command
 * word; `--` ends options. `-h`/`--help` anywhere wins over everything else, then `--version`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { parseArgs } from 'node:util';
import { formatByName, TRACEE_FORMATS } from '../streams/traceeFormat.js';
import { closestMatch } from './closestMatch.js';
import {
  COMMAND_NAMES,
  type CliCommand,
  type CliRequest,
  type CommandName,
  type CommonOptions,
  type SnapshotFormat,
  type TreeFormat,
  type UsageError,
} from './cliTypes.js';
import { parseDuration } from './parseDuration.js';
import { parseProctreeOptions } from './parseProctreeOptions.js';
import { parseSize } from './parseSize.js';

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** How the value is written in messages, e.g. `text|json|dot`. */
  readonly value?: string;
  /** Commands that accept it; `'all'` = every command. */
  readonly commands: readonly CommandName[] | 'all';
  /** May be given more than once (each value kept, in order). */
  readonly repeatable?: boolean;
}

const READERS: readonly CommandName[] = ['enrich', 'query', 'tree', 'findings'];

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  proctree: { type: 'string', short: 't', value: 'OPTS', commands: 'all', repeatable: true },
  'procfs-root': { type: 'string', value: 'DIR', commands: 'all' },
  quiet: { type: 'boolean', commands: 'all' },
  stats: { type: 'boolean', commands: 'all' },
  strict: { type: 'boolean', commands: 'all' },
  artifacts: { type: 'boolean', commands: ['enrich', 'query', 'tree'] },
  help: { type: 'boolean', short: 'h', commands: 'all' },
  version: { type: 'boolean', commands: 'all' },
  signals: { type: 'string', value: 'FILE', commands: READERS },
  'reorder-window': { type: 'string', value: 'DURATION (e.g. 500ms, 2s, 0)', commands: READERS },
  'tracee-format': { type: 'string', value: TRACEE_FORMATS.map((f) => f.name).join('|'), commands: READERS },
  'reorder-bytes': { type: 'string', value: 'SIZE (e.g. 64MiB, 512KiB, 0)', commands: READERS },
  issues: { type: 'string', value: 'FILE', commands: READERS },
  queries: { type: 'string', value: 'QFILE', commands: ['query'] },
  at: { type: 'string', value: 'T (integer ns since the epoch)', commands: ['tree', 'snapshot'] },
  out: { type: 'string', value: 'FILE', commands: ['snapshot'] },
  'from-snapshot': { type: 'string', value: 'FILE', commands: [...READERS, 'snapshot'] },
  from: { type: 'string', value: 'T (integer ns; --format html)', commands: ['tree'] },
  to: { type: 'string', value: 'T (integer ns; --format html)', commands: ['tree'] },
  format: { type: 'string', value: 'text|json|dot|html', commands: ['tree', 'snapshot'] },
  signatures: { type: 'string', value: 'ID,ID...', commands: ['findings', 'tree'] },
  'signature-module': { type: 'string', value: 'FILE', commands: ['findings', 'tree'], repeatable: true },
};

const FORMATS: readonly TreeFormat[] = ['text', 'json', 'dot', 'html'];

const appliesTo = (spec: OptionSpec, command: CommandName): boolean => spec.commands === 'all' || spec.commands.includes(command);

const usage = (message: string, command: CommandName | undefined): E.Either<UsageError, never> =>
  E.left({ message, command, exitCode: 2 });

const isCommand = (word: string): word is CommandName => (COMMAND_NAMES as readonly string[]).includes(word);

type Token = ReturnType<typeof tokenize>[number];

function tokenize(argv: readonly string[]) {
  const options = Object.fromEntries(
    Object.entries(OPTIONS).map(([name, spec]) => [
      name,
      spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short },
    ]),
  );
  return parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true }).tokens;
}

const ownersOf = (spec: OptionSpec): readonly CommandName[] => (spec.commands === 'all' ? COMMAND_NAMES : spec.commands);

/** "the tree command" / "the tree and snapshot commands", plus an example line. */
const ownedBy = (name: string): string => {
  const spec = OPTIONS[name]!;
  const owners = ownersOf(spec);
  const who = owners.length === 1 ? `the ${owners[0]} command` : `the ${owners.slice(0, -1).join(', ')} and ${owners.at(-1)} commands`;
  const value = spec.value === undefined ? '' : ` ${spec.value.split(' ')[0]}`;
  return `${who}: proctree-rx ${owners[0]} --${name}${value} ...`;
};

const commandLabel = (command: CommandName, explicit: boolean): string => (explicit ? command : `the default command, ${command}`);

/** Checks one option token against the command; returns its value (`undefined` for booleans). */
function checkOption(
  token: Extract<Token, { kind: 'option' }>,
  command: CommandName,
  explicitCommand: boolean,
): E.Either<UsageError, string | undefined> {
  const spec = OPTIONS[token.name];
  const isLong = token.rawName.startsWith('--');
  if (spec === undefined) {
    // Options of this command first, so they win ties against options of other commands.
    const names = Object.keys(OPTIONS).sort((a, b) => Number(!appliesTo(OPTIONS[a]!, command)) - Number(!appliesTo(OPTIONS[b]!, command)));
    const near = isLong ? closestMatch(token.name, names) : undefined;
    if (near !== undefined && appliesTo(OPTIONS[near]!, command)) return usage(`unknown option ${token.rawName}; did you mean --${near}?`, command);
    if (near !== undefined) return usage(`unknown option ${token.rawName}; did you mean --${near}? It is for ${ownedBy(near)}`, command);
    const where = explicitCommand ? ` ${command}` : '';
    return usage(`unknown option ${token.rawName}; see 'proctree-rx${where} --help' for the options`, command);
  }
  if (!appliesTo(spec, command)) {
    return usage(`option --${token.name} is not for ${commandLabel(command, explicitCommand)}; it is for ${ownedBy(token.name)}`, command);
  }
  const shown = isLong ? token.rawName : `${token.rawName} (--${token.name})`;
  if (spec.type === 'boolean') {
    if (token.value !== undefined) return usage(`option ${shown} takes no value; write just ${token.rawName}`, command);
    return E.right(undefined);
  }
  const value = token.value;
  if (value === undefined || (token.inlineValue === false && value.startsWith('-') && value !== '-')) {
    const got = value === undefined ? '' : ` (got ${value}; write ${token.rawName}=${value} if that is the value)`;
    return usage(`option ${shown} needs a value: ${token.rawName} ${spec.value ?? 'VALUE'}${got}`, command);
  }
  return E.right(value);
}

/**
 * Parses `proctree-rx`'s arguments (without `node` and the script path). Pure; uses
 * `node:util` `parseArgs` for tokenizing and validates everything itself, so every message says
 * what to type instead.
 *
 * Rules beyond the grammar (see the module notes): string options other than `--proctree` and
 * `--signature-module` may be given once; a value that looks like an option (`--format --quiet`) counts as missing unless
 * written inline (`--format=--quiet`); stdin (`-`) may be read once, by FILE or `--signals`;
 * `snapshot` takes no FILE and refuses `--proctree disable-procfs` and `source=none`; `tree` and
 * `query` refuse `--proctree source=none` (no tree to show or ask).
 *
 * @returns `Right(request)`: a command, a help request, or a version request; or
 *   `Left(UsageError)` (exit code 2).
 * @example
 * ```ts
 * import { parseCommandLine } from './parseCommandLine.js';
 * parseCommandLine(['tree', '--format', 'dot', 'capture.ndjson']);
 * // Right({ kind: 'tree', format: 'dot', at: undefined, inputs: ['capture.ndjson'], … })
 * parseCommandLine(['tree', '--fromat', 'dot']);
 * // Left({ message: 'unknown option --fromat; did you mean --format?', command: 'tree', exitCode: 2 })
 * ```
 */
export function parseCommandLine(argv: readonly string[]): E.Either<UsageError, CliRequest> {
  const tokens = tokenize(argv);

  // The command word: the first positional before `--`.
  let command: CommandName = 'enrich';
  let explicitCommand = false;
  let helpWord = false;
  let commandIndex = -1;
  const firstPositional = tokens.find((t) => t.kind === 'positional' || t.kind === 'option-terminator');
  if (firstPositional?.kind === 'positional') {
    const word = firstPositional.value;
    if (isCommand(word)) {
      command = word;
      explicitCommand = true;
      commandIndex = firstPositional.index;
    } else if (word === 'help') {
      helpWord = true;
      commandIndex = firstPositional.index;
    } else if (!/[./]/.test(word) && word !== '-') {
      const near = closestMatch(word, [...COMMAND_NAMES, 'help']);
      if (near !== undefined) {
        return usage(`unknown command "${word}"; did you mean "${near}"? (to read a file named ${word}, write ./${word})`, undefined);
      }
    }
  }

  const positionals = tokens.flatMap((t) => (t.kind === 'positional' && t.index !== commandIndex ? [t.value] : []));
  const options = tokens.filter((t): t is Extract<Token, { kind: 'option' }> => t.kind === 'option');

  if (helpWord) {
    if (options.some((t) => t.name === 'help' || t.name === 'version') || positionals.length > 1) {
      return usage(`usage: proctree-rx help [${COMMAND_NAMES.join('|')}|proctree]`, undefined);
    }
    const topic = positionals[0];
    if (topic === undefined) return E.right({ kind: 'help', topic: undefined });
    if (isCommand(topic) || topic === 'proctree') return E.right({ kind: 'help', topic });
    const near = closestMatch(topic, [...COMMAND_NAMES, 'proctree']);
    return usage(
      `no help on "${topic}"; topics are ${COMMAND_NAMES.join(', ')}, proctree` + (near === undefined ? '' : `; did you mean "${near}"?`),
      undefined,
    );
  }
  if (options.some((t) => t.name === 'help')) {
    return E.right({ kind: 'help', topic: explicitCommand ? command : undefined });
  }
  if (options.some((t) => t.name === 'version')) return E.right({ kind: 'version' });

  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (const token of options) {
    const checked = checkOption(token, command, explicitCommand);
    if (E.isLeft(checked)) return checked;
    if (checked.right === undefined) {
      flags.add(token.name);
      continue;
    }
    const seen = values.get(token.name) ?? [];
    if (seen.length > 0 && OPTIONS[token.name]?.repeatable !== true) {
      return usage(`option --${token.name} given more than once (${seen[0]}, ${checked.right}); give it once`, command);
    }
    values.set(token.name, [...seen, checked.right]);
  }
  const one = (name: string): string | undefined => values.get(name)?.[0];

  const proctree = parseProctreeOptions(values.get('proctree') ?? []);
  if (E.isLeft(proctree)) {
    return proctree.left.kind === 'help' ? E.right({ kind: 'help', topic: 'proctree' }) : usage(proctree.left.message, command);
  }

  let reorderWindow: bigint | undefined;
  const window = one('reorder-window');
  if (window !== undefined) {
    const parsed = parseDuration(window);
    if (E.isLeft(parsed)) return usage(`--reorder-window: ${parsed.left}`, command);
    reorderWindow = parsed.right;
  }

  const traceeFormatName = one('tracee-format');
  const traceeFormat = traceeFormatName === undefined ? undefined : formatByName(traceeFormatName);
  if (traceeFormatName !== undefined && traceeFormat === undefined) {
    const names = TRACEE_FORMATS.map((f) => f.name);
    const near = closestMatch(traceeFormatName, names);
    return usage(
      `invalid --tracee-format "${traceeFormatName}": formats are ${names.join(', ')}` + (near === undefined ? '' : `; did you mean --tracee-format ${near}?`),
      command,
    );
  }

  let reorderBytes: number | undefined;
  const bytes = one('reorder-bytes');
  if (bytes !== undefined) {
    const parsed = parseSize(bytes);
    if (E.isLeft(parsed)) return usage(`--reorder-bytes: ${parsed.left}`, command);
    reorderBytes = parsed.right;
  }

  const signals = one('signals');
  // `snapshot --out` checkpoints the tree of a replay when given FILEs (or resumes one): an event reader then
  const replaySnapshot = command === 'snapshot' && one('out') !== undefined && (positionals.length > 0 || one('from-snapshot') !== undefined);
  const inputs = command === 'snapshot' && !replaySnapshot ? [] : positionals.length === 0 ? (command === 'snapshot' ? [] : ['-']) : positionals;
  if (command === 'snapshot' && positionals.length > 0 && !replaySnapshot) {
    return usage(
      `snapshot reads procfs, not events (got ${positionals.join(' ')}); to print the tree of a capture: proctree-rx tree ${positionals.join(' ')}`,
      command,
    );
  }
  const stdinReaders = inputs.filter((i) => i === '-').length + (signals === '-' ? 1 : 0);
  if (stdinReaders > 1) {
    const why = signals === '-' ? '--signals - and the events both read stdin; give the events as FILE' : 'stdin (-) given more than once';
    return usage(why, command);
  }
  let config = proctree.right;
  if (signals !== undefined && config.source !== 'signals' && config.source !== 'both') {
    // Not an error (signal lines may still matter to findings), but probably not what was meant.
    config = {
      ...config,
      warnings: [...config.warnings, `--signals does not feed the tree with --proctree source=${config.source}; use source=signals or source=both`],
    };
  }

  const needsTree: readonly CommandName[] = ['tree', 'query', 'snapshot'];
  if (config.source === 'none' && needsTree.includes(command)) {
    return usage(`${command} needs a process tree; drop --proctree source=none (or none)`, command);
  }
  if (command === 'snapshot' && one('at') !== undefined && !replaySnapshot) {
    return usage('snapshot --at needs --out FILE and the events to replay: proctree-rx snapshot --out tree.ckpt --at T capture.ndjson', command);
  }
  if (command === 'snapshot' && !config.procfsInitialization && !replaySnapshot) {
    return usage('snapshot reads procfs; drop --proctree disable-procfs', command);
  }

  const common: CommonOptions = {
    proctree: config,
    inputs,
    signals,
    reorderWindow,
    traceeFormat: traceeFormat?.name,
    reorderBytes,
    issues: one('issues'),
    procfsRoot: one('procfs-root'),
    quiet: flags.has('quiet'),
    stats: flags.has('stats'),
    strict: flags.has('strict'),
    ...(flags.has('artifacts') ? { artifacts: true } : {}),
    ...(one('from-snapshot') === undefined ? {} : { fromSnapshot: one('from-snapshot') }),
  };

  const format = one('format') ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    const near = closestMatch(format, FORMATS);
    return usage(
      `invalid --format "${format}": valid formats are ${FORMATS.join(', ')}` + (near === undefined ? '' : `; did you mean --format ${near}?`),
      command,
    );
  }

  /** `--signatures ID,…` and `--signature-module FILE`…, checked. */
  const signatureOptions = (): E.Either<UsageError, { signatures: string[] | undefined; signatureModules: readonly string[] }> => {
    const list = one('signatures');
    let signatures: string[] | undefined;
    if (list !== undefined) {
      signatures = list.split(',').map((s) => s.trim());
      if (signatures.some((s) => s === '')) {
        return usage(`invalid --signatures "${list}": expected ids separated by commas, e.g. --signatures PRX-001,PRX-002`, command);
      }
    }
    const signatureModules = values.get('signature-module') ?? [];
    if (signatureModules.some((m) => m.trim() === '')) {
      return usage('--signature-module needs a file: --signature-module ./rules.js', command);
    }
    return E.right({ signatures, signatureModules });
  };

  let result: CliCommand;
  switch (command) {
    case 'enrich':
      result = { kind: 'enrich', ...common };
      break;
    case 'query': {
      const queries = one('queries');
      if (queries === undefined) return usage('query needs --queries QFILE: proctree-rx query --queries QFILE [FILE...]', command);
      result = { kind: 'query', ...common, queries };
      break;
    }
    case 'tree': {
      const times: Partial<Record<'at' | 'from' | 'to', bigint>> = {};
      for (const name of ['at', 'from', 'to'] as const) {
        const value = one(name);
        if (value === undefined) continue;
        if (!/^[0-9]+$/.test(value)) {
          return usage(`invalid --${name} "${value}": expected integer nanoseconds since the epoch, e.g. --${name} 1696266003602899000`, command);
        }
        times[name] = BigInt(value);
      }
      const chosen = signatureOptions();
      if (E.isLeft(chosen)) return chosen;
      const { signatures, signatureModules } = chosen.right;
      if (format !== 'html') {
        const htmlOnly = [times.from !== undefined ? '--from' : '', times.to !== undefined ? '--to' : '', signatures !== undefined ? '--signatures' : '', signatureModules.length > 0 ? '--signature-module' : ''].filter((x) => x !== '');
        if (htmlOnly.length > 0) return usage(`${htmlOnly.join(', ')} only apply to the timeline page: add --format html (proctree-rx tree --format html ${htmlOnly[0]} … FILE > tree.html)`, command);
      }
      if (times.from !== undefined && times.to !== undefined && times.from > times.to) {
        return usage(`invalid --from/--to: --from ${times.from} is after --to ${times.to}`, command);
      }
      result = { kind: 'tree', ...common, at: times.at, format: format as TreeFormat, from: times.from, to: times.to, signatures, signatureModules };
      break;
    }
    case 'snapshot': {
      if (format === 'html') return usage('--format html draws a capture over time: use proctree-rx tree --format html FILE > tree.html (snapshot takes text, json or dot)', command);
      const at = one('at');
      if (at !== undefined && !/^[0-9]+$/.test(at)) {
        return usage(`invalid --at "${at}": expected integer nanoseconds since the epoch, e.g. --at 1696266003602899000`, command);
      }
      const out = one('out');
      result = { kind: 'snapshot', ...common, format: format as SnapshotFormat, ...(out === undefined ? {} : { out }), ...(at === undefined ? {} : { at: BigInt(at) }) };
      break;
    }
    case 'findings': {
      const chosen = signatureOptions();
      if (E.isLeft(chosen)) return chosen;
      const { signatures, signatureModules } = chosen.right;
      result = { kind: 'findings', ...common, signatures, signatureModules };
      break;
    }
  }
  return E.right(result);
}
