import * as E from 'fp-ts/lib/Either.js';
import { signaturesOfModule } from '../../src/cli/signaturesOfModule.js';
import type { AnySignature, Signature, SignatureMetadata, SignatureOperator } from '../../src/signatures/types.js';

const META: SignatureMetadata = { id: 'M-1', name: 'm', version: '1', description: 'm', tags: [], properties: { Severity: 1 } };
const op: SignatureOperator = { metadata: META, operator: () => (e) => e as never };
const op2: SignatureOperator = { metadata: { ...META, id: 'M-2' }, operator: () => (e) => e as never };

class Tracee implements Signature {
  getMetadata() {
    return { ...META, id: 'T-1' };
  }
  getSelectedEventsToTrace() {
    return [];
  }
  init() {}
  onEvent() {}
  close() {}
}

const ids = (r: E.Either<string, AnySignature[]>): string[] =>
  E.isLeft(r) ? [`Left: ${r.left}`] : r.right.map((s) => ('metadata' in s ? s.metadata.id : s.getMetadata().id));

describe('signaturesOfModule', () => {
  it('takes signatures of either kind, classes (instantiated), arrays; default first; each object once; ignores helpers', () => {
    expect(ids(signaturesOfModule({ helper: () => 1, n: 42, op, Tracee, default: [op2, op], again: op }))).toEqual(['M-2', 'M-1', 'T-1']);
    expect(ids(signaturesOfModule({ instance: new Tracee() }))).toEqual(['T-1']);
  });

  it('a module with no signature: the reason names its exports', () => {
    expect(ids(signaturesOfModule({ helper: () => 1, META }))).toEqual([
      'Left: exports no signature (it exports helper, META); export a Signature object or class, a SignatureOperator, or an array of them',
    ]);
    expect(ids(signaturesOfModule({}))).toEqual([
      'Left: exports no signature (it exports nothing); export a Signature object or class, a SignatureOperator, or an array of them',
    ]);
  });

  it('an array holding something else, or a class whose constructor throws: the reason', () => {
    expect(ids(signaturesOfModule({ rules: [op, { metadata: META }] }))).toEqual(['Left: rules[1] is not a signature']);
    class Needy extends Tracee {
      constructor() {
        super();
        throw new Error('needs options');
      }
    }
    expect(ids(signaturesOfModule({ Needy }))).toEqual(['Left: new Needy() threw: needs options']);
  });
});
