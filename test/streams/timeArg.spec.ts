import { parseRfc3339Nanos, readTime, toEpoch, toSinceBoot } from '../../src/streams/timeArg.js';

describe('parseRfc3339Nanos', () => {
  it('reads Go RFC3339Nano in UTC, exactly (above 2^53)', () => {
    expect(parseRfc3339Nanos('2025-11-20T07:05:21.259156015Z')).toBe(1763622321259156015n);
    expect(parseRfc3339Nanos('1970-01-01T00:00:00Z')).toBe(0n);
  });

  it('applies any zone offset, and trimmed fractions', () => {
    // the same instant written in UTC−3 and UTC+05:30
    expect(parseRfc3339Nanos('2025-11-20T04:05:21.259156015-03:00')).toBe(1763622321259156015n);
    expect(parseRfc3339Nanos('2025-11-20T12:35:21.259156015+05:30')).toBe(1763622321259156015n);
    expect(parseRfc3339Nanos('2025-11-20T07:05:21.25Z')).toBe(1763622321250000000n);
    expect(parseRfc3339Nanos('2024-02-29T00:00:00Z')).toBe(1709164800000000000n);
  });

  it('refuses what is not a time', () => {
    expect(parseRfc3339Nanos('2025-13-01T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339Nanos('yesterday')).toBeUndefined();
    expect(parseRfc3339Nanos('2025-11-20T07:05:21')).toBeUndefined();
  });
});

describe('readTime', () => {
  it('"absent" in every spelling', () => {
    for (const v of [undefined, null, 0, '', '0', '1970-01-01T00:00:00Z']) expect(readTime(v)).toBe('absent');
  });

  it('tells the clock by magnitude for integers, epoch for dates and big decimal strings', () => {
    expect(readTime(3602811296936)).toEqual({ ns: 3602811296936n, clock: 'boot' });
    expect(readTime(1, 1795582946601880724n)).toEqual({ ns: 1795582946601880724n, clock: 'epoch' });
    expect(readTime('1764230010123456789')).toEqual({ ns: 1764230010123456789n, clock: 'epoch' });
    expect(readTime('2025-11-20T07:05:21.259156015Z')).toEqual({ ns: 1763622321259156015n, clock: 'epoch' });
  });

  it('malformed values are said so', () => {
    expect(readTime('soon')).toBe('malformed');
    expect(readTime(-5)).toBe('malformed');
    expect(readTime(1.5)).toBe('malformed');
    expect(readTime({})).toBe('malformed');
  });

  it('converts between clocks with the boot time', () => {
    const boot = 1_764_230_000_123_456_789n;
    expect(toEpoch({ ns: 5n, clock: 'boot' }, boot)).toBe(boot + 5n);
    expect(toEpoch({ ns: 5n, clock: 'boot' }, undefined)).toBeUndefined();
    expect(toSinceBoot({ ns: boot + 7n, clock: 'epoch' }, boot)).toBe(7n);
    expect(toSinceBoot({ ns: 7n, clock: 'boot' }, undefined)).toBe(7n);
  });
});
