import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { allocateGift, giftProblems, giftRemaining, returnAllocation, type Allocation, type Gift, type GiftRemaining } from '../../../dispatch/src/ledger';
import { inScope, type Actor } from '../auth/auth.service';
import { updatedRows } from '../care/sql-rows';
import { maskPhone } from '../persons/phone-number';
import { AppError } from '../shared/app-error';
import type { AllocationInput, DonorInput, GiftInput, ListGiftsQuery, ReturnInput } from './timebank.schema';
import { auditActor, type TimebankContext } from './timebank-context';
import { districtInScope, notFound, scopeFilter } from './timebank-scope';

export interface Donor {
  id: string;
  kind: 'person' | 'organisation';
  name: string;
  phoneMasked: string | null;
  contact: string | null;
  districtCode: string;
  note: string | null;
  createdAt: Date;
}

export interface GiftView {
  id: string;
  donorId: string;
  donorName: string;
  kind: 'goods' | 'money';
  districtCode: string;
  receivedOn: string;
  items: { itemId: string; name: string; quantity: number; unitValueFen: number }[] | null;
  amountFen: number | null;
  channel: string | null;
  receiptNo: string | null;
  note: string | null;
  createdAt: Date;
}

export interface AllocationView {
  id: string;
  giftId: string;
  destination: { kind: 'person' | 'activity' | 'shop_stock'; id: string; name: string };
  itemId: string | null;
  quantity: number | null;
  amountFen: number | null;
  returnsAllocationId: string | null;
  note: string | null;
  at: Date;
  by: string;
}

export interface GiftDetail {
  gift: GiftView;
  remaining: GiftRemaining;
  allocations: AllocationView[];
}

const donorOf = (r: Record<string, any>): Donor => ({ id: r.id, kind: r.kind, name: r.name, phoneMasked: r.phone_e164 ? maskPhone(r.phone_e164) : null, contact: r.contact, districtCode: r.district_code, note: r.note, createdAt: r.created_at });

const GIFT_SELECT = `SELECT g.*, to_char(g.received_on, 'YYYY-MM-DD') AS received_day, d.name AS donor_name FROM donation_gift g JOIN donor d ON d.id = g.donor_id`;
const giftViewOf = (r: Record<string, any>): GiftView => ({
  id: r.id,
  donorId: r.donor_id,
  donorName: r.donor_name,
  kind: r.kind,
  districtCode: r.district_code,
  receivedOn: r.received_day,
  items: r.items,
  amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
  channel: r.channel,
  receiptNo: r.receipt_no,
  note: r.note,
  createdAt: r.created_at,
});
const giftOf = (v: GiftView): Gift =>
  v.kind === 'goods' ? { giftId: v.id, kind: 'goods', items: v.items ?? [] } : { giftId: v.id, kind: 'money', amountFen: v.amountFen!, channel: v.channel as never, receiptNo: v.receiptNo! };

const ALLOCATION_SELECT = `SELECT a.*, coalesce(p.name, act.title, si.name, '') AS destination_name FROM donation_allocation a
  LEFT JOIN person p ON a.destination_kind = 'person' AND p.id = a.destination_id
  LEFT JOIN timebank_activity act ON a.destination_kind = 'activity' AND act.id = a.destination_id
  LEFT JOIN shop_item si ON a.destination_kind = 'shop_stock' AND si.id = a.destination_id`;
const allocationOf = (r: Record<string, any>): Allocation & { note: string | null; by: string; destinationName: string } => ({
  allocationId: r.id,
  giftId: r.gift_id,
  destination: { kind: r.destination_kind, id: r.destination_id },
  itemId: r.item_id,
  quantity: r.quantity === null ? null : Number(r.quantity),
  amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
  at: r.at,
  returnsAllocationId: r.returns_allocation_id,
  note: r.note,
  by: r.by_id,
  destinationName: r.destination_name,
});

/**
 * Donations (捐赠管理): donors, gifts of goods and money, and their allocation to persons, activities or the
 * shop's stock, decided by the pure rules (never beyond what a gift still holds). Allocations of one gift are
 * serialised by locking the gift row; a return is a new negative row. Allocating goods to the shop adds the
 * pieces to the item's stock in the same transaction.
 */
export class TimebankDonations {
  constructor(private readonly ctx: TimebankContext) {}

  async createDonor(actor: Actor, input: DonorInput): Promise<Donor> {
    return this.ctx.ds.transaction(async (m) => {
      await districtInScope(m, actor, input.districtCode);
      const [row] = await m.query(`INSERT INTO donor (kind, name, phone_e164, contact, district_code, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`, [
        input.kind,
        input.name,
        input.phone ?? null,
        input.contact ?? null,
        input.districtCode,
        input.note ?? null,
        actor.userId,
      ]);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'donation.donor.create', subjectType: 'donor', subjectId: row.id, outcome: 'ok' }, m);
      return donorOf(row);
    });
  }

  async listDonors(actor: Actor, q: { q?: string; limit: number; offset: number }): Promise<{ items: Donor[]; total: number }> {
    const scope = scopeFilter(actor, 'district_code', 2);
    const where = `WHERE ($1::varchar IS NULL OR name LIKE '%' || $1 || '%') AND ${scope.sql}`;
    const params = [q.q ?? null, ...scope.params];
    const rows = await this.ctx.ds.query(`SELECT * FROM donor ${where} ORDER BY created_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, q.limit, q.offset]);
    const [{ n }] = await this.ctx.ds.query(`SELECT count(*)::int AS n FROM donor ${where}`, params);
    await this.ctx.audit.record({ ...auditActor(actor), action: 'donation.donor.list', subjects: rows.map((r: { id: string }) => ({ type: 'donor', id: r.id })), outcome: 'ok' });
    return { items: rows.map(donorOf), total: n };
  }

  async createGift(actor: Actor, input: GiftInput): Promise<GiftDetail> {
    return this.ctx.ds.transaction(async (m) => {
      const [donor] = await m.query(`SELECT id, district_code FROM donor WHERE id = $1`, [input.donorId]);
      if (!donor || !inScope(actor, donor.district_code)) throw notFound('捐赠人');
      const items = input.kind === 'goods' ? input.items.map((i, n) => ({ itemId: `i${n + 1}`, name: i.name, quantity: i.quantity, unitValueFen: i.unitValueFen })) : null;
      const problems = giftProblems(input.kind === 'goods' ? { giftId: 'new', kind: 'goods', items: items! } : { giftId: 'new', kind: 'money', amountFen: input.amountFen, channel: input.channel, receiptNo: input.receiptNo });
      if (problems.length > 0) throw new AppError('donation/invalid-gift', problems.join('；'));
      let id: string;
      try {
        const [row] = await m.query(
          `INSERT INTO donation_gift (donor_id, kind, district_code, received_on, items, amount_fen, channel, receipt_no, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [donor.id, input.kind, donor.district_code, input.receivedOn, items ? JSON.stringify(items) : null, input.kind === 'money' ? input.amountFen : null, input.kind === 'money' ? input.channel : null, input.kind === 'money' ? input.receiptNo : null, input.note ?? null, actor.userId],
        );
        id = row.id;
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new AppError('timebank/receipt-duplicate', '该收据号已登记过一笔捐款');
        throw err;
      }
      await this.ctx.audit.record({ ...auditActor(actor), action: 'donation.gift.create', subjectType: 'donation_gift', subjectId: id, subjects: [{ type: 'donor', id: donor.id }], outcome: 'ok' }, m);
      return this.detail(m, actor, id);
    });
  }

  async listGifts(actor: Actor, q: ListGiftsQuery): Promise<{ items: (GiftView & { remaining: GiftRemaining })[]; total: number }> {
    const scope = scopeFilter(actor, 'g.district_code', 3);
    const where = `WHERE ($1::uuid IS NULL OR g.donor_id = $1) AND ($2::varchar IS NULL OR g.kind = $2) AND ${scope.sql}`;
    const params = [q.donorId ?? null, q.kind ?? null, ...scope.params];
    const rows = await this.ctx.ds.query(`${GIFT_SELECT} ${where} ORDER BY g.created_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, q.limit, q.offset]);
    const [{ n }] = await this.ctx.ds.query(`SELECT count(*)::int AS n FROM donation_gift g ${where}`, params);
    const ids = rows.map((r: { id: string }) => r.id);
    const allocations = (await this.ctx.ds.query(`${ALLOCATION_SELECT} WHERE a.gift_id = ANY($1::uuid[])`, [ids])).map(allocationOf);
    return { items: rows.map((r: Record<string, any>) => { const v = giftViewOf(r); return { ...v, remaining: giftRemaining(giftOf(v), allocations) }; }), total: n };
  }

  async getGift(actor: Actor, giftId: string): Promise<GiftDetail> {
    return this.ctx.ds.transaction((m) => this.detail(m, actor, giftId));
  }

  /** Allocate (part of) a gift: the gift row is locked, so concurrent allocations never exceed what it holds. */
  async allocate(actor: Actor, giftId: string, input: AllocationInput): Promise<GiftDetail> {
    const now = this.ctx.clock.now();
    return this.ctx.ds.transaction(async (m) => {
      const { view, allocations } = await this.lockGift(m, actor, giftId);
      await this.destinationInScope(m, actor, input.destination, view);
      const outcome = allocateGift(giftOf(view), allocations, { allocationId: randomUUID(), destination: input.destination, itemId: input.itemId, quantity: input.quantity, amountFen: input.amountFen }, now);
      if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
      await this.insert(m, actor, outcome.allocation, input.note ?? null);
      if (input.destination.kind === 'shop_stock') await this.moveStock(m, input.destination.id, outcome.allocation.quantity!);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'donation.allocate', subjectType: 'donation_gift', subjectId: giftId, subjects: input.destination.kind === 'person' ? [{ type: 'person', id: input.destination.id }] : [], outcome: 'ok' }, m);
      return this.detail(m, actor, giftId);
    });
  }

  /** Give back (part of) an allocation: a new negative row, never more than went out. */
  async giveBack(actor: Actor, giftId: string, allocationId: string, input: ReturnInput): Promise<GiftDetail> {
    const now = this.ctx.clock.now();
    return this.ctx.ds.transaction(async (m) => {
      const { view, allocations } = await this.lockGift(m, actor, giftId);
      const outcome = returnAllocation(giftOf(view), allocations, { allocationId: randomUUID(), returnsAllocationId: allocationId, quantity: input.quantity, amountFen: input.amountFen }, now);
      if (!outcome.ok) throw new AppError(outcome.code === 'donation/allocation-not-found' ? 'timebank/not-found' : outcome.code, outcome.message);
      await this.insert(m, actor, outcome.allocation, input.note ?? null);
      if (outcome.allocation.destination.kind === 'shop_stock') await this.moveStock(m, outcome.allocation.destination.id, outcome.allocation.quantity!);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'donation.return', subjectType: 'donation_gift', subjectId: giftId, outcome: 'ok' }, m);
      return this.detail(m, actor, giftId);
    });
  }

  /** Where the donations went: per destination, pieces and value (goods) and amount (money), net of returns. */
  async report(actor: Actor, q: { from?: string; to?: string }): Promise<{ rows: { kind: string; id: string; name: string; pieces: number; valueFen: number; amountFen: number }[] }> {
    const scope = scopeFilter(actor, 'g.district_code', 3);
    const rows = await this.ctx.ds.query(
      `SELECT a.destination_kind AS kind, a.destination_id AS id, max(coalesce(p.name, act.title, si.name, '')) AS name,
              coalesce(sum(a.quantity), 0)::bigint AS pieces,
              coalesce(sum(a.quantity * (SELECT (it->>'unitValueFen')::bigint FROM jsonb_array_elements(g.items) it WHERE it->>'itemId' = a.item_id)), 0)::bigint AS value_fen,
              coalesce(sum(a.amount_fen), 0)::bigint AS amount_fen
         FROM donation_allocation a JOIN donation_gift g ON g.id = a.gift_id
         LEFT JOIN person p ON a.destination_kind = 'person' AND p.id = a.destination_id
         LEFT JOIN timebank_activity act ON a.destination_kind = 'activity' AND act.id = a.destination_id
         LEFT JOIN shop_item si ON a.destination_kind = 'shop_stock' AND si.id = a.destination_id
        WHERE ($1::date IS NULL OR a.at >= $1::date) AND ($2::date IS NULL OR a.at < $2::date + 1) AND ${scope.sql}
        GROUP BY a.destination_kind, a.destination_id ORDER BY 1, 3`,
      [q.from ?? null, q.to ?? null, ...scope.params],
    );
    await this.ctx.audit.record({ ...auditActor(actor), action: 'donation.report', subjects: rows.filter((r: { kind: string }) => r.kind === 'person').map((r: { id: string }) => ({ type: 'person', id: r.id })), outcome: 'ok' });
    return { rows: rows.map((r: Record<string, any>) => ({ kind: r.kind, id: r.id, name: r.name, pieces: Number(r.pieces), valueFen: Number(r.value_fen), amountFen: Number(r.amount_fen) })) };
  }

  private async lockGift(m: EntityManager, actor: Actor, giftId: string): Promise<{ view: GiftView; allocations: Allocation[] }> {
    const [locked] = await m.query(`SELECT id, district_code FROM donation_gift WHERE id = $1 FOR UPDATE`, [giftId]);
    if (!locked || !inScope(actor, locked.district_code)) throw notFound('捐赠');
    const [row] = await m.query(`${GIFT_SELECT} WHERE g.id = $1`, [giftId]);
    const allocations = (await m.query(`${ALLOCATION_SELECT} WHERE a.gift_id = $1 ORDER BY a.at, a.id`, [giftId])).map(allocationOf);
    return { view: giftViewOf(row), allocations };
  }

  private async destinationInScope(m: EntityManager, actor: Actor, d: { kind: string; id: string }, gift: GiftView): Promise<void> {
    if (d.kind === 'shop_stock') {
      const [item] = await m.query(`SELECT kind FROM shop_item WHERE id = $1`, [d.id]);
      if (!item) throw notFound('商品');
      if (item.kind !== 'goods' || gift.kind !== 'goods') throw new AppError('donation/wrong-gift', '只有捐赠的物资可以补充商城实物库存');
      return;
    }
    const [row] = await m.query(d.kind === 'person' ? `SELECT district_code FROM person WHERE id = $1` : `SELECT district_code FROM timebank_activity WHERE id = $1`, [d.id]);
    if (!row || !inScope(actor, row.district_code)) throw notFound(d.kind === 'person' ? '服务对象' : '活动');
  }

  private async insert(m: EntityManager, actor: Actor, a: Allocation, note: string | null): Promise<void> {
    await m.query(
      `INSERT INTO donation_allocation (id, gift_id, destination_kind, destination_id, item_id, quantity, amount_fen, returns_allocation_id, note, at, by_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [a.allocationId, a.giftId, a.destination.kind, a.destination.id, a.itemId, a.quantity, a.amountFen, a.returnsAllocationId, note, a.at, actor.userId],
    );
  }

  /** Shop stock follows goods allocated to it (a return takes them back, if they are still in stock). */
  private async moveStock(m: EntityManager, itemId: string, quantity: number): Promise<void> {
    const [row] = updatedRows<{ stock: number }>(await m.query(`UPDATE shop_item SET stock = stock + $2, updated_at = now() WHERE id = $1 AND stock + $2 >= 0 RETURNING stock`, [itemId, quantity]));
    if (!row) throw new AppError('timebank/out-of-stock', '商城库存已不足以退回这些物资');
  }

  private async detail(m: EntityManager, actor: Actor, giftId: string): Promise<GiftDetail> {
    const [row] = await m.query(`${GIFT_SELECT} WHERE g.id = $1`, [giftId]);
    if (!row || !inScope(actor, row.district_code)) throw notFound('捐赠');
    const view = giftViewOf(row);
    const rows = (await m.query(`${ALLOCATION_SELECT} WHERE a.gift_id = $1 ORDER BY a.at, a.id`, [giftId])).map(allocationOf);
    return {
      gift: view,
      remaining: giftRemaining(giftOf(view), rows),
      allocations: rows.map((a: ReturnType<typeof allocationOf>) => ({ id: a.allocationId, giftId: a.giftId, destination: { ...a.destination, name: a.destinationName }, itemId: a.itemId, quantity: a.quantity, amountFen: a.amountFen, returnsAllocationId: a.returnsAllocationId, note: a.note, at: a.at, by: a.by })),
    };
  }
}
