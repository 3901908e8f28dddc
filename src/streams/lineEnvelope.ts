/**
 * An envelope whose event is parsed on first access: what the file reader's parser thread hands
 * the main thread (the line was already validated there, its exact times and task-context
 * fields extracted).
 *
 * @module
 */
import type { PreparsedArgs } from './lifecycleArgs.js';
import type { EventHead, Envelope, Nanos, Origin, StreamFormatView, TraceeEvent } from './types.js';
import { isV1Beta1, mapV1Beta1 } from './v1beta1.js';

/** A validated line's event: main's v1beta1 document is mapped onto the flat shape. */
const parseLine = (raw: string): TraceeEvent => {
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  return isV1Beta1(parsed) ? mapV1Beta1(parsed).event : (parsed as unknown as TraceeEvent);
};

/**
 * An {@link Envelope} built from a line validated elsewhere. `event` is `JSON.parse(raw)`, done
 * once, on first access; `head` holds the task-context fields and `preparsed` a lifecycle event's
 * typed arguments, so the tree does not need it.
 */
export class LineEnvelope implements Envelope {
  #event: TraceeEvent | undefined;

  constructor(
    readonly raw: string,
    readonly head: EventHead,
    readonly timestamp: Nanos,
    readonly threadStartTime: Nanos,
    readonly origin: Origin,
    readonly seq: number,
    readonly rank: number,
    readonly late?: boolean,
    event?: TraceeEvent,
    readonly preparsed?: PreparsedArgs,
    readonly format?: StreamFormatView,
  ) {
    this.#event = event;
  }

  /** The parsed event (parsed from `raw` on first access, then kept). */
  get event(): TraceeEvent {
    return (this.#event ??= parseLine(this.raw));
  }

  /** The same envelope flagged late (see `sortByTimestamp`). */
  asLate(): LineEnvelope {
    return new LineEnvelope(this.raw, this.head, this.timestamp, this.threadStartTime, this.origin, this.seq, this.rank, true, this.#event, this.preparsed, this.format);
  }
}

/** `env` flagged late, keeping a {@link LineEnvelope} lazy (a spread would lose its `event`). */
export const markLate = (env: Envelope): Envelope => (env instanceof LineEnvelope ? env.asLate() : { ...env, late: true });
