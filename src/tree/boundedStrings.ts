/**
 * What the tree keeps of an argv: bounded like Tracee's own capture, so an exec storm with huge
 * argv costs bounded memory per process. Tracee's eBPF side keeps at most 40 array elements
 * (`MAX_STR_ARR_ELEM`) and 4096 bytes per string (`MAX_STRING_SIZE`, PATH_MAX). The event line
 * itself is passed through untouched; only the tree's copy (what ProcKey's `cmd` answers) is cut,
 * and says so: a cut string ends with `…[+N chars]`, a cut array gets a last element `…[+N args]`.
 * Internal to src/tree/.
 *
 * @module
 */

/** Elements of an argv the tree keeps. */
export const MAX_ARGV_ELEMENTS = 40;
/** Characters of one string the tree keeps. */
export const MAX_STRING_CHARS = 4096;

/** `s` cut to {@link MAX_STRING_CHARS}, with the marker. */
export const boundedString = (s: string): string => (s.length <= MAX_STRING_CHARS ? s : `${s.slice(0, MAX_STRING_CHARS)}…[+${s.length - MAX_STRING_CHARS} chars]`);

/** `argv` within the bounds (the same array when nothing is cut). */
export function boundedArgv(argv: readonly string[] | undefined): readonly string[] | undefined {
  if (argv === undefined) return undefined;
  let fits = argv.length <= MAX_ARGV_ELEMENTS;
  for (let i = 0; fits && i < argv.length; i++) if (argv[i]!.length > MAX_STRING_CHARS) fits = false;
  if (fits) return argv;
  const kept = argv.slice(0, MAX_ARGV_ELEMENTS).map(boundedString);
  if (argv.length > MAX_ARGV_ELEMENTS) kept.push(`…[+${argv.length - MAX_ARGV_ELEMENTS} args]`);
  return kept;
}
