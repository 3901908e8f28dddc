/**
 * Backpressure between a reader and a writer that talk through RxJS (which has none).
 *
 * @module
 */

/**
 * A pause/resume switch shared by a reader ({@link fromNdjson}) and a writer ({@link writeNdjson}).
 * The writer pauses it when its output's `write()` returns `false` and resumes it on `'drain'`; the
 * reader stops pulling chunks while it is paused and waits for the resume.
 *
 * One boolean, not a counter: share one FlowControl between one reader and one writer.
 */
export interface FlowControl {
  /** True between a {@link FlowControl.pause} and the next {@link FlowControl.resume}. */
  readonly isPaused: boolean;
  /** Asks the reader to stop pulling input. Idempotent. */
  pause(): void;
  /** Lets the reader go on; calls the waiting listeners, in registration order. Idempotent. */
  resume(): void;
  /**
   * Calls `listener` once at the next resume (immediately, synchronously, when not paused).
   * @returns a function that cancels the wait.
   */
  onResume(listener: () => void): () => void;
  /** A promise that settles at the next resume (already settled when not paused). */
  whenResumed(): Promise<void>;
}

/**
 * Creates a {@link FlowControl}, initially running (not paused).
 *
 * @example
 * ```ts
 * import { createFlowControl, fromNdjson, writeNdjson } from 'proctree-rx';
 * import { map } from 'rxjs';
 * const flow = createFlowControl();
 * const events$ = fromNdjson(process.stdin, { source: '<stdin>', flow });
 * await writeNdjson(events$.pipe(map((e) => e.raw ?? '')), process.stdout, { flow });
 * ```
 */
export function createFlowControl(): FlowControl {
  let paused = false;
  let waiting: Array<() => void> = [];
  const flow: FlowControl = {
    get isPaused() {
      return paused;
    },
    pause() {
      paused = true;
    },
    resume() {
      if (!paused) return;
      paused = false;
      const listeners = waiting;
      waiting = [];
      for (let i = 0; i < listeners.length; i++) {
        listeners[i]!();
        // a listener may pause again; the rest wait for the next resume
        if (paused) {
          waiting = listeners.slice(i + 1).concat(waiting);
          return;
        }
      }
    },
    onResume(listener) {
      if (!paused) {
        listener();
        return () => undefined;
      }
      waiting.push(listener);
      return () => {
        waiting = waiting.filter((l) => l !== listener);
      };
    },
    whenResumed() {
      return new Promise<void>((resolve) => flow.onResume(resolve));
    },
  };
  return flow;
}
