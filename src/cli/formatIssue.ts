/**
 * One input problem → one line for stderr.
 *
 * @module
 */
import type { InputIssue } from '../streams/types.js';

/**
 * Formats an {@link InputIssue} the way compilers do: `FILE:LINE: reason`, with `warning: `
 * before the reason for warnings (the line was kept). A line number of 0 (unknown) is left out.
 * No trailing newline.
 *
 * @example
 * ```ts
 * import { formatIssue } from './formatIssue.js';
 * formatIssue({ origin: { source: 'cap.ndjson', line: 7 }, reason: 'invalid JSON: …', severity: 'error' });
 * // 'cap.ndjson:7: invalid JSON: …'
 * ```
 */
export function formatIssue(issue: InputIssue): string {
  const where = issue.origin.line > 0 ? `${issue.origin.source}:${issue.origin.line}` : issue.origin.source;
  return `${where}: ${issue.severity === 'warning' ? 'warning: ' : ''}${issue.reason}`;
}
