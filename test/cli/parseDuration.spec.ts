import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { parseDuration } from '../../src/cli/parseDuration.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0n],
    ['000', 0n],
    ['0ms', 0n],
    ['500ms', 500_000_000n],
    ['2s', 2_000_000_000n],
    ['1500us', 1_500_000n],
    ['1500µs', 1_500_000n],
    ['250000ns', 250_000n],
    ['1m', 60_000_000_000n],
    ['1.5s', 1_500_000_000n],
    ['0.001ms', 1_000n],
    ['1.000000001s', 1_000_000_001n],
    ['10000000000s', 10_000_000_000_000_000_000n],
  ])('%s → %d ns', (text, ns) => {
    expect(parseDuration(text)).toEqual(E.right(ns));
  });

  it.each([
    ['500', 'invalid duration "500": add a unit, e.g. 500ms (units: ns, us, ms, s, m)'],
    ['1.5', 'invalid duration "1.5": add a unit, e.g. 1.5ms (units: ns, us, ms, s, m)'],
    ['-1s', 'invalid duration "-1s": expected e.g. 500ms, 2s, 1500us or 0 (units: ns, us, ms, s, m)'],
    ['5 ms', 'invalid duration "5 ms": expected e.g. 500ms, 2s, 1500us or 0 (units: ns, us, ms, s, m)'],
    ['5h', 'invalid duration "5h": expected e.g. 500ms, 2s, 1500us or 0 (units: ns, us, ms, s, m)'],
    ['.5s', 'invalid duration ".5s": expected e.g. 500ms, 2s, 1500us or 0 (units: ns, us, ms, s, m)'],
    ['', 'invalid duration "": expected e.g. 500ms, 2s, 1500us or 0 (units: ns, us, ms, s, m)'],
    ['0.5ns', 'invalid duration "0.5ns": finer than a nanosecond'],
  ])('%j is rejected', (text, message) => {
    expect(parseDuration(text)).toEqual(E.left(message));
  });

  it('round-trips whole milliseconds exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (ms) => {
        expect(parseDuration(`${ms}ms`)).toEqual(E.right(ms * 1_000_000n));
      }),
    );
  });
});
