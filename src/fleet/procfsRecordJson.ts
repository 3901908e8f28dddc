/**
 * A procfs record (the CLI bootstrap's {@link ProcfsTaskRecord}) as one message body and back:
 * how `publish` ships a host's procfs walk to the worker that holds its tree. Exact integers
 * (`time`, `startTime`, inode, ctime) travel as `{"$n":"digits"}`.
 *
 * @module
 */
import type { ProcfsTaskRecord } from '../tree/records.js';

/** Header naming what a message on an input subject carries; absent = one Tracee line. */
export const KIND_HEADER = 'Proctree-Kind';
/** {@link KIND_HEADER} value of a procfs record. */
export const PROCFS_KIND = 'procfs-record';

/**
 * The record as JSON text.
 *
 * @example
 * ```ts
 * const body = procfsRecordToJson(record);
 * procfsRecordFromJson(body); // the same record
 * ```
 */
export const procfsRecordToJson = (record: ProcfsTaskRecord): string =>
  JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? { $n: value.toString() } : value));

const isRecordish = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The record a {@link procfsRecordToJson} text stands for, or a reason why it is not one. */
export function procfsRecordFromJson(text: string): ProcfsTaskRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text, (_key, v: unknown) => {
      if (isRecordish(v) && typeof v['$n'] === 'string' && /^-?\d+$/.test(v['$n']) && Object.keys(v).length === 1) return BigInt(v['$n']);
      return v;
    });
  } catch (err) {
    return `procfs record: invalid JSON: ${(err as Error).message}`;
  }
  if (!isRecordish(value) || value['kind'] !== 'procfs' || value['source'] !== 'procfs') return 'procfs record: not a procfs record';
  const ids = value['ids'];
  if (typeof value['time'] !== 'bigint' || typeof value['startTime'] !== 'bigint' || typeof value['id'] !== 'number' || typeof value['leaderId'] !== 'number' || !isRecordish(ids)) {
    return 'procfs record: missing or mistyped fields';
  }
  return value as unknown as ProcfsTaskRecord;
}
