/**
 * Prints signature errors of a CLI run to stderr, capped, while counting all of them.
 *
 * @module
 */
import { originText, type SignatureError } from '../signatures/SignatureError.js';
import type { TextSink } from './cliTypes.js';

/** Default cap on printed signature-error lines. */
export const DEFAULT_MAX_SIGNATURE_ERROR_LINES = 100;

/**
 * One line for a signature error: `signature PRX-002 failed on FILE:LINE: TypeError: …`, or
 * `signature PRX-002 failed in init: …` when no event was being processed. No newline.
 *
 * @example
 * ```ts
 * import { formatSignatureError } from './SignatureErrorReporter.js';
 * formatSignatureError(error); // 'signature PRX-002 failed on cap.ndjson:12: TypeError: …'
 * ```
 */
export function formatSignatureError(error: SignatureError): string {
  const where = error.event === undefined ? `in ${error.where}` : `on ${originText(error.event)}`;
  return `signature ${error.signatureId} failed ${where}: ${error.reason}`;
}

/**
 * Counts every signature error and prints the first `maxLines` (always, `--quiet` or not: they
 * make the exit code 1); {@link SignatureErrorReporter.finish} prints how many were not shown.
 *
 * @example
 * ```ts
 * import { SignatureErrorReporter } from './SignatureErrorReporter.js';
 * const errors = new SignatureErrorReporter(process.stderr);
 * runSignatures(sigs, { onError: errors.report });
 * ```
 */
export class SignatureErrorReporter {
  private printed = 0;
  private total = 0;

  constructor(
    private readonly out: TextSink,
    private readonly maxLines: number = DEFAULT_MAX_SIGNATURE_ERROR_LINES,
  ) {}

  /** Counts one error and prints it unless the cap is reached. Bound: hand it to `onError` directly. */
  readonly report = (error: SignatureError): void => {
    this.total++;
    if (this.printed >= this.maxLines) return;
    this.printed++;
    this.out.write(formatSignatureError(error) + '\n');
  };

  /** Signature errors seen so far. */
  get count(): number {
    return this.total;
  }

  /** Prints the "… N more signature errors" line when some were not shown. Call once, at the end. */
  finish(): void {
    const hidden = this.total - this.printed;
    if (hidden > 0) this.out.write(`… ${hidden} more signature error${hidden === 1 ? '' : 's'}\n`);
  }
}
