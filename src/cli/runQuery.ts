/**
 * `proctree-rx query --queries QFILE [FILE…]`: as-of answers from the tree built from the events.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { Observable } from 'rxjs';
import { exactTopLevelInteger } from '../streams/exactNumbers.js';
import type { FlowControl } from '../streams/flowControl.js';
import { InputError } from '../streams/openInput.js';
import { createTimeSlice } from '../streams/timeSlice.js';
import type { Nanos } from '../streams/types.js';
import { ErrDataNotFound, type ProcessTreeDataSource } from '../tree/dataSource.js';
import { ancestorJson, processInfoJson, threadInfoJson } from '../tree/infoJson.js';
import type { QueryCommand } from './cliTypes.js';
import type { CliIo } from './commands.js';
import { buildWholeTree, finishRun, guardInputErrors, startEventRun, writeRunOutput } from './pipeline.js';

/** Lineage depth when a lineage query gives no `maxDepth` (as Tracee's detectors). */
const DEFAULT_MAX_DEPTH = 5;
/** Largest accepted `maxDepth`. */
const MAX_MAX_DEPTH = 1024;
const UINT32_MAX = 0xffffffff;

/** One query line, validated. */
interface Query {
  readonly kind: 'process' | 'thread' | 'lineage';
  /** `entityId` given, or else `pid` given. */
  readonly entityId: number | undefined;
  readonly pid: number | undefined;
  readonly time: Nanos;
  readonly maxDepth: number;
}

const isWhole = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Validates one QFILE line (exact `time` read from the text). */
function parseQuery(text: string): E.Either<string, Query> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return E.left(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return E.left('a query must be a JSON object');
  const q = parsed as Record<string, unknown>;
  const kind = q['kind'];
  if (kind !== 'process' && kind !== 'thread' && kind !== 'lineage') {
    return E.left(`"kind" must be "process", "thread" or "lineage", got ${JSON.stringify(kind) ?? 'nothing'}`);
  }
  const hasId = 'entityId' in q;
  const hasPid = 'pid' in q;
  if (hasId === hasPid) return E.left('give either "entityId" or "pid" (not both)');
  if (hasId && !isWhole(q['entityId'], 0, UINT32_MAX)) return E.left('"entityId" must be an integer from 0 to 4294967295');
  if (hasPid && !isWhole(q['pid'], 1, 2 ** 31 - 1)) return E.left('"pid" must be a positive integer');
  const rawTime = q['time'];
  if (rawTime === undefined) return E.left('"time" is missing (integer ns since the epoch)');
  let time: Nanos | undefined;
  if (typeof rawTime === 'number') time = exactTopLevelInteger(text, 'time', rawTime) ?? (Number.isSafeInteger(rawTime) ? BigInt(rawTime) : undefined);
  else if (typeof rawTime === 'string' && /^\d+$/.test(rawTime)) time = BigInt(rawTime);
  if (time === undefined || time < 0n) return E.left('"time" must be a non-negative integer of ns since the epoch, written as digits');
  let maxDepth = DEFAULT_MAX_DEPTH;
  if (kind === 'lineage' && 'maxDepth' in q) {
    if (!isWhole(q['maxDepth'], 0, MAX_MAX_DEPTH)) return E.left(`"maxDepth" must be an integer from 0 to ${MAX_MAX_DEPTH}`);
    maxDepth = q['maxDepth'];
  }
  return E.right({
    kind,
    entityId: hasId ? (q['entityId'] as number) : undefined,
    pid: hasPid ? (q['pid'] as number) : undefined,
    time,
    maxDepth,
  });
}

/** The answer's JSON fields (after `"query":…,`), or `undefined` when not found. */
function answer(ds: ProcessTreeDataSource, q: Query): string | undefined {
  // a pid names the process that had it at the time; a process's leader thread has its id
  const entityId = q.entityId ?? O.toUndefined(O.map((p: { entityId: number }) => p.entityId)(ds.processByPid(q.pid ?? 0, q.time)));
  if (entityId === undefined) return undefined;
  switch (q.kind) {
    case 'process':
      return O.toUndefined(O.map((p: Parameters<typeof processInfoJson>[0]) => `"process_info":${processInfoJson(p)}`)(ds.process({ entityId, time: q.time })));
    case 'thread':
      return O.toUndefined(O.map((t: Parameters<typeof threadInfoJson>[0]) => `"thread_info":${threadInfoJson(t)}`)(ds.thread({ entityId, time: q.time })));
    case 'lineage':
      return O.toUndefined(
        O.map((l: Parameters<typeof processInfoJson>[0][]) => `"process_lineage":[${l.map((p, i) => (i === 0 ? processInfoJson(p) : ancestorJson(p))).join(',')}]`)(
          ds.lineage({ entityId, time: q.time, maxDepth: q.maxDepth }),
        ),
      );
  }
}

const readAll = async (stream: Readable): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
};

const readQueries = async (path: string, io: CliIo): Promise<string> => {
  if (path === '-') return readAll(io.stdin as Readable);
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(err);
    throw new InputError(`cannot read ${path}: ${reason}`, code);
  }
};

/**
 * Runs `query`: reads QFILE, builds the tree from all events (every version retained), then
 * answers each non-empty QFILE line in order with one NDJSON line on stdout:
 *
 * | query line | answer |
 * |---|---|
 * | `{"kind":"process","entityId":N,"time":T}` | `{"query":…,"process_info":{…}}` |
 * | `{"kind":"thread","entityId":N,"time":T}` | `{"query":…,"thread_info":{…}}` |
 * | `{"kind":"lineage","entityId":N,"time":T,"maxDepth":5}` | `{"query":…,"process_lineage":[{…},…]}` |
 * | (not found) | `{"query":…,"error":"requested data was not found"}` |
 * | (bad line) | `{"query":…,"error":"<what is wrong>"}`, and `QFILE:LINE: …` on stderr |
 *
 * `"query"` is the line as given (digit-exact; a line that is not JSON is given as a string).
 * `"pid":P` may replace `entityId`: the process that had host pid P at T (for `thread`, its
 * leader thread). T is integer ns since the epoch, read exactly from the text. `maxDepth`
 * defaults to 5. Answers are as of T (`VersionHistory.at`), lineage ancestors as of their
 * child's start, as Tracee's data source gives them; the first lineage element has the
 * `threadsIds`/`childProcessesIds` maps, ancestors do not.
 *
 * Bad query lines count as bad lines (exit 1 with `--strict`).
 *
 * @example
 * ```sh
 * echo '{"kind":"lineage","pid":20652,"time":1795582946621474559}' > q.ndjson
 * proctree-rx query --queries q.ndjson capture.ndjson
 * ```
 */
export function runQuery(cmd: QueryCommand, io: CliIo): Promise<number> {
  return guardInputErrors(io, async () => {
    const text = await readQueries(cmd.queries, io);
    // the questions are known up front: keep the tree as of each of their times, not every version
    const run = await startEventRun(cmd, io, { history: { maxVersions: 1 } });
    run.builder.keepAsOf(queryTimes(text));
    const built = await buildWholeTree(run);
    run.builder.settleKept();
    if (!built) return finishRun(run, { failed: true });
    const ds = run.builder.dataSource();
    const source = cmd.queries === '-' ? '<stdin>' : cmd.queries;
    const answerLine = (line: string, lineNo: number): string => {
      const q = parseQuery(line);
      let quoted = line;
      let fields: string;
      if (E.isLeft(q)) {
        run.issues.report({ origin: { source, line: lineNo }, reason: q.left, severity: 'error' });
        if (q.left.startsWith('invalid JSON')) quoted = JSON.stringify(line);
        fields = `"error":${JSON.stringify(q.left)}`;
      } else {
        fields = answer(ds, q.right) ?? `"error":${JSON.stringify(ErrDataNotFound)}`;
      }
      return `{"query":${quoted},${fields}}`;
    };
    // streamed, one line per answer, at the writer's pace (never gathered into one string)
    return writeRunOutput(run, answerLines(text, answerLine, run.pipeline.flow, io.signal));
  });
}

/** The times the (well-formed) questions of `text` ask about. */
function queryTimes(text: string): bigint[] {
  const times: bigint[] = [];
  for (const line of text.split('\n')) {
    const q = line.trim() === '' ? undefined : parseQuery(line.replace(/^\uFEFF/, '').trim());
    if (q !== undefined && E.isRight(q)) times.push(q.right.time);
  }
  return times;
}

/**
 * One answer line per non-empty line of `text` (BOM and surrounding blanks removed), computed
 * lazily at the pace of the writer (`flow`), a time slice at a time so signals get a turn;
 * completes early once `signal` is aborted.
 */
export function answerLines(text: string, answerLine: (line: string, lineNo: number) => string, flow: FlowControl, signal: AbortSignal): Observable<string> {
  return new Observable<string>((subscriber) => {
    let at = 0;
    let lineNo = 0;
    let later: NodeJS.Immediate | undefined;
    let cancelWait: (() => void) | undefined;
    const slice = createTimeSlice();
    const step = (): void => {
      later = undefined;
      cancelWait = undefined;
      slice.start();
      while (at < text.length && !subscriber.closed && !signal.aborted) {
        if (flow.isPaused) {
          cancelWait = flow.onResume(step);
          return;
        }
        if (slice.expired()) {
          later = setImmediate(step);
          return;
        }
        let end = text.indexOf('\n', at);
        if (end < 0) end = text.length;
        const line = text.slice(at, end).replace(/^\uFEFF/, '').trim();
        at = end + 1;
        lineNo++;
        if (line !== '') subscriber.next(answerLine(line, lineNo));
      }
      subscriber.complete();
    };
    step();
    return () => {
      if (later !== undefined) clearImmediate(later);
      cancelWait?.();
    };
  });
}
