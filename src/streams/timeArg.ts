/**
 * Time values in every encoding Tracee has printed them (tracee-versions.md §2.4): integer ns
 * (epoch, or since boot), a decimal string (main's `u_int64`), an RFC3339Nano string with any
 * zone offset (v0.24's `time.Time`). All exact: nothing goes through a float.
 *
 * @module
 */
import type { Nanos } from './types.js';

/** Which clock a time value is on. */
export type TimeClock = 'epoch' | 'boot';

/** A time value read from an argument: exact ns and the clock it is on. */
export interface ArgTime {
  readonly ns: Nanos;
  readonly clock: TimeClock;
}

/**
 * Values below this are ns since boot (an uptime of 3 years); above, epoch ns (after 1973).
 * tracee-versions.md §2.4: "a value below ~10^17 is boot-relative".
 */
export const BOOT_RELATIVE_BELOW: Nanos = 100_000_000_000_000_000n;

const NS_PER_S = 1_000_000_000n;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian; H. Hinnant's algorithm). */
const daysFromCivil = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};

/**
 * Epoch ns of an RFC3339 / RFC3339Nano time (`2025-11-20T07:05:21.259156015Z`,
 * `…-03:00`), exactly, or `undefined` when the text is not one.
 *
 * @example
 * ```ts
 * parseRfc3339Nanos('1970-01-01T00:00:01.5+00:00'); // 1500000000n
 * ```
 */
export function parseRfc3339Nanos(text: string): Nanos | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const days = BigInt(daysFromCivil(Number(y), month, day));
  let seconds = days * 86_400n + BigInt(Number(h) * 3600 + Number(mi) * 60 + Number(s));
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone!.startsWith('-') ? -1n : 1n;
    seconds -= sign * BigInt(Number(zone!.slice(1, 3)) * 3600 + Number(zone!.slice(4, 6)) * 60);
  }
  const fraction = frac === undefined ? 0n : BigInt(frac.padEnd(9, '0'));
  return seconds * NS_PER_S + fraction;
}

/** The result of reading a time value: a time, `absent` (not sent), or `malformed`. */
export type TimeRead = ArgTime | 'absent' | 'malformed';

/**
 * Reads a time value in any of Tracee's encodings. `exact` is the value's exact integer when the
 * caller read it from the raw text (a JSON number above 2^53); otherwise `value` is used.
 *
 * "Absent" in every spelling (§2.3): missing, `null`, `0`, `""`, `"1970-01-01T00:00:00Z"`.
 * A string is epoch ns when it is a date; an integer is since boot below
 * {@link BOOT_RELATIVE_BELOW}, epoch above.
 */
export function readTime(value: unknown, exact?: bigint): TimeRead {
  let ns: bigint | undefined;
  let dated = false;
  if (exact !== undefined) ns = exact;
  else if (value === undefined || value === null || value === '') return 'absent';
  else if (typeof value === 'number') ns = Number.isSafeInteger(value) ? BigInt(value) : Number.isInteger(value) ? BigInt(value) : undefined;
  else if (typeof value === 'bigint') ns = value;
  else if (typeof value === 'string') {
    if (/^\d+$/.test(value)) ns = BigInt(value);
    else {
      ns = parseRfc3339Nanos(value);
      dated = true;
    }
  }
  if (ns === undefined || ns < 0n) return 'malformed';
  if (ns === 0n) return 'absent';
  return { ns, clock: dated || ns >= BOOT_RELATIVE_BELOW ? 'epoch' : 'boot' };
}

/** `t` as epoch ns, given the boot time (epoch ns) when `t` is since boot. */
export const toEpoch = (t: ArgTime, boot: Nanos | undefined): Nanos | undefined =>
  t.clock === 'epoch' ? t.ns : boot === undefined ? undefined : t.ns + boot;

/** `t` as ns since boot, given the boot time (epoch ns) when `t` is epoch. */
export const toSinceBoot = (t: ArgTime, boot: Nanos | undefined): Nanos | undefined =>
  t.clock === 'boot' ? t.ns : boot === undefined ? undefined : t.ns - boot;
