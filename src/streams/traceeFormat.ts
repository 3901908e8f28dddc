/**
 * Tracee's JSON output formats, release by release (docs/design.md, "Tracee events"), and how
 * to tell them apart from the lines themselves: top-level keys, lifecycle event ids, argument
 * names and value kinds, and which entity-id rule reproduces a line's own `threadEntityId`.
 *
 * A stream's format is a set of candidates narrowed line by line ({@link formatEvidence}); it is
 * decided when one candidate is left. Formats are kept as bits of a number so narrowing is `&`.
 *
 * @module
 */
import { HEAD_BUCKET_NS, hashTaskId, SEED_BUCKET_NS } from './entityId.js';
import { BOOT_RELATIVE_BELOW } from './timeArg.js';
import type { EntityId, Nanos } from './types.js';

/** How a release computes entity ids: the clock of the start time, and the truncation bucket. */
export interface IdRule {
  readonly clock: 'epoch' | 'boot';
  readonly bucket: Nanos;
}

/** Seed rule (v0.18–v0.22.5): boot-relative start, 10 ms. */
export const BOOT_10MS: IdRule = { clock: 'boot', bucket: SEED_BUCKET_NS };
/** v0.22.4.1, v0.22.6, v0.23: epoch start, 10 ms. */
export const EPOCH_10MS: IdRule = { clock: 'epoch', bucket: SEED_BUCKET_NS };
/** v0.24 and main: epoch start, 100 ms. */
export const EPOCH_100MS: IdRule = { clock: 'epoch', bucket: HEAD_BUCKET_NS };

/** One Tracee JSON format (a family of releases that print lifecycle events alike). */
export interface TraceeFormatInfo {
  /** Short name, e.g. `v0.23`; `--tracee-format` takes it. */
  readonly name: string;
  /** The releases that print it. */
  readonly releases: string;
  /** Event id of sched_process_fork (exec and exit follow it). */
  readonly forkId: number;
  /** Entity ids in the events: the rule, or `undefined` when the release prints none (ids are computed). */
  readonly eventIds: IdRule | undefined;
  /** The rule behind signal hashes and the ids computed for signals. */
  readonly signalIds: IdRule;
}

/**
 * Every Tracee output format proctree-rx reads, oldest first; a format's bit is `1 << index`.
 * @example
 * ```ts
 * import { TRACEE_FORMATS } from 'proctree-rx';
 * console.log(TRACEE_FORMATS.map((f) => f.name).join(', '));
 * ```
 */
export const TRACEE_FORMATS = [
  { name: 'v0.10', releases: 'v0.10.0', forkId: 706, eventIds: undefined, signalIds: EPOCH_100MS },
  { name: 'v0.11', releases: 'v0.11.0–v0.12.0', forkId: 712, eventIds: undefined, signalIds: EPOCH_100MS },
  { name: 'v0.13', releases: 'v0.13.0–v0.14.2', forkId: 712, eventIds: undefined, signalIds: EPOCH_100MS },
  { name: 'v0.15', releases: 'v0.15.0–v0.17.1', forkId: 712, eventIds: undefined, signalIds: EPOCH_100MS },
  { name: 'v0.18', releases: 'v0.18.0–v0.19.0', forkId: 712, eventIds: BOOT_10MS, signalIds: BOOT_10MS },
  { name: 'v0.20', releases: 'v0.20.0–v0.21.0', forkId: 713, eventIds: BOOT_10MS, signalIds: BOOT_10MS },
  { name: 'v0.22.0', releases: 'v0.22.0–v0.22.2', forkId: 714, eventIds: BOOT_10MS, signalIds: BOOT_10MS },
  { name: 'v0.22.3', releases: 'v0.22.3–v0.22.5', forkId: 714, eventIds: BOOT_10MS, signalIds: BOOT_10MS },
  { name: 'v0.22.6', releases: 'v0.22.4.1, v0.22.6', forkId: 714, eventIds: EPOCH_10MS, signalIds: BOOT_10MS },
  { name: 'v0.23', releases: 'v0.23.0–v0.23.2', forkId: 714, eventIds: EPOCH_10MS, signalIds: EPOCH_10MS },
  { name: 'v0.24', releases: 'v0.24.0–v0.24.1', forkId: 714, eventIds: EPOCH_100MS, signalIds: EPOCH_100MS },
  { name: 'main', releases: 'main after v0.24.1 (v1beta1.Event)', forkId: 714, eventIds: EPOCH_100MS, signalIds: EPOCH_100MS },
] as const satisfies readonly TraceeFormatInfo[];

/** A format's short name. */
export type TraceeFormatName = (typeof TRACEE_FORMATS)[number]['name'];

/** A set of formats, one bit each (see {@link TRACEE_FORMATS}). */
export type FormatSet = number;

const bit = (name: TraceeFormatName): FormatSet => 1 << TRACEE_FORMATS.findIndex((f) => f.name === name);
const range = (from: TraceeFormatName, to: TraceeFormatName): FormatSet => {
  let s = 0;
  for (let i = TRACEE_FORMATS.findIndex((f) => f.name === from); i <= TRACEE_FORMATS.findIndex((f) => f.name === to); i++) s |= 1 << i;
  return s;
};

/** Every format: no evidence. */
export const ANY_FORMAT: FormatSet = (1 << TRACEE_FORMATS.length) - 1;
const FLAT_NO_IDS = range('v0.10', 'v0.15');
const FLAT_IDS = range('v0.18', 'v0.24');
const MAIN = bit('main');
const UP_TO_22_6 = range('v0.10', 'v0.22.6');
const FROM_23 = range('v0.23', 'main');
const FROM_22 = range('v0.22.0', 'main');
const GO_TYPES = range('v0.24', 'main');
const RULE_BOOT_10 = range('v0.18', 'v0.22.3');
const RULE_EPOCH_10 = range('v0.22.6', 'v0.23');
const RULE_EPOCH_100 = range('v0.24', 'main');

/**
 * The format named `name` (case-insensitive, a leading `v` optional), or `undefined`.
 * @example
 * ```ts
 * import { formatByName, fromNdjson } from 'proctree-rx';
 * const traceeFormat = formatByName('v0.22.6');
 * fromNdjson('old-capture.ndjson', { ...(traceeFormat ? { traceeFormat } : {}) });
 * ```
 */
export function formatByName(name: string): TraceeFormatInfo | undefined {
  const n = name.toLowerCase().replace(/^v?/, 'v').replace(/^vmain$/, 'main');
  return TRACEE_FORMATS.find((f) => f.name === n);
}

/** The set holding only the named format ({@link ANY_FORMAT} for an unknown name). */
export function formatSetOf(name: string): FormatSet {
  const i = TRACEE_FORMATS.findIndex((f) => f.name === name);
  return i < 0 ? ANY_FORMAT : 1 << i;
}

/** The formats of a set, oldest first. */
export const formatsIn = (set: FormatSet): readonly TraceeFormatInfo[] => TRACEE_FORMATS.filter((_, i) => (set & (1 << i)) !== 0);

/** The one format of a set, when it holds exactly one. */
export function singleFormat(set: FormatSet): TraceeFormatInfo | undefined {
  const fs = formatsIn(set);
  return fs.length === 1 ? fs[0] : undefined;
}

/** A set in words: `v0.23`, or `v0.18–v0.20` (its oldest and newest), or `unknown`. */
export function describeFormats(set: FormatSet): string {
  const fs = formatsIn(set);
  if (fs.length === 0 || set === ANY_FORMAT) return 'unknown';
  return fs.length === 1 ? fs[0]!.name : `${fs[0]!.name}–${fs[fs.length - 1]!.name}`;
}

/**
 * The id rule every format of `set` shares for events (`signal` false) or signals, or
 * `undefined` when they differ (or print no ids).
 */
export function idRuleOf(set: FormatSet, signal: boolean): IdRule | undefined {
  let rule: IdRule | undefined;
  for (const f of formatsIn(set)) {
    const r = signal ? f.signalIds : f.eventIds;
    if (r === undefined || (rule !== undefined && rule !== r)) return undefined;
    rule = r;
  }
  return rule;
}

/** Entity id of a task under `rule`, its start given in epoch ns (`boot` needed for boot-relative rules). */
export function entityIdUnder(rule: IdRule, tid: number, startEpoch: Nanos, boot: Nanos | undefined): EntityId | undefined {
  if (rule.clock === 'epoch') return hashTaskId(tid, startEpoch, rule.bucket);
  return boot === undefined ? undefined : hashTaskId(tid, startEpoch - boot, rule.bucket);
}

type Obj = Record<string, unknown>;

interface ArgLike {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly value?: unknown;
}

const LIFECYCLE_OFFSET: Readonly<Record<string, number>> = { sched_process_fork: 0, sched_process_exec: 1, sched_process_exit: 2 };

/** Formats whose lifecycle event ids agree with this line's (`eventId` vs `eventName`). */
function idEvidence(name: string, eventId: unknown): FormatSet {
  const offset = LIFECYCLE_OFFSET[name];
  if (offset === undefined || typeof eventId !== 'string') return ANY_FORMAT;
  const id = Number(eventId) - offset;
  let s = 0;
  TRACEE_FORMATS.forEach((f, i) => {
    if (f.forkId === id && i < TRACEE_FORMATS.length - 1) s |= 1 << i;
  });
  return s === 0 ? ANY_FORMAT : s;
}

const isGoType = (t: unknown): boolean =>
  t === 'int32' || t === 'uint32' || t === 'uint64' || t === 'uint16' || t === 'string' || t === '[]string' || t === 'bool' || t === 'time.Time';
const isCType = (t: unknown): boolean => typeof t === 'string' && (t === 'int' || t === 'long' || t.includes('char') || t.startsWith('unsigned') || t.endsWith('_t'));

const num = (v: unknown): bigint | undefined => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined);
const isBootRelative = (v: unknown): boolean | undefined => {
  const n = num(v);
  return n === undefined || n === 0n ? undefined : n < BOOT_RELATIVE_BELOW;
};

/** Formats that agree with a flat (pre-main) line's arguments. */
function argsEvidence(name: string, args: readonly ArgLike[]): FormatSet {
  let s = ANY_FORMAT;
  const m = new Map<string, ArgLike>();
  for (const a of args) if (a !== null && typeof a === 'object' && typeof a.name === 'string') m.set(a.name, a);
  const signal = name.startsWith('signal_');
  // type names: C up to v0.23, Go from v0.24
  const sample = m.get('exit_code') ?? m.get('child_tid') ?? m.get('cmdpath');
  if (sample !== undefined) {
    if (isGoType(sample.type)) s &= GO_TYPES;
    else if (isCType(sample.type)) s &= ~GO_TYPES;
  }
  if (name.endsWith('sched_process_fork')) {
    if (m.has('up_parent_tid')) s &= range('v0.18', 'v0.20');
    else if (m.has('parent_process_tid')) s &= FROM_22;
    else if (!signal) s &= m.has('parent_start_time') ? range('v0.18', 'v0.20') : FLAT_NO_IDS;
    if (!signal) {
      const pp = m.get('parent_process_tid');
      // unsent extras: null up to v0.22.2, zero-filled from v0.22.3
      if (pp !== undefined && pp.value === null) s &= bit('v0.22.0');
      else if (pp !== undefined && pp.value === 0) s &= range('v0.22.3', 'main');
      const child = isBootRelative(m.get('start_time')?.value);
      const parent = isBootRelative(m.get('parent_start_time')?.value);
      if (child === true) s &= bit('v0.23');
      else if (child === false && parent === true) s &= range('v0.18', 'v0.22.3');
      else if (child === false && parent === false) s &= range('v0.22.6', 'v0.23');
      else if (typeof m.get('start_time')?.value === 'string') s &= GO_TYPES;
    }
  } else if (name.endsWith('sched_process_exec')) {
    if (m.has('task_hash')) s &= range('v0.18', 'v0.22.6');
    else if (m.has('task_start_time')) s &= FROM_23;
    if (!signal && m.has('cmdpath')) {
      s &= m.has('prev_comm') ? FROM_22 : range('v0.10', 'v0.20');
      if (m.has('pwd')) s &= GO_TYPES;
      const ifk = m.get('invoked_from_kernel')?.value;
      if (typeof ifk === 'boolean') s &= FROM_23;
      else if (typeof ifk === 'number') s &= UP_TO_22_6;
      const stdin = m.get('stdin_type')?.value;
      if (typeof stdin === 'string' && stdin !== '') s &= UP_TO_22_6;
      else if (typeof stdin === 'number' && stdin !== 0) s &= FROM_23;
      for (const a of m.values()) if (a.value === null) s &= range('v0.11', 'v0.22.0');
      // env not sent: null up to v0.22.2, [] from v0.22.3
      const env = m.get('env')?.value;
      if (Array.isArray(env) && env.length === 0) s &= range('v0.22.3', 'main');
    }
  } else if (name.endsWith('sched_process_exit')) {
    if (m.has('task_hash')) s &= range('v0.18', 'v0.22.6');
    else if (m.has('task_start_time')) s &= FROM_23;
    if (m.has('exit_code')) s &= m.has('signal_code') ? FROM_23 : UP_TO_22_6;
  }
  return s;
}

/**
 * Formats whose entity-id rule reproduces the line's own `threadEntityId` from its
 * `hostThreadId` and `threadStartTime` (epoch rules only: the boot time is not on every line).
 */
export function idRuleEvidence(tid: unknown, startEpoch: Nanos, entityId: unknown): FormatSet {
  if (typeof tid !== 'number' || tid <= 0 || typeof entityId !== 'number' || entityId === 0 || startEpoch < BOOT_RELATIVE_BELOW) return ANY_FORMAT;
  const id = entityId >>> 0;
  let s = 0;
  if (hashTaskId(tid, startEpoch, EPOCH_10MS.bucket) === id) s |= RULE_EPOCH_10;
  if (hashTaskId(tid, startEpoch, EPOCH_100MS.bucket) === id) s |= RULE_EPOCH_100;
  return s === 0 ? RULE_BOOT_10 : s;
}

/**
 * The formats one parsed line is compatible with ({@link ANY_FORMAT} when it tells nothing).
 * `threadStartTime` is the line's exact thread start (epoch ns; 0n when absent); `v1beta1` says the
 * line was main's document (then `event` is its mapping). Not `thorough`: only the top-level keys
 * and the event id are looked at (cheap; what a decided stream checks its lifecycle lines with).
 */
export function formatEvidence(event: Obj, threadStartTime: Nanos, v1beta1 = false, thorough = true): FormatSet {
  if (v1beta1) return MAIN;
  if (!('eventName' in event)) return 'name' in event && ('workload' in event || 'data' in event) ? MAIN : ANY_FORMAT;
  const name = event['eventName'];
  let s: FormatSet;
  // signals are ours to print (spec/README.md decision 7): their envelope tells nothing, they exist from v0.18
  if (typeof name === 'string' && name.startsWith('signal_')) s = range('v0.18', 'main');
  else if ('threadEntityId' in event) s = FLAT_IDS;
  else if ('container' in event) s = 'containerId' in event ? bit('v0.15') : bit('v0.13');
  else s = 'matchedScopes' in event ? bit('v0.11') : bit('v0.10');
  if (typeof name !== 'string') return s;
  s &= idEvidence(name, event['eventId']);
  if (!thorough) return s;
  if (name.includes('sched_process_') && Array.isArray(event['args'])) s &= argsEvidence(name, event['args'] as readonly ArgLike[]);
  if ((s & FLAT_IDS) !== 0 && !name.startsWith('signal_')) s &= idRuleEvidence(event['hostThreadId'], threadStartTime, event['threadEntityId']) | FLAT_NO_IDS;
  return s;
}
