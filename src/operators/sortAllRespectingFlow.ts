/**
 * The `sortAllRespectingFlow` operator: the full sort of finite inputs, released at the writer's pace.
 *
 * @module
 */
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { FlowControl } from '../streams/flowControl.js';
import { createTimeSlice } from '../streams/timeSlice.js';
import type { Envelope } from '../streams/types.js';
import { compareEnvelopes } from './compareEnvelopes.js';

/**
 * The full sort of finite inputs — `sortByTimestamp({ window: 'unbounded' })`'s order: key
 * `(timestamp, rank, seq)`, equal keys in arrival order — but released at the pace of the
 * writer: while `flow` is paused (stdout full) the release waits for its resume, so the sorted
 * input is never copied wholesale into stdout's buffer. An input error releases what came
 * before it, then errors.
 */
export function sortAllRespectingFlow(flow: FlowControl): MonoTypeOperatorFunction<Envelope> {
  return (source) =>
    new Observable<Envelope>((subscriber) => {
      let held: (Envelope | undefined)[] = [];
      let cancelWait: (() => void) | undefined;
      let resumeLater: NodeJS.Immediate | undefined;
      const slice = createTimeSlice();
      let i = 0;
      const release = (then: () => void): void => {
        cancelWait = undefined;
        resumeLater = undefined;
        slice.start();
        while (i < held.length && !subscriber.closed) {
          if (flow.isPaused) {
            cancelWait = flow.onResume(() => release(then));
            return;
          }
          if (slice.expired()) {
            // a whole file's events in one go would hold the thread for seconds: signals get a turn
            resumeLater = setImmediate(() => release(then));
            return;
          }
          const env = held[i]!;
          held[i++] = undefined; // let it go once written
          subscriber.next(env);
        }
        held = [];
        if (!subscriber.closed) then();
      };
      const sortHeld = (): void => {
        // stable (V8): equal keys keep arrival order; linear on input that is sorted already
        (held as Envelope[]).sort(compareEnvelopes);
      };
      const upstream = source.subscribe({
        next: (env) => {
          held.push(env);
        },
        error: (err: unknown) => {
          sortHeld();
          release(() => subscriber.error(err));
        },
        complete: () => {
          sortHeld();
          release(() => subscriber.complete());
        },
      });
      return () => {
        upstream.unsubscribe();
        cancelWait?.();
        if (resumeLater !== undefined) clearImmediate(resumeLater);
        held = [];
      };
    });
}
