import { createTimeSlice } from '../../src/streams/timeSlice.js';

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
};

describe('createTimeSlice', () => {
  it('does not expire before its length, whatever the number of calls', () => {
    const slice = createTimeSlice(10_000);
    let expired = false;
    for (let i = 0; i < 10_000; i++) expired ||= slice.expired();
    expect(expired).toBe(false);
  });

  it('expires once its length has passed (the clock is read every 16th call) and start() begins a new slice', () => {
    const slice = createTimeSlice(5);
    busy(10);
    const seen: boolean[] = [];
    for (let i = 0; i < 16; i++) seen.push(slice.expired());
    expect(seen.slice(0, 15).every((e) => !e)).toBe(true);
    expect(seen[15]).toBe(true);
    slice.start();
    let again = false;
    for (let i = 0; i < 16; i++) again ||= slice.expired();
    expect(again).toBe(false);
  });
});
