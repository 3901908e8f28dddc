import { ProgressReporter } from '../../src/cli/ProgressReporter.js';
import { Collector } from './support.js';

const CLEAR = '\r\x1b[K';

const clock = () => {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('ProgressReporter', () => {
  it('draws nothing before the interval, then one line with the rate since the last draw', () => {
    const out = new Collector();
    const c = clock();
    const p = new ProgressReporter({ out, enabled: true, now: c.now });
    p.update({ lines: 10, events: 10, badLines: 0 });
    expect(out.chunks).toEqual([]);
    c.advance(500);
    p.update({ lines: 100_001, events: 100_000, badLines: 1 });
    expect(out.chunks).toEqual([`${CLEAR}proctree-rx: 100,001 lines, 100,000 events, 1 bad lines, 200,000 events/s`]);
    c.advance(1000);
    p.update({ lines: 1_250_001, events: 1_250_000, badLines: 1 });
    expect(out.chunks[1]).toBe(`${CLEAR}proctree-rx: 1,250,001 lines, 1,250,000 events, 1 bad lines, 1,150,000 events/s`);
  });

  it('throttles: at most one draw per interval however often it is called', () => {
    const out = new Collector();
    const c = clock();
    const p = new ProgressReporter({ out, enabled: true, now: c.now, intervalMs: 100 });
    for (let i = 0; i < 1000; i++) {
      c.advance(1);
      p.update({ lines: i, events: i, badLines: 0 });
    }
    expect(out.chunks).toHaveLength(10);
  });

  it('finish erases a drawn line, once', () => {
    const out = new Collector();
    const c = clock();
    const p = new ProgressReporter({ out, enabled: true, now: c.now });
    c.advance(600);
    p.update({ lines: 1, events: 1, badLines: 0 });
    p.finish();
    p.finish();
    expect(out.chunks.at(-1)).toBe(CLEAR);
    expect(out.chunks.filter((x) => x === CLEAR)).toHaveLength(1);
  });

  it('finish writes nothing when nothing was drawn', () => {
    const out = new Collector();
    const p = new ProgressReporter({ out, enabled: true, now: clock().now });
    p.update({ lines: 1, events: 1, badLines: 0 });
    p.finish();
    expect(out.chunks).toEqual([]);
  });

  it('disabled (stderr not a TTY, or --quiet): never writes, never reads the clock', () => {
    const out = new Collector();
    const now = jest.fn(() => 0);
    const p = new ProgressReporter({ out, enabled: false, now });
    p.update({ lines: 1, events: 1, badLines: 0 });
    p.finish();
    expect(out.chunks).toEqual([]);
    expect(now).not.toHaveBeenCalled();
  });
});
