import { hashTaskId, HEAD_BUCKET_NS, SEED_BUCKET_NS } from '../../src/streams/entityId.js';
import { decodeExitCode, encodeWaitStatus } from '../../src/streams/lifecycleArgs.js';
import {
  ANY_FORMAT,
  BOOT_10MS,
  describeFormats,
  entityIdUnder,
  EPOCH_100MS,
  EPOCH_10MS,
  formatByName,
  formatSetOf,
  idRuleEvidence,
  idRuleOf,
  TRACEE_FORMATS,
} from '../../src/streams/traceeFormat.js';

describe('Tracee formats', () => {
  it('are found by name, with or without the v', () => {
    expect(formatByName('v0.23')?.releases).toBe('v0.23.0–v0.23.2');
    expect(formatByName('0.22.6')?.releases).toBe('v0.22.4.1, v0.22.6');
    expect(formatByName('MAIN')?.name).toBe('main');
    expect(formatByName('v0.25')).toBeUndefined();
    expect(formatSetOf('nope')).toBe(ANY_FORMAT);
  });

  it('describe a set as one name or its oldest–newest range', () => {
    expect(describeFormats(formatSetOf('v0.24'))).toBe('v0.24');
    expect(describeFormats(formatSetOf('v0.18') | formatSetOf('v0.20'))).toBe('v0.18–v0.20');
    expect(describeFormats(ANY_FORMAT)).toBe('unknown');
    expect(describeFormats(0)).toBe('unknown');
  });

  it('give the entity-id rule of their releases, or none when a set disagrees', () => {
    expect(idRuleOf(formatSetOf('v0.22.3'), false)).toBe(BOOT_10MS);
    expect(idRuleOf(formatSetOf('v0.22.6'), false)).toBe(EPOCH_10MS);
    // v0.22.4.1 / v0.22.6: signal hashes still boot-relative (computed in eBPF)
    expect(idRuleOf(formatSetOf('v0.22.6'), true)).toBe(BOOT_10MS);
    expect(idRuleOf(formatSetOf('v0.24') | formatSetOf('main'), false)).toBe(EPOCH_100MS);
    expect(idRuleOf(formatSetOf('v0.23') | formatSetOf('v0.24'), false)).toBeUndefined();
    expect(idRuleOf(formatSetOf('v0.15'), false)).toBeUndefined();
    expect(TRACEE_FORMATS.map((f) => f.forkId)).toEqual([706, 712, 712, 712, 712, 713, 714, 714, 714, 714, 714, 714]);
  });

  it('entityIdUnder applies the rule to the right clock', () => {
    const boot = 1_764_230_000_123_456_789n;
    const start = boot + 5_000_000_123n;
    expect(entityIdUnder(BOOT_10MS, 1000, start, boot)).toBe(hashTaskId(1000, 5_000_000_123n, SEED_BUCKET_NS));
    expect(entityIdUnder(BOOT_10MS, 1000, start, undefined)).toBeUndefined();
    expect(entityIdUnder(EPOCH_10MS, 1000, start, undefined)).toBe(hashTaskId(1000, start, SEED_BUCKET_NS));
    expect(entityIdUnder(EPOCH_100MS, 1000, start, undefined)).toBe(hashTaskId(1000, start, HEAD_BUCKET_NS));
  });

  it("tell a line's rule from its own threadEntityId", () => {
    const start = 1_764_230_005_123_456_912n;
    expect(describeFormats(idRuleEvidence(1000, start, hashTaskId(1000, start, SEED_BUCKET_NS)))).toBe('v0.22.6–v0.23');
    expect(describeFormats(idRuleEvidence(1000, start, hashTaskId(1000, start, HEAD_BUCKET_NS)))).toBe('v0.24–main');
    expect(describeFormats(idRuleEvidence(1000, start, 12345))).toBe('v0.18–v0.22.3');
    expect(idRuleEvidence(1000, 5_000_000_123n, 12345)).toBe(ANY_FORMAT);
  });
});

describe('exit codes', () => {
  it('v0.23+ status and signal re-encode to the raw wait status', () => {
    expect(encodeWaitStatus(2, 0)).toBe(512);
    expect(encodeWaitStatus(0, 9)).toBe(9);
    expect(decodeExitCode(encodeWaitStatus(3, 0))).toEqual({ status: 3, signal: 0, coreDumped: false });
    expect(decodeExitCode(encodeWaitStatus(0, 15))).toEqual({ status: 0, signal: 15, coreDumped: false });
  });
});
