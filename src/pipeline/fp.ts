/**
 * The fp-ts helpers a caller of proctree-rx needs, re-exported so that code reading a query's
 * `Option` or a parser's `Either` never imports fp-ts paths itself (which a strict package layout
 * such as pnpm's would refuse: fp-ts is proctree-rx's dependency, not yours).
 *
 * @example
 * ```ts
 * import { isSome, processByPidAt, toUndefined } from 'proctree-rx';
 * const who = processByPidAt(tree, 4242, t);
 * if (isSome(who)) console.log(who.value.executionBinary.path);
 * console.log(toUndefined(who)?.pid);
 * ```
 * @module
 */
export { isNone, isSome, toUndefined } from 'fp-ts/lib/Option.js';
export type { Option } from 'fp-ts/lib/Option.js';
export { isLeft, isRight } from 'fp-ts/lib/Either.js';
export type { Either } from 'fp-ts/lib/Either.js';
