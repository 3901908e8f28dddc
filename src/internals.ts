/**
 * `proctree-rx/internals`: the building blocks under the public API — reducers, records, hashing,
 * parsers, encoder pieces, the parser thread — for tests and power users.
 *
 * **Not a stable API**: names and shapes here change between minor versions. Everything a user
 * needs is exported by `proctree-rx` itself.
 *
 * @example
 * ```ts
 * import { applyRecord, emptyTree } from 'proctree-rx/internals';
 * const tree = applyRecord(emptyTree(), record);
 * ```
 * @module
 */

// ── streams: the event model, exact numbers, NDJSON in and out ──
export { EventIds, EVENT_HEAD_KEYS, headOf } from './streams/types.js';
export type { EventHead } from './streams/types.js';
export type { EntityId } from './streams/types.js';
export type { Envelope } from './streams/types.js';
export type { InputIssue } from './streams/types.js';
export type { LifecycleEventName } from './streams/types.js';
export type { Nanos } from './streams/types.js';
export type { Origin } from './streams/types.js';
export type { TraceeArg } from './streams/types.js';
export type { TraceeContainer } from './streams/types.js';
export type { TraceeEvent } from './streams/types.js';
export type { TraceeKubernetes } from './streams/types.js';
export type { TraceeMetadata } from './streams/types.js';
export { hashTaskId } from './streams/entityId.js';
export { hashU32AndU64 } from './streams/entityId.js';
export { murmur32 } from './streams/entityId.js';
export { HEAD_BUCKET_NS } from './streams/entityId.js';
export { SEED_BUCKET_NS } from './streams/entityId.js';
export { exactArgInteger } from './streams/exactNumbers.js';
export { exactTopLevelInteger } from './streams/exactNumbers.js';
export { stringifyExact } from './streams/exactNumbers.js';
export { toNanos } from './streams/exactNumbers.js';
export { envelopeOf } from './streams/parseEventLine.js';
export { parseEventLine } from './streams/parseEventLine.js';
export type { ParseOptions } from './streams/parseEventLine.js';
export { decodeExitCode } from './streams/lifecycleArgs.js';
export { execArgs } from './streams/lifecycleArgs.js';
export { exitArgs } from './streams/lifecycleArgs.js';
export { forkArgs } from './streams/lifecycleArgs.js';
export type { ExecArgs } from './streams/lifecycleArgs.js';
export type { ExitArgs } from './streams/lifecycleArgs.js';
export type { FileArgs } from './streams/lifecycleArgs.js';
export type { ForkArgs } from './streams/lifecycleArgs.js';
export type { ForkTask } from './streams/lifecycleArgs.js';
export type { SignalHashes } from './streams/lifecycleArgs.js';
export type { SignalTask } from './streams/lifecycleArgs.js';
export type { SignalTasks } from './streams/lifecycleArgs.js';
export type { FormatNotice } from './streams/eventReader.js';
export { TRACEE_FORMATS } from './streams/traceeFormat.js';
export { formatByName } from './streams/traceeFormat.js';
export type { FormatSet } from './streams/traceeFormat.js';
export type { IdRule } from './streams/traceeFormat.js';
export type { TraceeFormatInfo } from './streams/traceeFormat.js';
export type { TraceeFormatName } from './streams/traceeFormat.js';
export type { StreamFormatView } from './streams/types.js';
export { readNdjsonStream } from './streams/readNdjsonStream.js';
export type { ReadNdjsonOptions } from './streams/readNdjsonStream.js';
export { fromNdjsonFile, warmUpFileParser } from './streams/fromNdjsonFile.js';
export type { FromNdjsonFileOptions } from './streams/fromNdjsonFile.js';
export { LineEnvelope, markLate } from './streams/lineEnvelope.js';
export { inputErrorOf } from './streams/InputError.js';
export { openInput } from './streams/openInput.js';
export { createFlowControl } from './streams/flowControl.js';
export type { FlowControl } from './streams/flowControl.js';
export { writeNdjson } from './streams/writeNdjson.js';
export type { WriteNdjsonOptions } from './streams/writeNdjson.js';
export type { WriteNdjsonResult, NdjsonLine } from './streams/writeNdjson.js';
export { createLineSplitter } from './streams/splitLines.js';
export { DEFAULT_MAX_LINE_BYTES } from './streams/splitLines.js';
export type { LineSplitter } from './streams/splitLines.js';
export type { LineSplitterOptions } from './streams/splitLines.js';
export { envelopeParser } from './streams/ndjsonTransforms.js';
export { ndjsonStringify } from './streams/ndjsonTransforms.js';
export type { EnvelopeParserOptions } from './streams/ndjsonTransforms.js';

// ── operators ──
export { compareEnvelopes } from './operators/compareEnvelopes.js';
export { sortByTimestamp } from './operators/sortByTimestamp.js';
export type { SortByTimestampOptions } from './operators/sortByTimestamp.js';
export { mergeByTimestamp } from './operators/mergeByTimestamp.js';
export { processTree } from './operators/processTree.js';
export type { ProcessTreeOptions } from './operators/processTree.js';
export { contextOf } from './operators/enrich.js';
export { enrich } from './operators/enrich.js';
export type { EnrichedEnvelope } from './operators/enrich.js';
export type { EnrichOptions } from './operators/enrich.js';
export type { EventContext } from './operators/enrich.js';
export { eventContextJson } from './operators/eventContextJson.js';

// ── tree: model, records, reducers, versions, queries ──
export { emptyTree } from './tree/model.js';
export { isAliveAt } from './tree/model.js';
export { DEFAULT_TREE_CONFIG } from './tree/model.js';
export type { ExecState } from './tree/model.js';
export type { ParentRef } from './tree/model.js';
export type { ProcessNode } from './tree/model.js';
export type { ProcessTree } from './tree/model.js';
export type { TaskNode } from './tree/model.js';
export type { ThreadNode } from './tree/model.js';
export type { TreeConfig } from './tree/model.js';
export type { TreeCounters } from './tree/model.js';
export type { EmptyTreeOptions, SnapshotPin, TreeMap } from './tree/model.js';
export type { ContextRecord } from './tree/records.js';
export type { EvictRecord } from './tree/records.js';
export type { ExecRecord } from './tree/records.js';
export type { ExitRecord } from './tree/records.js';
export type { FileRecord } from './tree/records.js';
export type { ForkRecord } from './tree/records.js';
export type { ProcfsTaskRecord } from './tree/records.js';
export type { RecordSource } from './tree/records.js';
export type { TaskIds } from './tree/records.js';
export type { TreeRecord } from './tree/records.js';
export { feedFromEnvelope } from './tree/feedFromEvents.js';
export type { Feed } from './tree/feedFromEvents.js';
export type { TreeSource } from './tree/feedFromEvents.js';
export { applyEnvelope } from './tree/applyRecord.js';
export { applyRecord } from './tree/applyRecord.js';
export { applyRecords } from './tree/applyRecord.js';
export { currentValue } from './tree/changelog.js';
export { valueAt } from './tree/changelog.js';
export type { Changelog } from './tree/changelog.js';
export { StoreHistory, VersionHistory } from './tree/versionHistory.js';
export { VersionNotRetainedError } from './tree/store.js';
export type { Retention } from './tree/store.js';
export type { HistoryBounds } from './tree/versionHistory.js';
export { TreeBuilder } from './tree/treeBuilder.js';
export { DEFAULT_PROCESS_CACHE_SIZE } from './tree/treeBuilder.js';
export { DEFAULT_THREAD_CACHE_SIZE } from './tree/treeBuilder.js';
export { MIN_CACHE_SIZE } from './tree/treeBuilder.js';
export type { TreeBuilderOptions } from './tree/treeBuilder.js';
export type { TreeBuilderStats } from './tree/treeBuilder.js';
export { entityIdOfPid } from './tree/queries.js';
export { lineageAt } from './tree/queries.js';
export { processAt } from './tree/queries.js';
export { processByPidAt } from './tree/queries.js';
export { threadAt } from './tree/queries.js';
export { EMPTY_FILE_INFO } from './tree/queries.js';
export type { FileInfo } from './tree/queries.js';
export type { LineageFollow } from './tree/queries.js';
export type { LineageOptions } from './tree/queries.js';
export type { ProcessInfo } from './tree/queries.js';
export type { ThreadInfo } from './tree/queries.js';
export { ProcessTreeDataSource } from './tree/dataSource.js';
export { ErrDataNotFound } from './tree/dataSource.js';
export { ErrKeyNotSupported } from './tree/dataSource.js';
export { fixedTree } from './tree/dataSource.js';
export { lineageKey } from './tree/dataSource.js';
export { procKey } from './tree/dataSource.js';
export { threadKey } from './tree/dataSource.js';
export type { DataSourceAnswer } from './tree/dataSource.js';
export type { DataSourceKey } from './tree/dataSource.js';
export type { LineageKey } from './tree/dataSource.js';
export type { ProcKey } from './tree/dataSource.js';
export type { ThreadKey } from './tree/dataSource.js';
export type { TreeAsOf } from './tree/dataSource.js';
export { ancestorJson } from './tree/infoJson.js';
export { ancestorSummaryJson } from './tree/infoJson.js';
export { fileInfoJson } from './tree/infoJson.js';
export { processInfoJson } from './tree/infoJson.js';
export { threadInfoJson } from './tree/infoJson.js';

// ── bootstrap: procfs ──
export { createProcfsFiller } from './bootstrap/index.js';
export { estimateBootEpochNs } from './bootstrap/index.js';
export { readProcfsTask } from './bootstrap/index.js';
export { scanProcfs } from './bootstrap/index.js';
export { toKernelDev } from './bootstrap/index.js';
export type { ProcfsFiller } from './bootstrap/index.js';
export type { ProcfsFillerOptions } from './bootstrap/index.js';
export type { ProcfsFillerStats } from './bootstrap/index.js';
export type { ProcfsIssue } from './bootstrap/index.js';
export type { ProcfsReadOptions } from './bootstrap/index.js';
export type { ProcfsScanStats } from './bootstrap/index.js';
export type { ProcfsTaskReading } from './bootstrap/index.js';
export type { ScanProcfsOptions } from './bootstrap/index.js';

// ── signatures ──
export { builtinSignatures } from './signatures/index.js';
export { createFinding } from './signatures/index.js';
export { eventSignature } from './signatures/index.js';
export { execFromTempDir } from './signatures/index.js';
export { findingToJson } from './signatures/index.js';
export { fromSignature } from './signatures/index.js';
export { isSignatureOperator } from './signatures/index.js';
export { orphanConnect } from './signatures/index.js';
export { proctreeDataSource } from './signatures/index.js';
export { ProctreeDataSourceSignature } from './signatures/index.js';
export { runSignature } from './signatures/index.js';
export { runSignatures } from './signatures/index.js';
export { SignatureError } from './signatures/index.js';
export { DEFAULT_SIGNATURE_IDS } from './signatures/index.js';
export { scriptFromWritableDir } from './signatures/index.js';
export { shellUnderServer } from './signatures/index.js';
export type { AnySignature } from './signatures/index.js';
export type { Finding } from './signatures/index.js';
export type { FindingEvent } from './signatures/index.js';
export type { FindingInput } from './signatures/index.js';
export type { FromSignatureOptions } from './signatures/index.js';
export type { SelectedEvent } from './signatures/index.js';
export type { Severity } from './signatures/index.js';
export type { Signature } from './signatures/index.js';
export type { SignatureContext } from './signatures/index.js';
export type { SignatureEnv } from './signatures/index.js';
export type { SignatureFactory } from './signatures/index.js';
export type { SignatureFailure } from './signatures/index.js';
export type { SignatureMetadata } from './signatures/index.js';
export type { SignatureOperator } from './signatures/index.js';
export type { SignatureProperties } from './signatures/index.js';
export type { SignatureSignal } from './signatures/index.js';
export type { SignatureWarning } from './signatures/index.js';
export type { SeenTreesDataSource } from './signatures/index.js';

// ── pipeline pieces ──
export { createEnrichEncoder } from './pipeline/enrichEncoder.js';
export { spliceKey, spliceKeyPieces, splicePoint } from './pipeline/spliceKey.js';
export { sortAllRespectingFlow } from './operators/sortAllRespectingFlow.js';
export { classifyInput } from './pipeline/classifyInput.js';
export { planProcfs, DEFAULT_PROCFS_ROOT } from './pipeline/procfsPlan.js';
export { treeView, renderText, renderJson, renderDot } from './pipeline/renderTree.js';
export type { TreeNodeView } from './pipeline/renderTree.js';
export { measureDisorder } from './streams/measureDisorder.js';
export { kernelRangeProblem } from './streams/kernelRanges.js';
