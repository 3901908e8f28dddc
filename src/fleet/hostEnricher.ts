/**
 * One host's tree inside a worker: the CLI's pieces, fed one message at a time — the stream
 * reader (`createEventReader`: format detection, exact numbers), the kernel-range check, the
 * {@link TreeBuilder} through the `enrich` operator, the enrich encoder, and the signatures.
 * Each input line gives its enriched line (exactly what `proctree-rx enrich` prints for it) and
 * the findings it triggered; a bad line gives the reason instead.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { Subject } from 'rxjs';
import { encodeCheckpoint } from '../checkpoint/encodeCheckpoint.js';
import type { BuilderSettings } from '../checkpoint/checkpointFormat.js';
import type { Checkpoint } from '../checkpoint/decodeCheckpoint.js';
import { resumeBuilder } from '../checkpoint/resumeBuilder.js';
import { createEnrichEncoder } from '../pipeline/enrichEncoder.js';
import { ENRICH_MAX_DEPTH } from '../cli/pipeline.js';
import { enrich } from '../operators/enrich.js';
import { runSignatures } from '../signatures/runSignatures.js';
import { findingToJson } from '../signatures/findingToJson.js';
import type { AnySignature } from '../signatures/types.js';
import { createEventReader, type EventReader } from '../streams/eventReader.js';
import { kernelRangeProblem } from '../streams/kernelRanges.js';
import type { Envelope, InputIssue } from '../streams/types.js';
import type { ProcfsTaskRecord } from '../tree/records.js';
import { TreeBuilder } from '../tree/treeBuilder.js';

/**
 * Tree versions a host keeps by default (`serve --history`): enriched lines read the current
 * version only (as `enrich` does); signatures that query the data source at earlier times read
 * retained ones.
 */
export const DEFAULT_HOST_HISTORY = 64;

/** The enrich encoder's cache of rendered context text per host by default (`serve --encoder-cache`), bytes. */
export const DEFAULT_HOST_ENCODER_CACHE = 1024 * 1024;

/** What one input line produced. */
export interface LineOutcome {
  /** The enriched line (no newline); `undefined` for a bad line. */
  readonly enriched: string | undefined;
  /** Findings it triggered, one JSON line each. */
  readonly findings: readonly string[];
  /** Why the line was not used (a bad line: reported, counted, acknowledged). */
  readonly problem: string | undefined;
}

/** Options of a {@link HostEnricher}. */
export interface HostEnricherOptions {
  readonly host: string;
  /** Where reported lines say they come from (the input subject). */
  readonly source: string;
  readonly settings: BuilderSettings;
  /** Fresh instances (signatures keep state: one set per host). */
  readonly signatures: readonly AnySignature[];
  /** Tree versions kept (default {@link DEFAULT_HOST_HISTORY}); the output does not depend on it. */
  readonly history?: number | undefined;
  /** Bound of the encoder's cache of rendered text, bytes (default {@link DEFAULT_HOST_ENCODER_CACHE}); the output does not depend on it. */
  readonly encoderCacheBytes?: number | undefined;
  /** Resume from this checkpoint (else an empty tree). */
  readonly checkpoint?: Checkpoint | undefined;
  /** Warnings about lines (format notes, unusable lifecycle events). */
  readonly onIssue?: (issue: InputIssue) => void;
  /** A signature failed on an event (counted; the run goes on). */
  readonly onSignatureError?: (message: string) => void;
}

/**
 * A host's tree and its enrich path, fed message by message (in the host's stream order).
 *
 * @example
 * ```ts
 * const host = new HostEnricher({ host: 'web-1', source: 'proctree.events.3.web-1', settings, signatures: [] });
 * const out = host.applyLine('{"timestamp":…}', 17);
 * ```
 */
export class HostEnricher {
  readonly builder: TreeBuilder;
  readonly settings: BuilderSettings;
  /** Input events applied (procfs records excluded), checkpoint included. */
  events: number;
  /** Stream sequence of the last message applied (0: none). */
  streamSeq: number;
  /** Findings emitted so far, checkpoint included. */
  findings: number;
  private readonly reader: EventReader;
  private readonly input = new Subject<Envelope>();
  private enriched: string | undefined;
  private readonly found: string[] = [];
  private readonly retention: { readonly maxVersions: number };
  /** The host whose events this tree is built from. */
  readonly hostName: string;

  constructor(options: HostEnricherOptions) {
    this.hostName = options.host;
    this.settings = options.checkpoint?.settings ?? options.settings;
    const onIssue = options.onIssue;
    this.retention = { maxVersions: Math.max(1, options.history ?? DEFAULT_HOST_HISTORY) };
    const hooks = { history: this.retention, ...(onIssue === undefined ? {} : { onIssue }) };
    this.builder = options.checkpoint !== undefined ? resumeBuilder(options.checkpoint, hooks) : new TreeBuilder({ ...this.settings, ...hooks });
    this.events = options.checkpoint?.position.events ?? 0;
    this.streamSeq = options.checkpoint?.position.streamSeq ?? 0;
    this.findings = options.checkpoint?.position.findings ?? 0;
    this.reader = createEventReader({ source: options.source, ...(onIssue === undefined ? {} : { onIssue }) });
    const encode = createEnrichEncoder(options.encoderCacheBytes ?? DEFAULT_HOST_ENCODER_CACHE, ENRICH_MAX_DEPTH);
    const enriched$ = this.input.pipe(enrich({ builder: this.builder, maxDepth: ENRICH_MAX_DEPTH }));
    // one subscription feeds the tree; the encoder and the signatures read what it emits
    const shared = new Subject<Parameters<typeof encode>[0]>();
    enriched$.subscribe(shared);
    shared.subscribe((e) => {
      this.enriched = encode(e).join('');
    });
    if (options.signatures.length > 0) {
      const onError = options.onSignatureError;
      shared
        .pipe(
          runSignatures(options.signatures, {
            dataSource: this.builder.dataSource(),
            ...(onError === undefined ? {} : { onError: (failure) => onError(`${this.hostName}: ${failure.message}`) }),
          }),
        )
        .subscribe((f) => this.found.push(findingToJson(f)));
    }
  }

  /** Applies one Tracee line (stream sequence `seq`): its enriched line and findings, or why not. */
  applyLine(text: string, seq: number): LineOutcome {
    this.streamSeq = seq;
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    const parsed = this.reader.read(line, seq, seq);
    if (E.isLeft(parsed)) return { enriched: undefined, findings: [], problem: parsed.left };
    const problem = kernelRangeProblem(parsed.right);
    if (problem !== undefined) return { enriched: undefined, findings: [], problem };
    this.enriched = undefined;
    this.found.length = 0;
    this.input.next(parsed.right);
    this.events++;
    const findings = this.found.splice(0);
    this.findings += findings.length;
    return { enriched: this.enriched, findings, problem: undefined };
  }

  /** Applies one procfs record (the host's start-up walk). */
  applyRecord(record: ProcfsTaskRecord, seq: number): void {
    this.streamSeq = seq;
    this.builder.applyRecord(record);
  }

  /** The host's checkpoint now (format 1), its position the last message applied. */
  checkpoint(): Uint8Array {
    return encodeCheckpoint({ builder: this.builder, settings: this.settings, retention: this.retention, position: { events: this.events, streamSeq: this.streamSeq, findings: this.findings } });
  }
}
