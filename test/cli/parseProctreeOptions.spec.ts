import * as E from 'fp-ts/lib/Either.js';
import {
  MAX_CACHE_SIZE,
  PROCTREE_DEFAULTS,
  PROCTREE_VALID_OPTIONS,
  parseProctreeOptions,
  type ProctreeConfig,
  type ProctreeOptionError,
} from '../../src/cli/parseProctreeOptions.js';

const ok = (values: readonly string[]): ProctreeConfig => {
  const r = parseProctreeOptions(values);
  if (E.isLeft(r)) throw new Error(`expected Right for ${JSON.stringify(values)}, got ${JSON.stringify(r.left)}`);
  return r.right;
};

const fail = (values: readonly string[]): ProctreeOptionError => {
  const r = parseProctreeOptions(values);
  if (E.isRight(r)) throw new Error(`expected Left for ${JSON.stringify(values)}, got ${JSON.stringify(r.right)}`);
  return r.left;
};

const message = (values: readonly string[]): string => {
  const e = fail(values);
  if (e.kind !== 'invalid') throw new Error('expected an invalid-option error');
  return e.message;
};

describe('parseProctreeOptions: defaults (spec/README.md decision 1)', () => {
  it('no values → source=events, 16384 processes, 32768 threads, procfs on, no warnings', () => {
    expect(ok([])).toEqual({
      source: 'events',
      processCacheSize: 16384,
      threadCacheSize: 32768,
      procfsInitialization: true,
      procfsQuerying: true,
      warnings: [],
    });
  });

  it('the exported defaults are frozen', () => {
    expect(Object.isFrozen(PROCTREE_DEFAULTS)).toBe(true);
  });
});

// Every row of spec §7.1's verified table; the comment gives Tracee's result where ours differs.
describe('parseProctreeOptions: spec §7.1 verified table', () => {
  it('[] → defaults, ok (Tracee: none/32768/32768; our defaults differ on purpose)', () => {
    expect(ok([])).toMatchObject({ source: 'events', processCacheSize: 16384, threadCacheSize: 32768 });
  });

  it('["source=both"] → both, ok', () => {
    expect(ok(['source=both'])).toMatchObject({ source: 'both', warnings: [] });
  });

  it('["source=none"] → none, ok (Tracee: error "cache was set"; we accept it: no tree)', () => {
    expect(ok(['source=none'])).toMatchObject({ source: 'none', warnings: [] });
  });

  it('["process-cache=8192"] → events/8192, ok (Tracee: error "cache was set"; our default source is events)', () => {
    expect(ok(['process-cache=8192'])).toMatchObject({ source: 'events', processCacheSize: 8192, warnings: [] });
  });

  it('["source=both,process-cache=100"] → both, default size kept, with a warning', () => {
    const c = ok(['source=both,process-cache=100']);
    expect(c).toMatchObject({ source: 'both', processCacheSize: 16384 });
    expect(c.warnings).toEqual([
      '--proctree process-cache=100 is below the minimum 4096; using the default 16384 (as Tracee does)',
    ]);
  });

  it('["source=both,process-cache=abc"] → error naming "abc"', () => {
    expect(message(['source=both,process-cache=abc'])).toBe(
      'invalid --proctree process-cache size "abc": expected a whole number of entries, e.g. process-cache=16384',
    );
  });

  it('["source=both,foo,bar"] → error naming the first bad option, foo (Tracee: the last, bar)', () => {
    const e = fail(['source=both,foo,bar']);
    expect(e).toMatchObject({ kind: 'invalid', value: 'foo' });
    expect(message(['source=both,foo,bar'])).toBe(
      `invalid --proctree option "foo" (in "source=both,foo,bar"): valid options are ${PROCTREE_VALID_OPTIONS}`,
    );
  });

  it('["source=both","none"] → none (Tracee: both, parsing stops at "none"; we apply options in order)', () => {
    expect(ok(['source=both', 'none'])).toMatchObject({ source: 'none' });
  });

  it('["none","source=both"] → both (Tracee: none, later values ignored; we never ignore input silently)', () => {
    expect(ok(['none', 'source=both'])).toMatchObject({ source: 'both' });
  });

  it('["source=both,none"] → none (Tracee: error "format: none"; "none" is one option everywhere)', () => {
    expect(ok(['source=both,none'])).toMatchObject({ source: 'none' });
  });

  it('["source=both, process-cache=9000"] → error (no trimming), suggesting the trimmed option', () => {
    expect(message(['source=both, process-cache=9000'])).toBe(
      `invalid --proctree option " process-cache=9000" (in "source=both, process-cache=9000"): valid options are ${PROCTREE_VALID_OPTIONS}; did you mean "process-cache=9000"?`,
    );
  });

  it('["source=events,source=none"] → none with a warning (Tracee: error "cache was set")', () => {
    const c = ok(['source=events,source=none']);
    expect(c.source).toBe('none');
    expect(c.warnings).toEqual(['--proctree source given more than once (events, none); using the last: none']);
  });
});

describe('parseProctreeOptions: syntax', () => {
  it('joins comma lists and repeated values; the last occurrence wins', () => {
    expect(ok(['source=signals,process-cache=8192', 'thread-cache=65536', 'process-cache=5000'])).toEqual({
      source: 'signals',
      processCacheSize: 5000,
      threadCacheSize: 65536,
      procfsInitialization: true,
      procfsQuerying: true,
      warnings: [],
    });
  });

  it.each(['none', 'events', 'signals', 'both'] as const)('accepts source=%s', (source) => {
    expect(ok([`source=${source}`]).source).toBe(source);
  });

  it('repeating the same source is not worth a warning', () => {
    expect(ok(['source=both', 'source=both']).warnings).toEqual([]);
  });

  it('disable-procfs turns off the startup walk and runtime queries', () => {
    expect(ok(['disable-procfs'])).toMatchObject({ procfsInitialization: false, procfsQuerying: false });
  });

  it('disable-procfs-query turns off only runtime queries', () => {
    expect(ok(['disable-procfs-query'])).toMatchObject({ procfsInitialization: true, procfsQuerying: false });
  });

  it('accepts sizes exactly at the minimum and the maximum', () => {
    expect(ok([`process-cache=4096,thread-cache=${MAX_CACHE_SIZE}`])).toMatchObject({
      processCacheSize: 4096,
      threadCacheSize: MAX_CACHE_SIZE,
      warnings: [],
    });
  });

  it('thread-cache below the minimum keeps its own default (32768) with a warning', () => {
    const c = ok(['thread-cache=0']);
    expect(c.threadCacheSize).toBe(32768);
    expect(c.warnings).toEqual(['--proctree thread-cache=0 is below the minimum 4096; using the default 32768 (as Tracee does)']);
  });

  it('warns that cache and procfs options do nothing with source=none', () => {
    expect(ok(['source=none,process-cache=8192']).warnings).toEqual([
      '--proctree source=none builds no process tree; the cache and procfs options have no effect',
    ]);
    expect(ok(['none', 'disable-procfs']).warnings).toHaveLength(1);
  });
});

describe('parseProctreeOptions: help', () => {
  it.each([[['help']], [['source=both,help']], [['source=both', 'help']]])('%j asks for help', (values) => {
    expect(fail(values)).toEqual({ kind: 'help' });
  });

  it('options are checked in order: a bad option before help is reported', () => {
    expect(fail(['foo,help'])).toMatchObject({ kind: 'invalid', value: 'foo' });
  });

  it('"helpme" is not help (Tracee: any value starting with help)', () => {
    expect(fail(['helpme'])).toMatchObject({ kind: 'invalid', value: 'helpme' });
  });
});

describe('parseProctreeOptions: errors name the value and the valid options', () => {
  it('the none-prefix quirk (Q9) is not reproduced: "nonexistent" is an error', () => {
    expect(message(['nonexistent'])).toBe(`invalid --proctree option "nonexistent": valid options are ${PROCTREE_VALID_OPTIONS}`);
  });

  it('"nonexistent" after a valid value is still an error', () => {
    expect(fail(['source=both', 'nonexistent'])).toMatchObject({ kind: 'invalid', value: 'nonexistent' });
  });

  it('a misspelt key gets a suggestion', () => {
    expect(message(['sorce=events'])).toBe(
      'invalid --proctree option "sorce=events": valid options are source=none|events|signals|both, process-cache=N, thread-cache=N, disable-procfs, disable-procfs-query, help; did you mean "source=events"?',
    );
  });

  it('a misspelt flag gets a suggestion', () => {
    expect(message(['disable-procfs-queries'])).toMatch(/did you mean "disable-procfs-query"\?$/);
    expect(message(['proces-cache'])).toMatch(/did you mean "process-cache=N"\?$/);
  });

  it('options are case-sensitive', () => {
    expect(message(['Source=both'])).toMatch(/^invalid --proctree option "Source=both": .*did you mean "source=both"\?$/);
  });

  it('an unknown source lists the valid sources', () => {
    expect(message(['source=evnts'])).toBe(
      'invalid --proctree source "evnts": valid sources are none, events, signals, both; did you mean "source=events"?',
    );
    expect(message(['source='])).toBe('invalid --proctree source "": valid sources are none, events, signals, both');
  });

  it('an empty piece (trailing comma) is an error', () => {
    expect(message(['source=both,'])).toBe(
      `empty --proctree option (in "source=both,"): valid options are ${PROCTREE_VALID_OPTIONS}`,
    );
    expect(fail([''])).toMatchObject({ kind: 'invalid', value: '' });
  });

  it.each(['-5', '1e4', '8192.0', '+8192', ' 8192', '0x2000', ''])('size "%s" is an error naming it', (size) => {
    expect(message([`thread-cache=${size}`])).toBe(
      `invalid --proctree thread-cache size "${size}": expected a whole number of entries, e.g. thread-cache=32768`,
    );
  });

  it('sizes above the maximum are errors', () => {
    expect(message([`process-cache=${MAX_CACHE_SIZE + 1}`])).toBe(
      `invalid --proctree process-cache size "${MAX_CACHE_SIZE + 1}": the maximum is ${MAX_CACHE_SIZE}`,
    );
    expect(fail(['process-cache=99999999999999999999999'])).toMatchObject({ kind: 'invalid' });
  });
});
