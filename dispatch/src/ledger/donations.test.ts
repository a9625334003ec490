import fc from 'fast-check';
import { allocateGift, giftProblems, giftRemaining, returnAllocation, type Allocation, type AllocationRequest, type Gift } from './donations';

const NOW = new Date('2026-06-15T02:00:00Z');
const goods: Gift = {
  giftId: 'g-goods',
  kind: 'goods',
  items: [
    { itemId: 'wheelchair', name: '轮椅', quantity: 3, unitValueFen: 120_000 },
    { itemId: 'rice', name: '大米 10kg', quantity: 50, unitValueFen: 6_000 },
  ],
};
const money: Gift = { giftId: 'g-money', kind: 'money', amountFen: 1_000_000, channel: 'bank_transfer', receiptNo: 'JZ-2026-0001' };
const toPerson = { kind: 'person' as const, id: 'p1' };

/** Applies requests in order; throws on a refusal so a test's setup cannot silently fail. */
function allocated(gift: Gift, requests: AllocationRequest[]): Allocation[] {
  return requests.reduce<Allocation[]>((rows, request) => {
    const outcome = allocateGift(gift, rows, request, NOW);
    if (!outcome.ok) throw new Error(`setup refused: ${outcome.code}`);
    return [...rows, outcome.allocation];
  }, []);
}

describe('giftProblems', () => {
  it.each<[string, Gift, string[]]>([
    ['a sound gift of goods', goods, []],
    ['a sound gift of money', money, []],
    ['money without a receipt number', { ...money, receiptNo: ' ' }, ['receipt number is required']],
    ['money of zero', { ...money, amountFen: 0 }, ['amount must be a positive integer of fen']],
    ['money in fractions of a fen', { ...money, amountFen: 10.5 }, ['amount must be a positive integer of fen']],
    ['an unknown channel', { ...money, channel: 'paypal' as never }, ['channel must be one of bank_transfer, wechat, alipay, cash, cheque']],
    ['goods with no items', { giftId: 'g', kind: 'goods', items: [] }, ['a gift of goods needs at least one item']],
    [
      'goods with a repeated item and a zero quantity',
      { giftId: 'g', kind: 'goods', items: [{ itemId: 'a', name: 'a', quantity: 0, unitValueFen: 1 }, { itemId: 'a', name: 'a', quantity: 1, unitValueFen: -1 }] },
      ['item a: quantity must be a positive integer', 'item a is listed twice', 'item a: unit value must be a non-negative integer of fen'],
    ],
  ])('when the gift is %s, then the problems are listed', (_what, gift, problems) => {
    expect(giftProblems(gift)).toEqual(problems);
  });
});

describe('allocateGift', () => {
  it('when goods are allocated, then the remaining quantity and value per item follow', () => {
    const rows = allocated(goods, [
      { allocationId: 'a1', destination: toPerson, itemId: 'wheelchair', quantity: 2 },
      { allocationId: 'a2', destination: { kind: 'shop_stock', id: 'shop' }, itemId: 'rice', quantity: 20 },
      { allocationId: 'a3', destination: { kind: 'activity', id: 'act-1' }, itemId: 'rice', quantity: 5 },
    ]);
    expect(giftRemaining(goods, rows)).toEqual({
      kind: 'goods',
      items: [
        { itemId: 'wheelchair', name: '轮椅', received: 3, allocated: 2, remaining: 1, remainingValueFen: 120_000 },
        { itemId: 'rice', name: '大米 10kg', received: 50, allocated: 25, remaining: 25, remainingValueFen: 150_000 },
      ],
      remainingValueFen: 270_000,
    });
  });

  it.each<[string, Gift, AllocationRequest, string]>([
    ['more wheelchairs than remain', goods, { allocationId: 'x', destination: toPerson, itemId: 'wheelchair', quantity: 2 }, 'donation/over-allocation'],
    ['more money than remains', money, { allocationId: 'x', destination: toPerson, amountFen: 700_001 }, 'donation/over-allocation'],
    ['an item the gift does not have', goods, { allocationId: 'x', destination: toPerson, itemId: 'bed', quantity: 1 }, 'donation/unknown-item'],
    ['zero pieces', goods, { allocationId: 'x', destination: toPerson, itemId: 'rice', quantity: 0 }, 'donation/invalid-quantity'],
    ['half a piece', goods, { allocationId: 'x', destination: toPerson, itemId: 'rice', quantity: 0.5 }, 'donation/invalid-quantity'],
    ['a negative amount', money, { allocationId: 'x', destination: toPerson, amountFen: -1 }, 'donation/invalid-quantity'],
    ['money from a gift of goods', goods, { allocationId: 'x', destination: toPerson, amountFen: 100 }, 'donation/wrong-gift'],
    ['items from a gift of money', money, { allocationId: 'x', destination: toPerson, itemId: 'rice', quantity: 1 }, 'donation/wrong-gift'],
    ['no destination', money, { allocationId: 'x', destination: { kind: 'person', id: ' ' }, amountFen: 1 }, 'donation/invalid-quantity'],
    ['an allocation id already used', money, { allocationId: 'm1', destination: toPerson, amountFen: 1 }, 'donation/duplicate-allocation-id'],
    ['anything from a gift recorded without a receipt', { ...money, receiptNo: '' }, { allocationId: 'x', destination: toPerson, amountFen: 1 }, 'donation/invalid-gift'],
  ])('when a request asks for %s, then it is refused', (_what, gift, request, code) => {
    const rows =
      gift.kind === 'goods'
        ? allocated(gift, [{ allocationId: 'g1', destination: toPerson, itemId: 'wheelchair', quantity: 2 }])
        : gift.receiptNo
          ? allocated(gift, [{ allocationId: 'm1', destination: toPerson, amountFen: 300_000 }])
          : [];
    expect(allocateGift(gift, rows, request, NOW)).toMatchObject({ ok: false, code });
  });

  it('when exactly what remains is allocated, then it is accepted and the gift is empty', () => {
    const rows = allocated(money, [
      { allocationId: 'm1', destination: toPerson, amountFen: 400_000 },
      { allocationId: 'm2', destination: { kind: 'activity', id: 'act-2' }, amountFen: 600_000 },
    ]);
    expect(giftRemaining(money, rows)).toEqual({ kind: 'money', receivedFen: 1_000_000, allocatedFen: 1_000_000, remainingFen: 0 });
  });
});

describe('returnAllocation', () => {
  const rows = allocated(goods, [{ allocationId: 'a1', destination: toPerson, itemId: 'wheelchair', quantity: 2 }]);

  it('when part of an allocation comes back, then a negative row names it and the gift holds it again', () => {
    const outcome = returnAllocation(goods, rows, { allocationId: 'r1', returnsAllocationId: 'a1', quantity: 1 }, NOW);
    expect(outcome).toMatchObject({ ok: true, allocation: { quantity: -1, itemId: 'wheelchair', returnsAllocationId: 'a1', destination: toPerson } });
    const after = outcome.ok ? [...rows, outcome.allocation] : rows;
    const remaining = giftRemaining(goods, after);
    expect(remaining.kind === 'goods' && remaining.items[0].remaining).toBe(2);
  });

  it.each<[string, { allocationId: string; returnsAllocationId: string; quantity?: number }, string]>([
    ['more than went out', { allocationId: 'r2', returnsAllocationId: 'a1', quantity: 2 }, 'donation/over-return'],
    ['an unknown allocation', { allocationId: 'r2', returnsAllocationId: 'zz', quantity: 1 }, 'donation/allocation-not-found'],
    ['zero pieces', { allocationId: 'r2', returnsAllocationId: 'a1', quantity: 0 }, 'donation/invalid-quantity'],
  ])('when a return asks for %s (after one of two came back), then it is refused', (_what, request, code) => {
    const first = returnAllocation(goods, rows, { allocationId: 'r1', returnsAllocationId: 'a1', quantity: 1 }, NOW);
    const after = first.ok ? [...rows, first.allocation] : rows;
    expect(returnAllocation(goods, after, request, NOW)).toMatchObject({ ok: false, code });
  });
});

describe('donation properties', () => {
  const giftArb: fc.Arbitrary<Gift> = fc.oneof(
    fc.integer({ min: 1, max: 100_000 }).map((amountFen): Gift => ({ giftId: 'g', kind: 'money', amountFen, channel: 'wechat', receiptNo: 'R1' })),
    fc
      .uniqueArray(fc.record({ itemId: fc.constantFrom('a', 'b', 'c', 'd'), quantity: fc.integer({ min: 1, max: 40 }), unitValueFen: fc.integer({ min: 0, max: 5000 }) }), { minLength: 1, selector: (i) => i.itemId })
      .map((items): Gift => ({ giftId: 'g', kind: 'goods', items: items.map((i) => ({ ...i, name: i.itemId })) })),
  );
  const opArb = fc.record({ return: fc.boolean(), itemId: fc.constantFrom('a', 'b', 'c', 'e'), amount: fc.integer({ min: -5, max: 60_000 }), pick: fc.nat() });

  it('for any gift and any sequence of allocations and returns: nothing is ever allocated beyond what the gift holds, received = allocated + remaining, and a request is accepted exactly when it fits', () => {
    fc.assert(
      fc.property(giftArb, fc.array(opArb, { maxLength: 60, size: 'max' }), (gift, ops) => {
        let rows: Allocation[] = [];
        ops.forEach((op, i) => {
          const id = `x${i}`;
          const before = giftRemaining(gift, rows);
          const quantity = gift.kind === 'money' ? op.amount : Math.ceil(op.amount / 1000);
          if (op.return) {
            const originals = rows.filter((r) => r.returnsAllocationId === null);
            const target = originals.length ? originals[op.pick % originals.length].allocationId : 'none';
            const outcome = returnAllocation(gift, rows, { allocationId: id, returnsAllocationId: target, ...(gift.kind === 'money' ? { amountFen: quantity } : { quantity }) }, NOW);
            if (outcome.ok) rows = [...rows, outcome.allocation];
            return;
          }
          const request: AllocationRequest = gift.kind === 'money' ? { allocationId: id, destination: toPerson, amountFen: quantity } : { allocationId: id, destination: toPerson, itemId: op.itemId, quantity };
          const outcome = allocateGift(gift, rows, request, NOW);
          const room = before.kind === 'money' ? before.remainingFen : (before.items.find((it) => it.itemId === op.itemId)?.remaining ?? -1);
          expect(outcome.ok).toBe(quantity >= 1 && quantity <= room);
          if (outcome.ok) rows = [...rows, outcome.allocation];
        });
        const after = giftRemaining(gift, rows);
        if (after.kind === 'money' && gift.kind === 'money') {
          expect(after.remainingFen).toBeGreaterThanOrEqual(0);
          expect(after.allocatedFen + after.remainingFen).toBe(gift.amountFen);
          expect(after.allocatedFen).toBeGreaterThanOrEqual(0);
        } else if (after.kind === 'goods' && gift.kind === 'goods') {
          for (const item of after.items) {
            expect(item.remaining).toBeGreaterThanOrEqual(0);
            expect(item.remaining).toBeLessThanOrEqual(item.received);
            expect(item.allocated + item.remaining).toBe(item.received);
          }
        }
        for (const original of rows.filter((r) => r.returnsAllocationId === null)) {
          const out = original.amountFen ?? original.quantity ?? 0;
          const back = -rows.filter((r) => r.returnsAllocationId === original.allocationId).reduce((s, r) => s + (r.amountFen ?? r.quantity ?? 0), 0);
          expect(back).toBeLessThanOrEqual(out);
        }
      }),
      { numRuns: 300 },
    );
  });
});
