/**
 * procfs bootstrap and runtime fill: records for the tree from `/proc`.
 *
 * @module
 */
export { createProcfsFiller } from './createProcfsFiller.js';
export { estimateBootEpochNs } from './estimateBootEpochNs.js';
export { parseProcStat } from './parseProcStat.js';
export { PF_KTHREAD } from './parseProcStat.js';
export { parseProcStatus } from './parseProcStatus.js';
export { readProcfsTask } from './readProcfsTask.js';
export { scanProcfs } from './scanProcfs.js';
export { toKernelDev } from './toKernelDev.js';
export type { ProcfsFiller } from './createProcfsFiller.js';
export type { ProcfsFillerOptions } from './createProcfsFiller.js';
export type { ProcfsFillerStats } from './createProcfsFiller.js';
export type { ProcStat } from './parseProcStat.js';
export type { ProcStatus } from './parseProcStatus.js';
export type { ProcfsIo } from './procfsTypes.js';
export type { ProcfsIssue } from './procfsTypes.js';
export type { ProcfsIssueKind } from './procfsTypes.js';
export type { ProcfsReadOptions } from './procfsTypes.js';
export type { ProcfsScanStats } from './procfsTypes.js';
export type { ProcfsTaskReading } from './procfsTypes.js';
export type { ScanProcfsOptions } from './scanProcfs.js';
