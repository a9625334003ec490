/**
 * Donations (捐赠管理): a gift of goods (items with quantity and unit value) or of money (amount, channel,
 * receipt number) is allocated to persons, activities or the shop's stock, never beyond what it holds.
 * Allocations are append-only like the ledger: a return is a new allocation with negative quantity or
 * amount that names the one it returns. Amounts of money and values are integers in fen (分). Pure.
 */

export const MONEY_CHANNELS = ['bank_transfer', 'wechat', 'alipay', 'cash', 'cheque'] as const;
export type MoneyChannel = (typeof MONEY_CHANNELS)[number];

export const ALLOCATION_DESTINATIONS = ['person', 'activity', 'shop_stock'] as const;
export type AllocationDestination = (typeof ALLOCATION_DESTINATIONS)[number];

export interface GiftItem {
  itemId: string;
  name: string;
  quantity: number;
  /** Value of one piece in fen. */
  unitValueFen: number;
}

export type Gift =
  | { giftId: string; kind: 'goods'; items: GiftItem[] }
  | { giftId: string; kind: 'money'; amountFen: number; channel: MoneyChannel; receiptNo: string };

/** One row of `donation_allocation`. */
export interface Allocation {
  allocationId: string;
  giftId: string;
  destination: { kind: AllocationDestination; id: string };
  /** Goods: the item and how many pieces (negative on a return). */
  itemId: string | null;
  quantity: number | null;
  /** Money: fen (negative on a return). */
  amountFen: number | null;
  at: Date;
  /** For a return: the allocation given back (in part or in full). */
  returnsAllocationId: string | null;
}

export const DONATION_REFUSAL_CODES = [
  'donation/invalid-gift',
  'donation/wrong-gift',
  'donation/unknown-item',
  'donation/invalid-quantity',
  'donation/over-allocation',
  'donation/allocation-not-found',
  'donation/over-return',
  'donation/duplicate-allocation-id',
] as const;
export type DonationRefusalCode = (typeof DONATION_REFUSAL_CODES)[number];

export type DonationOutcome = { ok: true; allocation: Allocation } | { ok: false; code: DonationRefusalCode; message: string };

const positiveInt = (n: number) => Number.isSafeInteger(n) && n > 0;
const nonNegativeInt = (n: number) => Number.isSafeInteger(n) && n >= 0;

/**
 * Everything wrong with a gift as recorded (empty: it is sound).
 * @example giftProblems({ giftId: 'g1', kind: 'money', amountFen: 0, channel: 'wechat', receiptNo: '' }) // ['amount …', 'receipt …']
 */
export function giftProblems(gift: Gift): string[] {
  const problems: string[] = [];
  if (gift.kind === 'money') {
    if (!positiveInt(gift.amountFen)) problems.push('amount must be a positive integer of fen');
    if (!MONEY_CHANNELS.includes(gift.channel)) problems.push(`channel must be one of ${MONEY_CHANNELS.join(', ')}`);
    if (gift.receiptNo.trim() === '') problems.push('receipt number is required');
    return problems;
  }
  if (gift.items.length === 0) problems.push('a gift of goods needs at least one item');
  const ids = new Set<string>();
  for (const item of gift.items) {
    if (ids.has(item.itemId)) problems.push(`item ${item.itemId} is listed twice`);
    ids.add(item.itemId);
    if (!positiveInt(item.quantity)) problems.push(`item ${item.itemId}: quantity must be a positive integer`);
    if (!nonNegativeInt(item.unitValueFen)) problems.push(`item ${item.itemId}: unit value must be a non-negative integer of fen`);
  }
  return problems;
}

export interface ItemRemaining {
  itemId: string;
  name: string;
  received: number;
  allocated: number;
  remaining: number;
  remainingValueFen: number;
}

export type GiftRemaining =
  | { kind: 'goods'; items: ItemRemaining[]; remainingValueFen: number }
  | { kind: 'money'; receivedFen: number; allocatedFen: number; remainingFen: number };

/**
 * What is left of a gift after its allocations (returns count back in). Allocations of other gifts are
 * ignored.
 * @example giftRemaining(gift, allocations) // { kind: 'money', receivedFen: 100000, allocatedFen: 30000, remainingFen: 70000 }
 */
export function giftRemaining(gift: Gift, allocations: readonly Allocation[]): GiftRemaining {
  const mine = allocations.filter((a) => a.giftId === gift.giftId);
  if (gift.kind === 'money') {
    const allocatedFen = mine.reduce((sum, a) => sum + (a.amountFen ?? 0), 0);
    return { kind: 'money', receivedFen: gift.amountFen, allocatedFen, remainingFen: gift.amountFen - allocatedFen };
  }
  const items = gift.items.map((item) => {
    const allocated = mine.filter((a) => a.itemId === item.itemId).reduce((sum, a) => sum + (a.quantity ?? 0), 0);
    const remaining = item.quantity - allocated;
    return { itemId: item.itemId, name: item.name, received: item.quantity, allocated, remaining, remainingValueFen: remaining * item.unitValueFen };
  });
  return { kind: 'goods', items, remainingValueFen: items.reduce((sum, i) => sum + i.remainingValueFen, 0) };
}

const refuse = (code: DonationRefusalCode, message: string): DonationOutcome => ({ ok: false, code, message });

export interface AllocationRequest {
  allocationId: string;
  destination: { kind: AllocationDestination; id: string };
  /** Goods: which item and how many pieces. */
  itemId?: string;
  quantity?: number;
  /** Money: how many fen. */
  amountFen?: number;
}

/**
 * The allocation row for a request, or why not: never more pieces of an item, or more money, than the
 * gift still holds.
 * @example allocateGift(gift, allocations, { allocationId: 'a1', destination: { kind: 'person', id: 'p1' }, itemId: 'wheelchair', quantity: 1 }, now)
 */
export function allocateGift(gift: Gift, allocations: readonly Allocation[], request: AllocationRequest, now: Date): DonationOutcome {
  const problems = giftProblems(gift);
  if (problems.length > 0) return refuse('donation/invalid-gift', problems.join('; '));
  if (allocations.some((a) => a.allocationId === request.allocationId)) return refuse('donation/duplicate-allocation-id', `Allocation ${request.allocationId} already exists`);
  if (request.destination.id.trim() === '' || !ALLOCATION_DESTINATIONS.includes(request.destination.kind)) return refuse('donation/invalid-quantity', 'The allocation needs a destination');
  const remaining = giftRemaining(gift, allocations);
  const base = { allocationId: request.allocationId, giftId: gift.giftId, destination: request.destination, at: now, returnsAllocationId: null };
  if (remaining.kind === 'money') {
    if (request.itemId !== undefined || request.quantity !== undefined) return refuse('donation/wrong-gift', 'A gift of money is allocated by amount, not by item');
    const amount = request.amountFen ?? NaN;
    if (!positiveInt(amount)) return refuse('donation/invalid-quantity', 'The amount must be a positive integer of fen');
    if (amount > remaining.remainingFen) return refuse('donation/over-allocation', `The gift holds ${remaining.remainingFen} fen, ${amount} asked`);
    return { ok: true, allocation: { ...base, itemId: null, quantity: null, amountFen: amount } };
  }
  if (request.amountFen !== undefined) return refuse('donation/wrong-gift', 'A gift of goods is allocated by item and quantity, not by amount');
  const item = remaining.items.find((i) => i.itemId === request.itemId);
  if (!item) return refuse('donation/unknown-item', `The gift has no item ${request.itemId}`);
  const quantity = request.quantity ?? NaN;
  if (!positiveInt(quantity)) return refuse('donation/invalid-quantity', 'The quantity must be a positive integer');
  if (quantity > item.remaining) return refuse('donation/over-allocation', `The gift holds ${item.remaining} of ${item.name}, ${quantity} asked`);
  return { ok: true, allocation: { ...base, itemId: item.itemId, quantity, amountFen: null } };
}

/**
 * A return of (part of) an allocation to the gift: a new row with negative quantity or amount. What
 * comes back can never exceed what went out under that allocation, net of earlier returns.
 */
export function returnAllocation(
  gift: Gift,
  allocations: readonly Allocation[],
  request: { allocationId: string; returnsAllocationId: string; quantity?: number; amountFen?: number },
  now: Date,
): DonationOutcome {
  const original = allocations.find((a) => a.allocationId === request.returnsAllocationId && a.giftId === gift.giftId && a.returnsAllocationId === null);
  if (!original) return refuse('donation/allocation-not-found', `No allocation ${request.returnsAllocationId} of gift ${gift.giftId}`);
  if (allocations.some((a) => a.allocationId === request.allocationId)) return refuse('donation/duplicate-allocation-id', `Allocation ${request.allocationId} already exists`);
  const returns = allocations.filter((a) => a.returnsAllocationId === original.allocationId);
  const money = original.amountFen !== null;
  const asked = (money ? request.amountFen : request.quantity) ?? NaN;
  if (!positiveInt(asked)) return refuse('donation/invalid-quantity', 'What is returned must be a positive integer');
  const out = money ? original.amountFen! : original.quantity!;
  const back = -returns.reduce((sum, a) => sum + ((money ? a.amountFen : a.quantity) ?? 0), 0);
  if (asked > out - back) return refuse('donation/over-return', `Only ${out - back} can come back from ${original.allocationId}, ${asked} asked`);
  return {
    ok: true,
    allocation: {
      allocationId: request.allocationId,
      giftId: gift.giftId,
      destination: original.destination,
      itemId: original.itemId,
      quantity: money ? null : -asked,
      amountFen: money ? -asked : null,
      at: now,
      returnsAllocationId: original.allocationId,
    },
  };
}
