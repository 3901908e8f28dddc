/**
 * An independent judge of input lines: which lines proctree-rx must report as bad. Written from
 * the documented rules (README "Bad input"), not from the reader's code: valid UTF-8
 * (TextDecoder, fatal), a JSON object (JSON.parse), "timestamp" an integer literal (the number
 * text from the library's careful parser, which is not the path Tracee-layout lines take),
 * "eventName" a string if present, "args" an array or null if present, task ids integers in
 * 0..4194303, times in 0..2^64-1, and a fork's pids/tids in range when its arguments are usable.
 */
import { parseKeepingNumberText, NumberText } from '../../dist/src/streams/exactNumbers.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const PID_LIMIT = 4_194_304;
const U64 = 1n << 64n;
const HEAD = ['processId', 'threadId', 'hostProcessId', 'hostThreadId', 'hostParentProcessId'];
const FORK_NUMS = ['parent_tid', 'parent_ns_tid', 'parent_pid', 'parent_ns_pid', 'child_tid', 'child_ns_tid', 'child_pid', 'child_ns_pid'];
const FORK_TIMES = ['parent_start_time', 'start_time'];

const isIntText = (v) => v instanceof NumberText && /^-?\d+$/.test(v.text);
const pidOk = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < PID_LIMIT;
const timeOk = (t) => t >= 0n && t < U64;

/**
 * Is this line (bytes, no newline, CR/BOM already as the reader sees them) bad?
 * Blank lines are neither good nor bad: returns 'skip'.
 * @returns {'good' | 'bad' | 'skip'}
 */
export function judge(bytes) {
  let text;
  try {
    text = decoder.decode(bytes);
  } catch {
    return 'bad';
  }
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (text.trim() === '') return 'skip';
  if (Buffer.byteLength(text) > 16 * 1024 * 1024) return 'bad';
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'bad';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'bad';
  if (typeof parsed.timestamp !== 'number') return 'bad';
  if (parsed.eventName !== undefined && typeof parsed.eventName !== 'string') return 'bad';
  if (parsed.args !== undefined && parsed.args !== null && !Array.isArray(parsed.args)) return 'bad';
  const doc = parseKeepingNumberText(text);
  const ts = doc.get('timestamp');
  if (!isIntText(ts) || !timeOk(BigInt(ts.text))) return 'bad';
  const tst = doc.get('threadStartTime');
  if (isIntText(tst) && !timeOk(BigInt(tst.text))) return 'bad';
  for (const k of HEAD) if (parsed[k] !== undefined && parsed[k] !== null && !pidOk(parsed[k])) return 'bad';
  if (parsed.eventName === 'sched_process_fork' && Array.isArray(parsed.args)) {
    const m = new Map();
    for (const a of parsed.args) if (a && typeof a.name === 'string') m.set(a.name, a.value);
    const usable = FORK_NUMS.every((n) => typeof m.get(n) === 'number' && Number.isFinite(m.get(n))) && FORK_TIMES.every((n) => Number.isInteger(m.get(n)));
    if (usable && FORK_NUMS.some((n) => !pidOk(m.get(n)))) return 'bad';
    if (usable && FORK_TIMES.some((n) => m.get(n) < 0 || m.get(n) >= 2 ** 64)) return 'bad';
  }
  return 'good';
}
