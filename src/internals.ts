/**
 * `proctree-rx/internals`: the building blocks under the public API — reducers, records, hashing,
 * parsers, encoder pieces, the parser thread — for tests and power users.
 *
 * **Not a stable API**: names and shapes here change between minor versions. Everything a user
 * needs is exported by `proctree-rx` itself; nothing exported there is repeated here.
 *
 * @example
 * ```ts
 * import { applyRecord, emptyTree } from 'proctree-rx/internals';
 * const tree = applyRecord(emptyTree(), record);
 * ```
 * @module
 */

// ── streams: the event model, exact numbers, NDJSON in and out ──
export { EVENT_HEAD_KEYS } from './streams/types.js';
export { hashTaskId } from './streams/entityId.js';
export { hashU32AndU64 } from './streams/entityId.js';
export { murmur32 } from './streams/entityId.js';
export { HEAD_BUCKET_NS } from './streams/entityId.js';
export { SEED_BUCKET_NS } from './streams/entityId.js';
export { exactArgInteger } from './streams/exactNumbers.js';
export { exactTopLevelInteger } from './streams/exactNumbers.js';
export { envelopeOf } from './streams/parseEventLine.js';
export { parseEventLine } from './streams/parseEventLine.js';
export type { ParseOptions } from './streams/parseEventLine.js';
export { decodeExitCode } from './streams/lifecycleArgs.js';
export type { FormatSet } from './streams/traceeFormat.js';
export { readNdjsonStream } from './streams/readNdjsonStream.js';
export { fromNdjsonFile, PreStartedParser } from './streams/fromNdjsonFile.js';
export type { FromNdjsonFileOptions } from './streams/fromNdjsonFile.js';
export { LineEnvelope, markLate } from './streams/lineEnvelope.js';
export { inputErrorOf } from './streams/InputError.js';
export { openInput } from './streams/openInput.js';
export { createLineSplitter } from './streams/splitLines.js';
export { DEFAULT_MAX_LINE_BYTES } from './streams/splitLines.js';
export type { LineSplitter } from './streams/splitLines.js';
export type { LineSplitterOptions } from './streams/splitLines.js';
export { envelopeParser } from './streams/ndjsonTransforms.js';
export { ndjsonStringify } from './streams/ndjsonTransforms.js';
export type { EnvelopeParserOptions } from './streams/ndjsonTransforms.js';

// ── operators ──
export { compareEnvelopes } from './operators/compareEnvelopes.js';
export { contextOf } from './operators/enrich.js';
export { eventContextJson } from './operators/eventContextJson.js';

// ── tree: model, records, reducers, versions, queries ──
export { emptyTree } from './tree/model.js';
export { DEFAULT_TREE_CONFIG } from './tree/model.js';
export type { EmptyTreeOptions } from './tree/model.js';
export { feedFromEnvelope } from './tree/feedFromEvents.js';
export type { Feed } from './tree/feedFromEvents.js';
export { applyEnvelope } from './tree/applyRecord.js';
export { applyRecord } from './tree/applyRecord.js';
export { applyRecords } from './tree/applyRecord.js';
export { currentValue } from './tree/changelog.js';
export { valueAt } from './tree/changelog.js';
export { VersionHistory } from './tree/versionHistory.js';
export { DEFAULT_PROCESS_CACHE_SIZE } from './tree/treeBuilder.js';
export { DEFAULT_THREAD_CACHE_SIZE } from './tree/treeBuilder.js';
export { MIN_CACHE_SIZE } from './tree/treeBuilder.js';
export { EMPTY_FILE_INFO } from './tree/queries.js';
export { ancestorJson } from './tree/infoJson.js';
export { ancestorSummaryJson } from './tree/infoJson.js';
export { fileInfoJson } from './tree/infoJson.js';
export { processInfoJson } from './tree/infoJson.js';
export { threadInfoJson } from './tree/infoJson.js';

// ── bootstrap: procfs ──
export { createProcfsFiller } from './bootstrap/index.js';
export { estimateBootEpochNs } from './bootstrap/index.js';
export { readProcfsTask } from './bootstrap/index.js';
export { toKernelDev } from './bootstrap/index.js';
export type { ProcfsFiller } from './bootstrap/index.js';
export type { ProcfsFillerOptions } from './bootstrap/index.js';
export type { ProcfsTaskReading } from './bootstrap/index.js';

// ── signatures ──
export { isSignatureOperator } from './signatures/index.js';
export { ProctreeDataSourceSignature } from './signatures/index.js';
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
