/**
 * What a `proctree-rx` command line means, once parsed: the commands, their options, and the
 * usage error. Types only (and the command names).
 *
 * @module
 */
import type { Nanos } from '../streams/types.js';
import type { ProctreeConfig } from './parseProctreeOptions.js';

/** The command words, in the order the help lists them. `enrich` is the default. */
export const COMMAND_NAMES = ['enrich', 'query', 'tree', 'snapshot', 'findings'] as const;

/** One of {@link COMMAND_NAMES}. */
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Output formats of `tree` and `snapshot`. */
export type TreeFormat = 'text' | 'json' | 'dot' | 'html';

/** Formats of `snapshot` (the timeline page needs a capture). */
export type SnapshotFormat = Exclude<TreeFormat, 'html'>;

/** Options every command has (some are refused where they make no sense, e.g. inputs for `snapshot`). */
export interface CommonOptions {
  /** The `--proctree` values, parsed (defaults when none were given). */
  readonly proctree: ProctreeConfig;
  /**
   * Event inputs in command-line order; `'-'` is stdin. No FILE given → `['-']`. Always empty
   * for `snapshot`. `'-'` appears at most once.
   */
  readonly inputs: readonly string[];
  /** `--signals FILE`: a second NDJSON stream of signal lines (spec/README.md decision 7); `'-'` = stdin. */
  readonly signals: string | undefined;
  /** `--reorder-window`, exact ns; `undefined` = the pipeline's default. */
  readonly reorderWindow: Nanos | undefined;
  /** `--tracee-format NAME`: read every input as this Tracee format (see `TRACEE_FORMATS`); detected per input when absent. */
  readonly traceeFormat?: string | undefined;
  /**
   * `--reorder-bytes SIZE`: cap on the memory the reorder window holds, in bytes (`0` = no cap);
   * `undefined` = the pipeline's default (16 MiB for live input).
   */
  readonly reorderBytes: number | undefined;
  /** `--issues FILE`: every reported input problem written there as NDJSON, uncapped. */
  readonly issues: string | undefined;
  /** `--procfs-root DIR`: read procfs from DIR (and allow it while replaying files). */
  readonly procfsRoot: string | undefined;
  /** `--quiet`: no progress line, no summary, no warnings (bad lines are still reported). */
  readonly quiet: boolean;
  /** `--stats`: print counts at the end. */
  readonly stats: boolean;
  /** `--strict`: bad input lines make the exit code 1. */
  readonly strict: boolean;
  /** `--artifacts` (enrich, query, tree): keep and show per-process artifacts. */
  readonly artifacts?: boolean;
  /**
   * `--from-snapshot FILE`: start from the tree a checkpoint holds (`snapshot --out`), skipping
   * input events at or before its position (no procfs walk).
   */
  readonly fromSnapshot?: string | undefined;
}

/** `proctree-rx [enrich] [FILE…]`: events out, each with its process context. */
export interface EnrichCommand extends CommonOptions {
  readonly kind: 'enrich';
}

/** `proctree-rx query --queries QFILE [FILE…]`: answer as-of queries against the tree. */
export interface QueryCommand extends CommonOptions {
  readonly kind: 'query';
  /** `--queries QFILE` (required). */
  readonly queries: string;
}

/** `proctree-rx tree [--at T] [--format F] [FILE…]`: print the tree after the input (or as of T). */
export interface TreeCommand extends CommonOptions {
  readonly kind: 'tree';
  /** `--at T`: exact epoch ns; `undefined` = the end of the input. */
  readonly at: Nanos | undefined;
  readonly format: TreeFormat;
  /** `--from T` / `--to T` (html): only processes alive in that range are drawn. */
  readonly from: Nanos | undefined;
  readonly to: Nanos | undefined;
  /** `--signatures` / `--signature-module` (html): findings drawn on their process's lane. */
  readonly signatures: readonly string[] | undefined;
  readonly signatureModules: readonly string[];
}

/** `proctree-rx snapshot [--procfs-root DIR] [--format F]`: print the tree procfs describes now. */
export interface SnapshotCommand extends CommonOptions {
  readonly kind: 'snapshot';
  readonly format: SnapshotFormat;
  /**
   * `--out FILE`: write the tree as a checkpoint (format 1, see `src/checkpoint/`) instead of
   * printing it. With FILEs (or `--from-snapshot`), the tree after replaying them (up to `--at T`).
   */
  readonly out?: string | undefined;
  /** `--at T` (with `--out` and FILEs): replay only the events at or before T, exact epoch ns. */
  readonly at?: bigint | undefined;
}

/** `proctree-rx findings [--signatures ID,…] [--signature-module FILE]… [FILE…]`: run signatures, print their findings. */
export interface FindingsCommand extends CommonOptions {
  readonly kind: 'findings';
  /** `--signatures`: ids to run; `undefined` = the default built-ins and every signature of the modules. */
  readonly signatures: readonly string[] | undefined;
  /** `--signature-module FILE` (repeatable): ESM modules whose exported signatures are loaded, in order. */
  readonly signatureModules: readonly string[];
}

/** A command to run (what a `CommandRunner` from `commands.ts` receives). */
export type CliCommand = EnrichCommand | QueryCommand | TreeCommand | SnapshotCommand | FindingsCommand;

/** `-h`/`--help`, `help [TOPIC]`, or `--proctree help`: print help and exit 0. */
export interface HelpRequest {
  readonly kind: 'help';
  /** `undefined` = the general help. */
  readonly topic: CommandName | 'proctree' | undefined;
}

/** `--version`: print the version and exit 0. */
export interface VersionRequest {
  readonly kind: 'version';
}

/** Everything a command line can ask for. */
export type CliRequest = CliCommand | HelpRequest | VersionRequest;

/** A command line that cannot be run. `message` says what to type instead. Exit code 2. */
export interface UsageError {
  readonly message: string;
  /** The command the error is about, to point at its help; `undefined` = general help. */
  readonly command: CommandName | undefined;
  readonly exitCode: 2;
}

/** Where text goes: anything with `write(string)` (a Node Writable such as `process.stderr`, or a test buffer). */
export interface TextSink {
  write(chunk: string): unknown;
}
