import { hashTaskId, hashU32AndU64, murmur32, HEAD_BUCKET_NS } from '../../src/streams/entityId.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('murmur32 (spec §2.5 core vectors)', () => {
  it.each([
    ['empty', bytes(), 0xac1e97d9],
    ['[0x42]', bytes(0x42), 0xd03e2e67],
    ['[1,2,3,4]', bytes(1, 2, 3, 4), 0xb503cc53],
    ['"hello"', new TextEncoder().encode('hello'), 0x6fcfe226],
    ['12 zero bytes', new Uint8Array(12), 0xf6c56b4a],
  ])('%s', (_name, input, expected) => {
    expect(murmur32(input)).toBe(expected);
  });
});

describe('hashU32AndU64 (spec §2.5)', () => {
  it.each([
    [0, 0n, 0xf6c56b4a],
    [1, 2n, 0xd25f0e74],
    [0x12345678, 0x123456789abcdef0n, 0xb065052c],
    [0xffffffff, 0n, 0x6d045877],
    [0, 0xffffffffffffffffn, 0xece98cf5],
    [0xffffffff, 0xffffffffffffffffn, 0xffa282fc],
  ])('(%d, %d)', (a, b, expected) => {
    expect(hashU32AndU64(a, b)).toBe(expected);
  });

  it('agrees with murmur32 over the big-endian packing', () => {
    const buf = new Uint8Array(12);
    const view = new DataView(buf.buffer);
    view.setUint32(0, 0x12345678, false);
    view.setBigUint64(4, 0x123456789abcdef0n, false);
    expect(hashU32AndU64(0x12345678, 0x123456789abcdef0n)).toBe(murmur32(buf));
  });
});

describe('hashTaskId (spec §2.5 table)', () => {
  it.each([
    [1, 0n, 2241331610, 2241331610],
    [1, 9999999n, 2241331610, 2241331610],
    [1234, 5009999999n, 2819832363, 2819832363],
    [1234, 5010000000n, 3688359304, 2819832363],
    [1094692, 3602811296936n, 8370164, 4172349505],
    [1037836, 2543210987654n, 4208207516, 1343316139],
    [4242, 883410317491n, 2838063179, 350230356],
    [12345, 1755852177635091549n, 2241929191, 2569545632],
    [12345, 1755852177625193969n, 2384544660, 2569545632],
  ])('tid %d start %d → seed %d, head %d', (tid, start, seed, head) => {
    expect(hashTaskId(tid, start)).toBe(seed);
    expect(hashTaskId(tid, start, HEAD_BUCKET_NS)).toBe(head);
  });

  it('loses no precision above 2^53 (neighbouring 10 ms buckets differ)', () => {
    const base = 1795582946600000000n; // > 2^53, on a bucket boundary
    expect(hashTaskId(7, base)).toBe(hashTaskId(7, base + 9_999_999n));
    expect(hashTaskId(7, base)).not.toBe(hashTaskId(7, base - 1n));
  });
});
