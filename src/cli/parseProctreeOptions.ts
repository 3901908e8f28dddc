/**
 * `--proctree` values → a validated process-tree configuration (spec §7.1–7.2, spec/README.md
 * decision 1).
 *
 * ## Syntax (as Tracee's `--proctree`)
 * The flag is repeatable and each value is a comma-separated list of options, applied left to
 * right; for a repeated option the last one wins. Options match exactly (case-sensitive, no
 * trimming): `source=none|events|signals|both`, `process-cache=N`, `thread-cache=N`,
 * `disable-procfs` (no startup walk, no runtime queries), `disable-procfs-query` (no runtime
 * queries), `help`.
 *
 * ## Where proctree-rx differs from Tracee, on purpose
 * - **Default source is `events`** (Tracee: `none`), and the cache defaults are the product's
 *   documented 16384 processes / 32768 threads (Tracee's code: 32768 / 32768).
 * - **`source=none` is accepted** and means "no tree": events pass through without process
 *   context. Tracee rejects it alone (Q9, "cache was set but no source was given"). Cache sizes or
 *   procfs options given together with `source=none` are accepted with a warning (they have no
 *   effect).
 * - **A bare `none`** is a synonym of `source=none`, applied in order like any other option, as a
 *   whole value or as a piece of one. Tracee instead stops parsing at any *value* that merely
 *   starts with `none` (so `nonexistent` is silently accepted and later values are ignored) and
 *   rejects `none` inside a comma list; we do neither: `nonexistent` is an error.
 * - **Sizes below 4096** keep the default as Tracee does, but with a warning saying so. Sizes that
 *   are not decimal digits (including negatives, which Tracee silently ignores) are errors, and so
 *   are sizes above {@link MAX_CACHE_SIZE} (the LRU preallocates its slots).
 * - **The first bad option is reported** (Tracee reports the last one), naming the value and the
 *   valid options. `help` must be a whole option (Tracee: any value *starting* with `help`).
 * - **Repeated `source=` with different values**: the last wins (as Tracee) and a warning says so.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { closestMatch } from './closestMatch.js';

/** Which inputs feed the process tree (spec §4.1). `none`: no tree, events pass through. */
export type ProctreeSource = 'none' | 'events' | 'signals' | 'both';

/** The process-tree configuration a `--proctree` list describes. */
export interface ProctreeConfig {
  readonly source: ProctreeSource;
  /** LRU bound on processes (thread-group leaders). */
  readonly processCacheSize: number;
  /** LRU bound on threads. */
  readonly threadCacheSize: number;
  /** Walk procfs once at startup (only ever applies when procfs is in play, see `procfsPlan`). */
  readonly procfsInitialization: boolean;
  /** Query procfs for parents/leaders at runtime (same condition). */
  readonly procfsQuerying: boolean;
  /** Things that were accepted but probably not meant, for the user's eyes (stderr). */
  readonly warnings: readonly string[];
}

/**
 * Why a `--proctree` list was not accepted: `help` was asked for (print the `--proctree` help,
 * exit 0), or an option is invalid (`message` names it and lists the valid ones).
 */
export type ProctreeOptionError =
  | { readonly kind: 'help' }
  | { readonly kind: 'invalid'; readonly message: string; readonly value: string };

/** Sources accepted by `source=`. */
export const PROCTREE_SOURCES: readonly ProctreeSource[] = ['none', 'events', 'signals', 'both'];

/** Tracee's minimum accepted cache size; smaller values keep the default. */
export const MIN_CACHE_SIZE = 4096;

/** Largest accepted cache size (2^24): the LRU allocates ~12 bytes per slot up front. */
export const MAX_CACHE_SIZE = 16_777_216;

/** proctree-rx's defaults (spec/README.md decision 1; source `events`, unlike Tracee's `none`). */
export const PROCTREE_DEFAULTS: ProctreeConfig = Object.freeze({
  source: 'events',
  processCacheSize: 16_384,
  threadCacheSize: 32_768,
  procfsInitialization: true,
  procfsQuerying: true,
  warnings: Object.freeze([]),
});

/** The valid options, as listed in error messages. */
export const PROCTREE_VALID_OPTIONS =
  'source=none|events|signals|both, process-cache=N, thread-cache=N, disable-procfs, disable-procfs-query, help';

const VALUED_KEYS = ['source', 'process-cache', 'thread-cache'];
const FLAG_OPTIONS = ['disable-procfs', 'disable-procfs-query', 'help', 'none'];

/** A likely intended spelling of a bad option, if there is one. */
const suggestFor = (piece: string): string | undefined => {
  const eq = piece.indexOf('=');
  if (eq >= 0) {
    const key = closestMatch(piece.slice(0, eq), VALUED_KEYS);
    return key === undefined ? undefined : `${key}${piece.slice(eq)}`;
  }
  const flag = closestMatch(piece, FLAG_OPTIONS);
  if (flag !== undefined) return flag;
  const key = closestMatch(piece, VALUED_KEYS);
  return key === undefined ? undefined : `${key}=${key === 'source' ? 'events' : 'N'}`;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const invalid = (value: string, message: string): E.Either<ProctreeOptionError, never> =>
  E.left({ kind: 'invalid', message, value });

const badOption = (piece: string, whole: string): E.Either<ProctreeOptionError, never> => {
  const where = piece === whole ? '' : ` (in "${whole}")`;
  const what = piece === '' ? 'empty --proctree option' : `invalid --proctree option "${piece}"`;
  const trimmed = piece.trim();
  const near = trimmed !== piece && trimmed !== '' ? trimmed : suggestFor(piece);
  const hint = near === undefined ? '' : `; did you mean "${near}"?`;
  return invalid(piece, `${what}${where}: valid options are ${PROCTREE_VALID_OPTIONS}${hint}`);
};

const parseSize = (
  name: 'process-cache' | 'thread-cache',
  text: string,
  fallback: number,
  warnings: string[],
): E.Either<ProctreeOptionError, number> => {
  if (!/^[0-9]+$/.test(text)) {
    return invalid(
      `${name}=${text}`,
      `invalid --proctree ${name} size "${text}": expected a whole number of entries, e.g. ${name}=${fallback}`,
    );
  }
  const n = Number(text);
  if (n > MAX_CACHE_SIZE) {
    return invalid(`${name}=${text}`, `invalid --proctree ${name} size "${text}": the maximum is ${MAX_CACHE_SIZE}`);
  }
  if (n < MIN_CACHE_SIZE) {
    warnings.push(`--proctree ${name}=${text} is below the minimum ${MIN_CACHE_SIZE}; using the default ${fallback} (as Tracee does)`);
    return E.right(fallback);
  }
  return E.right(n);
};

/**
 * Parses the values of every `--proctree` flag, in order, into a {@link ProctreeConfig}. Pure.
 *
 * No values → {@link PROCTREE_DEFAULTS} (`source=events`, 16384 processes, 32768 threads, procfs
 * on where procfs applies). See the module notes for the exact syntax and our deviations from
 * Tracee.
 *
 * @returns `Right(config)` (possibly with warnings), `Left({kind:'help'})`, or
 *   `Left({kind:'invalid', message, value})` for the first bad option.
 * @example
 * ```ts
 * import { parseProctreeOptions } from './parseProctreeOptions.js';
 * parseProctreeOptions(['source=both,process-cache=8192', 'thread-cache=65536']);
 * // Right({ source: 'both', processCacheSize: 8192, threadCacheSize: 65536, …, warnings: [] })
 * parseProctreeOptions(['sorce=events']);
 * // Left({ kind: 'invalid', value: 'sorce=events',
 * //        message: 'invalid --proctree option "sorce=events": valid options are …; did you mean "source=events"?' })
 * ```
 */
export function parseProctreeOptions(values: readonly string[]): E.Either<ProctreeOptionError, ProctreeConfig> {
  const config: Mutable<Omit<ProctreeConfig, 'warnings'>> = { ...PROCTREE_DEFAULTS };
  const warnings: string[] = [];
  const sourcesGiven: ProctreeSource[] = [];
  let treeOptionGiven = false;

  for (const value of values) {
    for (const piece of value.split(',')) {
      if (piece === 'help') return E.left({ kind: 'help' });
      if (piece === 'none') {
        config.source = 'none';
        sourcesGiven.push('none');
      } else if (piece.startsWith('source=')) {
        const source = piece.slice('source='.length);
        if (!(PROCTREE_SOURCES as readonly string[]).includes(source)) {
          const near = closestMatch(source, PROCTREE_SOURCES);
          return invalid(
            piece,
            `invalid --proctree source "${source}": valid sources are ${PROCTREE_SOURCES.join(', ')}` +
              (near === undefined ? '' : `; did you mean "source=${near}"?`),
          );
        }
        config.source = source as ProctreeSource;
        sourcesGiven.push(config.source);
      } else if (piece.startsWith('process-cache=') || piece.startsWith('thread-cache=')) {
        const name = piece.startsWith('process-cache=') ? 'process-cache' : 'thread-cache';
        const field = name === 'process-cache' ? 'processCacheSize' : 'threadCacheSize';
        const size = parseSize(name, piece.slice(name.length + 1), PROCTREE_DEFAULTS[field], warnings);
        if (E.isLeft(size)) return size;
        config[field] = size.right;
        treeOptionGiven = true;
      } else if (piece === 'disable-procfs') {
        config.procfsInitialization = false;
        config.procfsQuerying = false;
        treeOptionGiven = true;
      } else if (piece === 'disable-procfs-query') {
        config.procfsQuerying = false;
        treeOptionGiven = true;
      } else {
        return badOption(piece, value);
      }
    }
  }

  if (new Set(sourcesGiven).size > 1) {
    warnings.push(`--proctree source given more than once (${sourcesGiven.join(', ')}); using the last: ${config.source}`);
  }
  if (config.source === 'none' && treeOptionGiven) {
    warnings.push('--proctree source=none builds no process tree; the cache and procfs options have no effect');
  }
  return E.right({ ...config, warnings });
}
