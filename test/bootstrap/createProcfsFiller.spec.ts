import { filter, firstValueFrom, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createProcfsFiller, type ProcfsFillerOptions } from '../../src/bootstrap/createProcfsFiller.js';
import { nodeIo } from '../../src/bootstrap/internal/procfsReader.js';
import type { ProcfsIo } from '../../src/bootstrap/procfsTypes.js';
import { BOOT, expectedOf, FIXTURE_ROOT, now } from './fixture.js';

describe('createProcfsFiller', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const make = (extra: Partial<ProcfsFillerOptions> = {}) =>
    createProcfsFiller({ root: FIXTURE_ROOT, bootEpochNs: BOOT, now, scheduler, ...extra });

  /** Leader pids of the records, for marbles. */
  const leaders = (filler: ReturnType<typeof make>) =>
    filler.records$.pipe(
      filter((r) => !r.isThread),
      map((r) => r.ids.pid),
    );

  it('reads a burst at once, then one process per 1000/rate ms', () => {
    scheduler.run(({ expectObservable }) => {
      const filler = make({ ratePerSecond: 10, burst: 2 });
      expectObservable(leaders(filler)).toBe('(ab) 96ms c 99ms d 99ms e 699ms |', { a: 1, b: 100, c: 200, d: 300, e: 400 });
      [1, 100, 200, 300, 400].forEach((pid) => filler.request(pid));
      scheduler.schedule(() => filler.close(), 1000);
      scheduler.schedule(() => expect(filler.stats()).toEqual(
        { requested: 5, deduplicated: 0, dropped: 0, invalid: 0, read: 5, vanished: 0, errors: 0, pending: 0 },
      ), 999);
    });
  });

  it('refills the bucket while idle, up to burst', () => {
    scheduler.run(({ expectObservable }) => {
      const filler = make({ ratePerSecond: 10, burst: 2 });
      // t=0: 1 and 100 use the burst; t=500: the bucket is full again (2), so 200 and 300 at once.
      expectObservable(leaders(filler), '^ 600ms !').toBe('(ab) 496ms (cd)', { a: 1, b: 100, c: 200, d: 300 });
      filler.request(1);
      filler.request(100);
      scheduler.schedule(() => [200, 300].forEach((pid) => filler.request(pid)), 500);
    });
  });

  it('emits a process with its threads, leader first, exactly as read', async () => {
    const filler = createProcfsFiller({ root: FIXTURE_ROOT, bootEpochNs: BOOT, now });
    const all: unknown[] = [];
    filler.records$.subscribe((r) => all.push(r));
    filler.request(300);
    expect(all).toEqual([]); // request() never reads on the caller's stack
    await firstValueFrom(filler.records$);
    filler.close();
    expect(all).toEqual([expectedOf(300), expectedOf(301), expectedOf(302)]);
  });

  it('a tid reads its whole thread group', () => {
    // The kernel answers /proc/<tid>/… for any tid (not listed in /proc): simulate it.
    const hidden = `${FIXTURE_ROOT}/302/`;
    const via = (p: string): string => (p.startsWith(hidden) ? `${FIXTURE_ROOT}/300/task/302/${p.slice(hidden.length)}` : p);
    const io: ProcfsIo = { ...nodeIo, readFile: (p) => nodeIo.readFile(via(p)) };
    scheduler.run(({ expectObservable }) => {
      const filler = make({ io });
      expectObservable(filler.records$.pipe(map((r) => r.ids.tid)), '^ 10ms !').toBe('(abc)', { a: 300, b: 301, c: 302 });
      filler.request(302);
    });
  });

  it('deduplicates queued pids and pids read within the window', () => {
    scheduler.run(({ expectObservable }) => {
      const filler = make({ dedupWindowMs: 100 });
      expectObservable(leaders(filler), '^ 300ms !').toBe('a 149ms b', { a: 100, b: 100 });
      filler.request(100);
      filler.request(100); // queued already
      scheduler.schedule(() => filler.request(100), 50); // read at 0, window 100: skipped
      scheduler.schedule(() => filler.request(100), 150); // window over: read again
      scheduler.schedule(() => expect(filler.stats()).toEqual(expect.objectContaining({ requested: 4, deduplicated: 2, read: 2 })), 200);
    });
  });

  it('drops requests beyond maxPending, without blocking', () => {
    scheduler.run(({ expectObservable }) => {
      const filler = make({ maxPending: 2 });
      expectObservable(leaders(filler), '^ 10ms !').toBe('(ab)', { a: 1, b: 100 });
      [1, 100, 200, 300].forEach((pid) => filler.request(pid));
      expect(filler.stats()).toEqual(expect.objectContaining({ requested: 4, dropped: 2, pending: 2, read: 0 }));
    });
  });

  it('counts vanished, unreadable and invalid pids', () => {
    scheduler.run(() => {
      const io: ProcfsIo = {
        ...nodeIo,
        readFile: (p) => {
          if (p === `${FIXTURE_ROOT}/200/stat`) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
          return nodeIo.readFile(p);
        },
      };
      const issues: string[] = [];
      const filler = make({ io, onIssue: (i) => issues.push(`${i.kind} ${i.pid}`) });
      [600, 4242, 200, 0, -1, 1.5, 100].forEach((pid) => filler.request(pid));
      scheduler.schedule(() => {
        expect(filler.stats()).toEqual({ requested: 7, deduplicated: 0, dropped: 0, invalid: 3, read: 1, vanished: 2, errors: 1, pending: 0 });
        expect(issues).toEqual(['vanished 600', 'vanished 4242', 'permission-denied 200']);
      }, 1);
    });
  });

  it('close() cancels pending reads, completes records$ and ignores later requests', () => {
    scheduler.run(({ expectObservable }) => {
      const filler = make({ ratePerSecond: 10, burst: 1 });
      expectObservable(leaders(filler)).toBe('a 49ms |', { a: 1 });
      [1, 100, 200].forEach((pid) => filler.request(pid));
      scheduler.schedule(() => {
        filler.close();
        filler.close();
        filler.request(300);
        expect(filler.stats()).toEqual(expect.objectContaining({ requested: 3, read: 1, pending: 0 }));
      }, 50);
    });
  });

  it('completes without emitting when closed idle', () => {
    scheduler.run(({ expectObservable }) => {
      const filler = make();
      expectObservable(filler.records$).toBe('--|');
      scheduler.schedule(() => filler.close(), 2);
    });
  });

  it('rejects non-positive rates', () => {
    expect(() => make({ ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => make({ burst: -1 })).toThrow(RangeError);
  });
});
