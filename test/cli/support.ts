import type { TextSink } from '../../src/cli/cliTypes.js';

/** A TextSink that keeps what was written. */
export class Collector implements TextSink {
  readonly chunks: string[] = [];
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
  get lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
}
