import { describeWriteError, isReaderGone, isWriteError } from '../../src/cli/outputErrors.js';

const sysError = (code: string, syscall = 'write'): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: something, ${syscall}`), { code, syscall });

describe('output errors', () => {
  it('EPIPE, ECONNRESET and a destroyed stream mean the reader left', () => {
    expect(isReaderGone(sysError('EPIPE'))).toBe(true);
    expect(isReaderGone(sysError('ECONNRESET'))).toBe(true);
    expect(isReaderGone(sysError('ERR_STREAM_DESTROYED'))).toBe(true);
    expect(isReaderGone(sysError('ENOSPC'))).toBe(false);
    expect(isReaderGone(new Error('plain'))).toBe(false);
  });

  it('ENOSPC and EIO read as one clear line with their code', () => {
    expect(describeWriteError(sysError('ENOSPC'), 'output')).toBe('cannot write output: no space left on device (ENOSPC)');
    expect(describeWriteError(sysError('EIO'), '--issues x.ndjson')).toBe('cannot write --issues x.ndjson: input/output error (EIO)');
  });

  it('an unknown code keeps the system message', () => {
    expect(describeWriteError(sysError('EWEIRD'), 'output')).toBe('cannot write output: EWEIRD: something, write');
    expect(describeWriteError('oops', 'output')).toBe('cannot write output: oops');
  });

  it('isWriteError: system write errors, not the reader leaving', () => {
    expect(isWriteError(sysError('ENOSPC'))).toBe(true);
    expect(isWriteError(sysError('EWEIRD', 'write'))).toBe(true);
    expect(isWriteError(sysError('EPIPE'))).toBe(false);
    expect(isWriteError(new Error('x'))).toBe(false);
    expect(isWriteError(sysError('EIO', 'read'))).toBe(false);
  });
});
