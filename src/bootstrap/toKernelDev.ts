/**
 * Device-number conversion between user space (`stat(2)`'s `st_dev`) and the kernel.
 *
 * @module
 */

/** Bits of the minor number in the kernel's internal `dev_t` (`MINORBITS`). */
export const KERNEL_MINOR_BITS = 20;
const KERNEL_MINOR_MASK = (1 << KERNEL_MINOR_BITS) - 1;

/**
 * Converts a user-space device number (glibc's 64-bit encoding, as `fs.stat` returns it:
 * minor in bits 0–7 and 20–31, major in bits 8–19 and 32–43) to the kernel's internal
 * `dev_t`, `major << 20 | minor` — the form Tracee prints (`dev` of `sched_process_exec`).
 *
 * @returns an unsigned 32-bit number (majors above 4095 or minors above 2^20 do not fit the
 *   kernel's form and are truncated, as in the kernel).
 *
 * @example
 * ```ts
 * import { toKernelDev } from 'proctree-rx';
 * toKernelDev(0xfe00n); // major 254, minor 0 → 266338304 (0x0fe00000)
 * ```
 */
export function toKernelDev(dev: bigint | number): number {
  const d = BigInt(dev);
  const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
  const minor = Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
  return ((major << KERNEL_MINOR_BITS) | (minor & KERNEL_MINOR_MASK)) >>> 0;
}
