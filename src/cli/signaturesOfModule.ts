/**
 * Which exports of a loaded `--signature-module` are signatures. Pure.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { AnySignature, Signature, SignatureOperator } from '../signatures/types.js';

const TRACEE_METHODS = ['getMetadata', 'getSelectedEventsToTrace', 'init', 'onEvent', 'close'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const isTraceeStyle = (v: unknown): v is Signature => isObject(v) && TRACEE_METHODS.every((m) => typeof v[m] === 'function');

const isOperatorStyle = (v: unknown): v is SignatureOperator =>
  isObject(v) && typeof v['operator'] === 'function' && isObject(v['metadata']) && typeof v['metadata']['id'] === 'string';

/** A class whose instances are Tracee-style signatures (`export class MySig implements Signature`). */
const isSignatureClass = (v: unknown): v is new () => Signature =>
  typeof v === 'function' && isObject(v.prototype) && TRACEE_METHODS.every((m) => typeof (v.prototype as Record<string, unknown>)[m] === 'function');

/** `value` as a signature: an instance of either style, or a Tracee-style class (instantiated with no arguments). */
function asSignature(value: unknown, name: string): E.Either<string, AnySignature | undefined> {
  if (isOperatorStyle(value) || isTraceeStyle(value)) return E.right(value);
  if (isSignatureClass(value)) {
    try {
      return E.right(new value());
    } catch (err) {
      return E.left(`new ${name}() threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return E.right(undefined);
}

/**
 * The signatures a module exports, in export order (`default` first), each once: every export
 * that is a Tracee-style `Signature` (an object with `getMetadata`, `getSelectedEventsToTrace`,
 * `init`, `onEvent`, `close`), a Tracee-style class (instantiated with no arguments), an
 * operator-style `SignatureOperator` (`metadata` with an `id`, and `operator`), or an array of
 * those. Other exports (helpers, constants) are ignored; an array holding anything else is an
 * error, as is a module with no signature at all (the reason names what it does export).
 *
 * @example
 * ```ts
 * import { signaturesOfModule } from './signaturesOfModule.js';
 * signaturesOfModule(await import('./rules.js')); // Right([sigA, sigB]) or Left('exports no signature …')
 * ```
 */
export function signaturesOfModule(namespace: Readonly<Record<string, unknown>>): E.Either<string, AnySignature[]> {
  const names = Object.keys(namespace).sort((a, b) => Number(b === 'default') - Number(a === 'default'));
  const found: AnySignature[] = [];
  const seen = new Set<unknown>();
  const add = (value: unknown, name: string, inArray: boolean): string | undefined => {
    if (seen.has(value)) return undefined;
    const sig = asSignature(value, name);
    if (E.isLeft(sig)) return sig.left;
    if (sig.right === undefined) return inArray ? `${name} is not a signature` : undefined;
    seen.add(value);
    found.push(sig.right);
    return undefined;
  };
  for (const name of names) {
    const value = namespace[name];
    const problem = Array.isArray(value) ? value.map((v, i) => add(v, `${name}[${i}]`, true)).find((p) => p !== undefined) : add(value, name, false);
    if (problem !== undefined) return E.left(problem);
  }
  if (found.length === 0) {
    const exported = names.length === 0 ? 'nothing' : names.join(', ');
    return E.left(
      `exports no signature (it exports ${exported}); export a Signature object or class, a SignatureOperator, or an array of them`,
    );
  }
  return E.right(found);
}
