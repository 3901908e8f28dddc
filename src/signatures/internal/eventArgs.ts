/**
 * Reading an event's arguments without trusting them: `args` may be `null`, hold `null` or
 * non-objects, lack a name, or carry a value of the wrong type. Nothing here throws; every
 * problem is named so the caller can report it.
 *
 * @module
 */
import type { TraceeEvent } from '../../streams/types.js';

/** The usable arguments of an event (by name) and what was wrong with the rest. */
export interface EventArgs {
  readonly values: ReadonlyMap<string, unknown>;
  /** E.g. `args[0] is null`, `argument "pathname" is not a string`. */
  readonly problems: string[];
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/** The named arguments of `e`; malformed entries are left out and listed in `problems`. */
export function eventArgs(e: TraceeEvent): EventArgs {
  const values = new Map<string, unknown>();
  const problems: string[] = [];
  const args: unknown = (e as { args?: unknown }).args;
  if (args === undefined || args === null) return { values, problems };
  if (!Array.isArray(args)) return { values, problems: [`"args" is ${kindOf(args)}, not an array`] };
  args.forEach((a: unknown, i) => {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) return void problems.push(`args[${i}] is ${kindOf(a)}, not an argument`);
    const name = (a as { name?: unknown }).name;
    if (typeof name !== 'string') return void problems.push(`args[${i}] has no name`);
    values.set(name, (a as { value?: unknown }).value);
  });
  return { values, problems };
}

/** Notes a problem when argument `name` is present and not a string (`null` included). */
export function checkString(args: EventArgs, name: string): void {
  const v = args.values.get(name);
  if (args.values.has(name) && typeof v !== 'string') args.problems.push(`argument "${name}" is ${kindOf(v)}, not a string`);
}

/** Notes a problem when argument `name` is present, not `null`, and not an array of strings. */
export function checkStrings(args: EventArgs, name: string): void {
  const v = args.values.get(name);
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) return void args.problems.push(`argument "${name}" is ${kindOf(v)}, not an array of strings`);
  const bad = v.filter((x) => typeof x !== 'string').length;
  if (bad > 0) args.problems.push(`argument "${name}" holds ${bad} non-string entries`);
}
