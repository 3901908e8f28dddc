/**
 * Signatures: the Tracee-style contract and its adapter, operator-style helpers, findings and
 * the built-ins.
 *
 * @module
 */
export { createFinding } from './createFinding.js';
export { eventSignature } from './eventSignature.js';
export { findingToJson } from './findingToJson.js';
export { fromSignature } from './fromSignature.js';
export type { FromSignatureOptions, SignatureFailure } from './fromSignature.js';
export { runSignatures } from './runSignatures.js';
export { isSignatureOperator } from './types.js';
export type {
  AnySignature,
  Finding,
  FindingEvent,
  FindingInput,
  SelectedEvent,
  Severity,
  Signature,
  SignatureContext,
  SignatureEnv,
  SignatureFactory,
  SignatureMetadata,
  SignatureOperator,
  SignatureProperties,
  SignatureSignal,
} from './types.js';
export { builtinSignatures } from './builtin/builtinSignatures.js';
export { proctreeDataSource } from './builtin/proctreeDataSource.js';
export { ProctreeDataSourceSignature } from './builtin/proctreeDataSource.js';
export type { ProctreeDataSourceOptions } from './builtin/proctreeDataSource.js';
export { shellUnderServer } from './builtin/shellUnderServer.js';
export type { ShellUnderServerOptions } from './builtin/shellUnderServer.js';
export { execFromTempDir } from './builtin/execFromTempDir.js';
export type { ExecFromTempDirOptions } from './builtin/execFromTempDir.js';
export { scriptFromWritableDir } from './builtin/scriptFromWritableDir.js';
export type { ScriptFromWritableDirOptions } from './builtin/scriptFromWritableDir.js';
export { orphanConnect } from './builtin/orphanConnect.js';
export type { OrphanConnectOptions } from './builtin/orphanConnect.js';
