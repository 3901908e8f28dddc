/**
 * proctree-rx: a live, versioned process tree from Tracee events, with RxJS operators and
 * detection signatures.
 *
 * What a user needs, in the order data flows: **read** (`fromNdjson`) → **order**
 * (`sortByTimestamp`, `mergeByTimestamp`) → **build / enrich** (`enrich`, `processTree`,
 * `TreeBuilder`) → **query** (`processAt`, `lineageAt`, the data source and its keys, `replay`) →
 * **write** (`writeNdjson`, `parseEnrichedLine`, `renderTree`) → **detect** (the signature
 * contract, `runSignatures`, the built-ins). `pipeline` runs the whole chain as the
 * `proctree-rx` command does. The building blocks under these are in `proctree-rx/internals`
 * (not a stable API); the marble-testing kit is `proctree-rx/marbles`.
 *
 * @example
 * ```ts
 * import { pipeline } from 'proctree-rx';
 *
 * const run = await pipeline({ inputs: ['capture.ndjson'] });
 * run.enriched$.subscribe((e) => console.log(e.event.eventName, e.context.process?.executionBinary.path));
 * ```
 * @module
 */

// ── the whole chain ──
export { pipeline } from './pipeline/pipeline.js';
export { DEFAULT_LIVE_REORDER_WINDOW } from './pipeline/pipeline.js';
export type { Pipeline, PipelineFindingsOptions, PipelineOptions, PipelineProgress, PipelineStats, PipelineWriteOptions } from './pipeline/pipeline.js';
export type { InputKind, ProcfsOptions, ProcfsPlan } from './pipeline/procfsPlan.js';
export { replay } from './pipeline/replay.js';
export type { Replay, ReplayOptions } from './pipeline/replay.js';

// ── read: the event model, NDJSON in ──
export { fromNdjson } from './streams/fromNdjson.js';
export type { FromNdjsonOptions, NdjsonInput } from './streams/fromNdjson.js';
export type { ReadNdjsonOptions } from './streams/readNdjsonStream.js';
export { InputError } from './streams/InputError.js';
export { toNanos } from './streams/exactNumbers.js';
export { formatByName, TRACEE_FORMATS } from './streams/traceeFormat.js';
export type { IdRule, TraceeFormatInfo, TraceeFormatName } from './streams/traceeFormat.js';
export type { FormatNotice } from './streams/eventReader.js';
export { execArgs, exitArgs, forkArgs } from './streams/lifecycleArgs.js';
export type { ExecArgs, ExitArgs, FileArgs, ForkArgs, ForkTask, SignalHashes, SignalTask, SignalTasks } from './streams/lifecycleArgs.js';
export type { ArgTime, TimeClock } from './streams/timeArg.js';
export { EventIds, headOf } from './streams/types.js';
export type {
  EntityId,
  Envelope,
  EventHead,
  InputIssue,
  LifecycleEventName,
  Nanos,
  Origin,
  StreamFormatView,
  TraceeArg,
  TraceeContainer,
  TraceeEvent,
  TraceeKubernetes,
  TraceeMetadata,
} from './streams/types.js';
export { createFlowControl } from './streams/flowControl.js';
export type { FlowControl } from './streams/flowControl.js';

// ── order ──
export { sortByTimestamp } from './operators/sortByTimestamp.js';
export type { SortByTimestampOptions } from './operators/sortByTimestamp.js';
export { mergeByTimestamp } from './operators/mergeByTimestamp.js';

// ── build and enrich ──
export { enrich } from './operators/enrich.js';
export type { EnrichedEnvelope, EnrichOptions, EnrichStats, EventContext } from './operators/enrich.js';
export { processTree } from './operators/processTree.js';
export type { ProcessTreeOptions } from './operators/processTree.js';
export { TreeBuilder } from './tree/treeBuilder.js';
export { ArtifactStore } from './tree/artifacts/artifactStore.js';
export type {
  ArtifactFootprint,
  ArtifactLimits,
  ArtifactSummary,
  ArtifactsAsOf,
  DnsArtifact,
  EventArtifact,
  ExecArtifact,
  FileArtifact,
  FoldedCount,
  NetArtifact,
  ProcessArtifacts,
  WrittenBy,
} from './tree/artifacts/artifactStore.js';
export type { EventGroup, FileOp, NetOp } from './tree/artifacts/artifactTable.js';
export type { BuilderRecency, EvictionOrder, TreeBuilderOptions, TreeBuilderResume, TreeBuilderStats } from './tree/treeBuilder.js';
export type { Checkpoint } from './checkpoint/decodeCheckpoint.js';
export type { BuilderSettings, StreamPosition } from './checkpoint/checkpointFormat.js';
export type { TreeContent } from './tree/restoreTree.js';
export type { Retention } from './tree/store.js';
export type { TreeSource } from './tree/feedFromEvents.js';
export type { HistoryBounds, StoreHistory } from './tree/versionHistory.js';
export { VersionNotRetainedError } from './tree/store.js';
export type { ExecState, ParentRef, ProcessNode, ProcessTree, SnapshotPin, TaskNode, ThreadNode, TreeConfig, TreeCounters, TreeMap } from './tree/model.js';
export type { Changelog } from './tree/changelog.js';
export { scanProcfs } from './bootstrap/scanProcfs.js';
export type { ScanProcfsOptions } from './bootstrap/scanProcfs.js';
export type { ProcfsIo, ProcfsIssue, ProcfsIssueKind, ProcfsReadOptions, ProcfsScanStats } from './bootstrap/procfsTypes.js';
export type { ProcfsFillerStats } from './bootstrap/createProcfsFiller.js';
export type { ContextRecord, EvictRecord, ExecRecord, ExitRecord, FileRecord, ForkRecord, ProcfsTaskRecord, RecordSource, TaskIds, TreeRecord } from './tree/records.js';
export type { IdSet } from './tree/idSet.js';
export type { PMap } from './tree/pmap.js';

// ── query ──
export { entityIdOfPid, lineageAt, processAt, processByPidAt, threadAt } from './tree/queries.js';
export { isAliveAt } from './tree/model.js';
export type { FileInfo, LineageFollow, LineageOptions, ProcessInfo, ThreadInfo } from './tree/queries.js';
export { ProcessTreeDataSource, ErrDataNotFound, ErrKeyNotSupported, fixedTree, lineageKey, procKey, threadKey } from './tree/dataSource.js';
export type { DataSourceAnswer, DataSourceKey, LineageKey, ProcKey, ThreadKey, TreeAsOf } from './tree/dataSource.js';

// ── write ──
export { writeNdjson } from './streams/writeNdjson.js';
export type { NdjsonLine, WriteNdjsonOptions, WriteNdjsonResult } from './streams/writeNdjson.js';
export { stringifyExact } from './streams/exactNumbers.js';
export { parseEnrichedLine } from './pipeline/enrichedLine.js';
export type { EnrichedLine, EnrichedLineAncestor, EnrichedLineContext, EnrichedLineFile, EnrichedLineProcess, EnrichedLineThread } from './pipeline/enrichedLine.js';
export { renderTree } from './pipeline/renderTree.js';
export type { RenderTreeOptions, TreeFormat } from './pipeline/renderTree.js';

// ── detect: the signature contract, running signatures, the built-ins ──
export { createFinding, eventSignature, findingToJson, fromSignature, runSignature, runSignatures, SignatureError } from './signatures/index.js';
export { builtinSignatures, DEFAULT_SIGNATURE_IDS, execFromTempDir, orphanConnect, proctreeDataSource, scriptFromWritableDir, shellUnderServer } from './signatures/index.js';
export type {
  AnySignature,
  ExecFromTempDirOptions,
  Finding,
  FindingEvent,
  FindingInput,
  FromSignatureOptions,
  OrphanConnectOptions,
  ProctreeDataSourceOptions,
  ScriptFromWritableDirOptions,
  SelectedEvent,
  Severity,
  ShellUnderServerOptions,
  Signature,
  SignatureContext,
  SignatureEnv,
  SignatureFactory,
  SignatureFailure,
  SignatureMetadata,
  SignatureOperator,
  SignatureProperties,
  SignatureSignal,
  SignatureWarning,
} from './signatures/index.js';

// ── misses and failures: fp-ts Option / Either, and the helpers a caller needs ──
export { isSome, isNone, toUndefined, isLeft, isRight } from './pipeline/fp.js';
export type { Option, Either } from './pipeline/fp.js';
