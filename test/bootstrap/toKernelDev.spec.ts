import { toKernelDev } from '../../src/bootstrap/toKernelDev.js';

/** glibc's gnu_dev_makedev, written out. */
const makedev = (major: bigint, minor: bigint): bigint =>
  ((major & 0xfffn) << 8n) | ((major & ~0xfffn) << 32n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n);

describe('toKernelDev', () => {
  it("matches Tracee's printed dev for 254:0 (fixtures: 266338304)", () => {
    expect(toKernelDev(0xfe00n)).toBe(266338304);
    expect(toKernelDev(65024)).toBe(266338304);
  });

  it.each([
    [8n, 1n],
    [259n, 3n],
    [8n, 0x12345n],
    [0n, 0n],
    [4095n, 0xfffffn],
  ])('major %d minor %d → major << 20 | minor', (major, minor) => {
    expect(toKernelDev(makedev(major, minor))).toBe(Number((major << 20n) | minor));
  });
});
