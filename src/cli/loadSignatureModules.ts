/**
 * `--signature-module FILE`: loads ESM modules and collects their signatures.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSignatureOperator, type AnySignature } from '../signatures/types.js';
import { signaturesOfModule } from './signaturesOfModule.js';

/** A loaded signature and the module it came from. */
export interface ModuleSignature {
  readonly id: string;
  readonly signature: AnySignature;
  readonly module: string;
}

const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** The id of a signature of either kind (a throwing `getMetadata` is reported by the caller). */
export const signatureIdOf = (sig: AnySignature): string => (isSignatureOperator(sig) ? sig.metadata.id : sig.getMetadata().id);

/**
 * Imports each module (paths relative to `cwd`, in order) and returns their signatures, or the
 * first reason one cannot be used: `FILE: no such file`, `FILE: cannot load: SyntaxError: …`,
 * `FILE: exports no signature …`, a signature without an id, or an id given twice (across
 * modules, or already taken by `reserved`, the built-in ids).
 *
 * @example
 * ```ts
 * import { loadSignatureModules } from './loadSignatureModules.js';
 * const loaded = await loadSignatureModules(['./rules.js'], process.cwd(), Object.keys(builtinSignatures));
 * ```
 */
export async function loadSignatureModules(paths: readonly string[], cwd: string, reserved: readonly string[]): Promise<E.Either<string, ModuleSignature[]>> {
  const out: ModuleSignature[] = [];
  const taken = new Map<string, string>(reserved.map((id) => [id, 'a built-in signature']));
  for (const path of paths) {
    const file = resolve(cwd, path);
    if (!existsSync(file)) return E.left(`${path}: no such file`);
    let namespace: Readonly<Record<string, unknown>>;
    try {
      namespace = (await import(pathToFileURL(file).href)) as Readonly<Record<string, unknown>>;
    } catch (err) {
      return E.left(`${path}: cannot load: ${errorText(err)}`);
    }
    const sigs = signaturesOfModule(namespace);
    if (E.isLeft(sigs)) return E.left(`${path}: ${sigs.left}`);
    for (const signature of sigs.right) {
      let id: unknown;
      try {
        id = signatureIdOf(signature);
      } catch (err) {
        return E.left(`${path}: getMetadata() threw: ${errorText(err)}`);
      }
      if (typeof id !== 'string' || id === '') return E.left(`${path}: a signature has no id (SignatureMetadata.id must be a non-empty string)`);
      const owner = taken.get(id);
      if (owner !== undefined) return E.left(`${path}: signature id ${id} is already used by ${owner}; give it another id`);
      taken.set(id, path);
      out.push({ id, signature, module: path });
    }
  }
  return E.right(out);
}
