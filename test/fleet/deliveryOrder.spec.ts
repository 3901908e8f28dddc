import { deliveryHole } from '../../src/fleet/deliveryOrder.js';

describe('deliveryHole', () => {
  it('accepts each delivery in turn from the first', () => {
    let last = 0;
    for (const d of [1, 2, 3, 4]) {
      expect(deliveryHole(last, d)).toBeUndefined();
      last = d;
    }
  });

  it('names deliveries lost on the way', () => {
    expect(deliveryHole(0, 2)).toBe('delivery 2 came after 0: 1 lost on the way');
    expect(deliveryHole(17, 23)).toBe('delivery 23 came after 17: 5 lost on the way');
  });

  it('names a consumer that went back (a new leader with an older state)', () => {
    expect(deliveryHole(17, 12)).toBe('delivery 12 came after 17: the consumer went back');
    expect(deliveryHole(17, 17)).toBe('delivery 17 came after 17: the consumer went back');
  });
});
