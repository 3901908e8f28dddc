/**
 * One input problem → one line for stderr.
 *
 * @module
 */
import type { InputIssue } from '../streams/types.js';
import { escapeControl } from './escapeControl.js';

/**
 * Formats an {@link InputIssue} the way compilers do: `FILE:LINE: reason`, with `warning: `
 * before the reason for warnings (the line was kept). A line number of 0 (unknown) is left out.
 * No trailing newline. The source and the reason are passed through {@link escapeControl}: they
 * may hold text from the input (terminal escape sequences, newlines), which stderr must not
 * interpret.
 *
 * @example
 * ```ts
 * import { formatIssue } from './formatIssue.js';
 * formatIssue({ origin: { source: 'cap.ndjson', line: 7 }, reason: 'invalid JSON: …', severity: 'error' });
 * // 'cap.ndjson:7: invalid JSON: …'
 * ```
 */
export function formatIssue(issue: InputIssue): string {
  const source = escapeControl(issue.origin.source);
  const where = issue.origin.line > 0 ? `${source}:${issue.origin.line}` : source;
  return `${where}: ${issue.severity === 'warning' ? 'warning: ' : ''}${escapeControl(issue.reason)}`;
}
