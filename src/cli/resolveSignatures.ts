/**
 * Which signatures a command runs (`--signatures ID,…`, `--signature-module FILE`…): the
 * built-ins and the modules' signatures, checked, with a usage message on any problem.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { builtinSignatures, DEFAULT_SIGNATURE_IDS } from '../signatures/builtin/builtinSignatures.js';
import type { AnySignature } from '../signatures/types.js';
import { loadSignatureModules } from './loadSignatureModules.js';

/** The options that choose signatures. */
export interface SignatureChoice {
  /** Ids to run; `undefined` = the default built-ins and every signature of the modules. */
  readonly signatures: readonly string[] | undefined;
  readonly signatureModules: readonly string[];
}

/**
 * The signatures `choice` names, each a fresh instance; or the usage message (exit 2) saying
 * why not: an unknown id (with the known ones), a module that cannot be loaded or exports none.
 *
 * @example
 * ```ts
 * const chosen = await resolveSignatures({ signatures: ['PRX-001'], signatureModules: [] });
 * if (E.isLeft(chosen)) console.error(chosen.left);
 * ```
 */
export async function resolveSignatures(choice: SignatureChoice): Promise<E.Either<string, AnySignature[]>> {
  const loaded = await loadSignatureModules(choice.signatureModules, process.cwd(), Object.keys(builtinSignatures));
  if (E.isLeft(loaded)) return E.left(`--signature-module ${loaded.left}`);
  const fromModules = new Map(loaded.right.map((m) => [m.id, m.signature]));
  const known = [...Object.keys(builtinSignatures), ...fromModules.keys()];
  const ids = choice.signatures ?? [...DEFAULT_SIGNATURE_IDS, ...fromModules.keys()];
  const unknown = ids.filter((id) => !Object.hasOwn(builtinSignatures, id) && !fromModules.has(id));
  if (unknown.length > 0) {
    const hint = choice.signatureModules.length === 0 ? ' (to run your own, load them with --signature-module FILE)' : '';
    return E.left(`unknown signature ${unknown.join(', ')}; known signatures: ${known.join(', ')}${hint}`);
  }
  return E.right([...new Set(ids)].map((id) => fromModules.get(id) ?? builtinSignatures[id]!()));
}
