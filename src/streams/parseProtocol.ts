/**
 * What the file reader's main thread and its parser thread ({@link fromNdjsonFile},
 * parseWorker) say to each other. Internal.
 *
 * @module
 */
import type { PreparsedArgs } from './lifecycleArgs.js';
import type { FormatNotice } from './eventReader.js';
import type { InputIssue, Nanos } from './types.js';

/** Index of the credit count in the shared control array (batches the main thread accepts). */
export const CREDITS = 0;
/** Index of the stop flag (non-zero: the main thread wants no more). */
export const STOP = 1;

/** What the parser thread is started with. */
export interface ParseWorkerData {
  readonly path: string;
  /** Name of the input in origins. */
  readonly source: string;
  readonly maxLineBytes: number;
  /** Lines per batch. */
  readonly batchLines: number;
  /** A batch is also handed over once its lines' text reaches this many UTF-16 units (memory bound). */
  readonly batchChars: number;
  /** Two Int32 slots: CREDITS, STOP. */
  readonly control: SharedArrayBuffer;
  /** Read every line as this Tracee format (its name); detected when absent. */
  readonly format?: string;
}

/** What the stream's reader said while reading a batch's lines (or up to the end). */
export interface StreamWord {
  /** The stream's candidate formats after these lines. */
  readonly candidates: number;
  /** Warnings about the stream (mixed formats, arguments), in line order. */
  readonly notices: InputIssue[];
  /** The format, when these lines decided it. */
  readonly formatNotice: FormatNotice | undefined;
}

/**
 * Consecutive lines, in order. Entry i is line `lines[i]`: an event (`texts[i]` its line, `ts` /
 * `tst` / `heads` its exact times and task-context fields, one entry per event) or, when
 * `texts[i]` is null, a skipped line (its reason next in `reasons`).
 */
export interface ParseBatch {
  readonly kind: 'batch';
  readonly texts: (string | null)[];
  readonly lines: number[];
  readonly ts: Nanos[];
  readonly tst: Nanos[];
  /** `EVENT_HEAD_KEYS.length` values per event, in that order. */
  readonly heads: unknown[];
  /** Per event: a lifecycle event's typed arguments, else null. */
  readonly pre: (PreparsedArgs | null)[];
  readonly reasons: string[];
  readonly word: StreamWord;
}

/** Parser thread → main thread. */
export type ParseWorkerMessage =
  | ParseBatch
  | { readonly kind: 'end'; readonly lines: number; readonly word: StreamWord }
  | { readonly kind: 'error'; readonly message: string; readonly code: string | undefined };
