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
export type { FromSignatureOptions } from './fromSignature.js';
export { runSignature } from './runSignature.js';
export { runSignatures } from './runSignatures.js';
export { seenTreesDataSource } from './seenTreesDataSource.js';
export type { SeenTreesDataSource } from './seenTreesDataSource.js';
export { SignatureError } from './SignatureError.js';
export type { SignatureFailure } from './SignatureError.js';
export { isSignatureOperator } from './types.js';
export { needsArtifacts } from './types.js';
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
  SignatureWarning,
} from './types.js';
export { builtinSignatures } from './builtin/builtinSignatures.js';
export { DEFAULT_SIGNATURE_IDS } from './builtin/builtinSignatures.js';
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
export { reverseShell } from './builtin/reverseShell.js';
export type { ReverseShellOptions } from './builtin/reverseShell.js';
export { dropper } from './builtin/dropper.js';
export type { DropperOptions } from './builtin/dropper.js';
