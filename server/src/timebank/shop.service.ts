import { randomUUID } from 'node:crypto';
import { inScope, type Actor } from '../auth/auth.service';
import { updatedRows } from '../care/sql-rows';
import { AppError } from '../shared/app-error';
import type { TicketService } from '../tickets/ticket.service';
import type { ListRedemptionsQuery, RedeemInput, ShopItemInput, ShopItemPatch } from './timebank.schema';
import { auditActor, type TimebankContext } from './timebank-context';
import { notFound, scopeFilter, volunteerInScope, type VolunteerRow } from './timebank-scope';

/** Work-order states: over without a service, and the service under way or done. */
const ORDER_OVER: readonly string[] = ['cancelled', 'invalid'];
const SERVICE_STARTED: readonly string[] = ['in_service', 'done', 'callback_pending', 'callback_done', 'closed'];

export interface ShopItem {
  id: string;
  kind: 'goods' | 'service';
  name: string;
  description: string | null;
  priceUnits: number;
  stock: number | null;
  serviceType: string | null;
  active: boolean;
}

export interface Redemption {
  id: string;
  volunteerId: string;
  itemId: string;
  itemName: string;
  kind: 'goods' | 'service';
  quantity: number;
  units: number;
  status: 'placed' | 'cancelled';
  transactionId: string;
  refundTransactionId: string | null;
  recipientPersonId: string | null;
  ticketId: string | null;
  ticketNumber: string | null;
  placedAt: Date;
  placedBy: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  replayed?: boolean;
}

export function itemOf(r: Record<string, any>): ShopItem {
  return { id: r.id, kind: r.kind, name: r.name, description: r.description, priceUnits: Number(r.price_units), stock: r.stock === null ? null : Number(r.stock), serviceType: r.service_type, active: r.active };
}

const REDEMPTION_SELECT = `SELECT r.*, i.name AS item_name, t.number AS ticket_number FROM shop_redemption r JOIN shop_item i ON i.id = r.item_id LEFT JOIN ticket t ON t.id = r.ticket_id`;

function redemptionOf(r: Record<string, any>): Redemption {
  return {
    id: r.id,
    volunteerId: r.volunteer_id,
    itemId: r.item_id,
    itemName: r.item_name,
    kind: r.kind,
    quantity: Number(r.quantity),
    units: Number(r.units),
    status: r.status,
    transactionId: r.transaction_id,
    refundTransactionId: r.refund_transaction_id,
    recipientPersonId: r.recipient_person_id,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number ?? null,
    placedAt: r.placed_at,
    placedBy: r.placed_by,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
  };
}

/**
 * The time-bank shop: a catalogue of goods (stock, price in units) and services (a life-service type), and
 * redemptions. A redemption locks the volunteer's account, takes the stock with a conditional update (the last
 * piece goes to exactly one of any number of concurrent buyers) and debits the coins, all in one transaction;
 * a service opens a life-service work order for the person who receives it. A cancellation refunds by a new
 * pair of entries and puts the stock back. Locks are always taken account first, then item: no deadlock.
 */
export class TimebankShop {
  constructor(
    private readonly ctx: TimebankContext,
    private readonly tickets: TicketService,
  ) {}

  async items(includeInactive: boolean): Promise<ShopItem[]> {
    const rows = await this.ctx.ds.query(`SELECT * FROM shop_item WHERE active OR $1 ORDER BY kind, name`, [includeInactive]);
    return rows.map(itemOf);
  }

  async createItem(actor: Actor, input: ShopItemInput): Promise<ShopItem> {
    return this.ctx.ds.transaction(async (m) => {
      const [row] = await m.query(`INSERT INTO shop_item (kind, name, description, price_units, stock, service_type) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`, [
        input.kind,
        input.name,
        input.description ?? null,
        input.priceUnits,
        input.kind === 'goods' ? input.stock : null,
        input.kind === 'service' ? input.serviceType : null,
      ]);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.shop.item.create', subjectType: 'shop_item', subjectId: row.id, outcome: 'ok' }, m);
      return itemOf(row);
    });
  }

  async updateItem(actor: Actor, itemId: string, patch: ShopItemPatch): Promise<ShopItem> {
    return this.ctx.ds.transaction(async (m) => {
      const [item] = await m.query(`SELECT * FROM shop_item WHERE id = $1 FOR UPDATE`, [itemId]);
      if (!item) throw notFound('商品');
      if (patch.addStock !== undefined && item.kind !== 'goods') throw new AppError('validation/invalid', '服务没有库存');
      const [row] = updatedRows<Record<string, any>>(await m.query(
        `UPDATE shop_item SET name = $2, description = $3, price_units = $4, active = $5, stock = CASE WHEN kind = 'goods' THEN stock + $6 ELSE NULL END, updated_at = now() WHERE id = $1 RETURNING *`,
        [itemId, patch.name ?? item.name, patch.description !== undefined ? patch.description : item.description, patch.priceUnits ?? item.price_units, patch.active ?? item.active, patch.addStock ?? 0],
      ));
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.shop.item.update', subjectType: 'shop_item', subjectId: itemId, outcome: 'ok' }, m);
      return itemOf(row);
    });
  }

  /**
   * Redeem coins for goods or a service. `actor` null: the volunteer themselves through the portal (goods only).
   * The same idempotency key again answers the first redemption (`replayed`), never a second one.
   */
  async redeem(actor: Actor | null, input: RedeemInput): Promise<Redemption> {
    const now = this.ctx.clock.now();
    const out = await this.ctx.ds.transaction(async (m) => {
      const v = await volunteerInScope(m, actor, input.volunteerId);
      await this.ctx.ledger.lock(m, [v.accountId]);
      const [prior] = await m.query(`${REDEMPTION_SELECT} WHERE r.idempotency_key = $1`, [input.idempotencyKey]);
      if (prior) {
        if (prior.volunteer_id !== v.id || prior.item_id !== input.itemId || Number(prior.quantity) !== input.quantity) throw new AppError('conflict', '这个 idempotencyKey 已用于另一笔兑换');
        return { redemption: { ...redemptionOf(prior), replayed: true }, volunteer: v, stock: null as number | null, item: null as ShopItem | null };
      }
      const [found] = await m.query(`SELECT * FROM shop_item WHERE id = $1`, [input.itemId]);
      if (!found) throw notFound('商品');
      const item = itemOf(found);
      if (!item.active) throw new AppError('timebank/item-inactive', `${item.name} 已下架`);
      if (item.kind === 'service' && !actor) throw new AppError('timebank/service-needs-staff', '兑换服务请联系工作人员');
      if (item.kind === 'service' && !input.recipientPersonId) throw new AppError('timebank/recipient-required', '兑换服务需要指定接受服务的人 (recipientPersonId)');
      if (item.kind === 'service' && input.quantity !== 1) throw new AppError('validation/invalid', '服务每次兑换一份');
      if (item.kind === 'service' && actor) {
        const [person] = await m.query(`SELECT district_code FROM person WHERE id = $1`, [input.recipientPersonId]);
        if (!person || !inScope(actor, person.district_code)) throw notFound('接受服务的人');
      }
      let stock: number | null = null;
      if (item.kind === 'goods') {
        const [taken] = updatedRows<{ stock: number }>(await m.query(`UPDATE shop_item SET stock = stock - $2, updated_at = now() WHERE id = $1 AND stock >= $2 RETURNING stock`, [item.id, input.quantity]));
        if (!taken) throw new AppError('timebank/out-of-stock', `${item.name} 库存不足`);
        stock = Number(taken.stock);
      }
      const id = randomUUID();
      const transactionId = randomUUID();
      const units = item.priceUnits * input.quantity;
      await this.ctx.ledger.apply(m, { type: 'redeem', transactionId, accountId: v.accountId, target: item.kind, units, orderId: id, idempotencyKey: `redeem:${input.idempotencyKey}`, makerId: actor?.userId ?? `volunteer:${v.id}` }, [v.accountId], now);
      await m.query(
        `INSERT INTO shop_redemption (id, volunteer_id, district_code, item_id, kind, quantity, units, transaction_id, recipient_person_id, idempotency_key, placed_at, placed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [id, v.id, v.districtCode, item.id, item.kind, input.quantity, units, transactionId, input.recipientPersonId ?? null, input.idempotencyKey, now, actor?.userId ?? null],
      );
      await this.ctx.audit.record({ ...auditActor(actor), actorUsername: actor?.username ?? `volunteer:${v.id}`, action: 'timebank.redeem', subjectType: 'volunteer', subjectId: v.id, subjects: [{ type: 'shop_redemption', id }], purpose: `${units} units, tx ${transactionId}`, outcome: 'ok' }, m);
      const [row] = await m.query(`${REDEMPTION_SELECT} WHERE r.id = $1`, [id]);
      return { redemption: redemptionOf(row), volunteer: v, stock, item };
    });
    if (out.redemption.replayed) return out.redemption;
    this.notify(out.volunteer, out.redemption, out.stock);
    if (out.item?.kind === 'service' && actor) return this.openWorkOrder(actor, out.redemption, out.item, out.volunteer);
    return out.redemption;
  }

  /** Cancel a placed redemption: a refund pair of entries, the stock back, the order marked cancelled. */
  async cancel(actor: Actor, redemptionId: string, reason: string): Promise<Redemption> {
    await this.cancelWorkOrder(actor, redemptionId, reason);
    const now = this.ctx.clock.now();
    const out = await this.ctx.ds.transaction(async (m) => {
      const [r] = await m.query(`SELECT * FROM shop_redemption WHERE id = $1`, [redemptionId]);
      if (!r) throw notFound('兑换记录');
      const v = await volunteerInScope(m, actor, r.volunteer_id);
      await this.ctx.ledger.lock(m, [v.accountId]);
      const [locked] = await m.query(`SELECT status FROM shop_redemption WHERE id = $1 FOR UPDATE`, [redemptionId]);
      if (locked.status !== 'placed') throw new AppError('timebank/redemption-cancelled', '这笔兑换已经取消了');
      const refundId = randomUUID();
      await this.ctx.ledger.apply(m, { type: 'refund', transactionId: refundId, redemptionTransactionId: r.transaction_id, makerId: actor.userId, note: reason }, [v.accountId], now, [r.transaction_id]);
      let stock: number | null = null;
      if (r.kind === 'goods') {
        const [back] = updatedRows<{ stock: number }>(await m.query(`UPDATE shop_item SET stock = stock + $2, updated_at = now() WHERE id = $1 RETURNING stock`, [r.item_id, r.quantity]));
        stock = Number(back.stock);
      }
      await m.query(`UPDATE shop_redemption SET status = 'cancelled', refund_transaction_id = $2, cancelled_at = $3, cancelled_by = $4, cancel_reason = $5 WHERE id = $1`, [redemptionId, refundId, now, actor.userId, reason]);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.redeem.cancel', subjectType: 'volunteer', subjectId: v.id, subjects: [{ type: 'shop_redemption', id: redemptionId }], purpose: `refund tx ${refundId}`, outcome: 'ok' }, m);
      const [row] = await m.query(`${REDEMPTION_SELECT} WHERE r.id = $1`, [redemptionId]);
      return { redemption: redemptionOf(row), volunteer: v, stock };
    });
    this.notify(out.volunteer, out.redemption, out.stock);
    return out.redemption;
  }

  async list(actor: Actor | null, q: ListRedemptionsQuery, ownVolunteerId?: string): Promise<{ items: Redemption[]; total: number }> {
    const scope = actor ? scopeFilter(actor, 'r.district_code', 3) : { sql: 'TRUE', params: [] };
    const volunteerId = ownVolunteerId ?? q.volunteerId ?? null;
    const where = `WHERE ($1::uuid IS NULL OR r.volunteer_id = $1) AND ($2::varchar IS NULL OR r.status = $2) AND ${scope.sql}`;
    const params = [volunteerId, q.status ?? null, ...scope.params];
    const rows = await this.ctx.ds.query(`${REDEMPTION_SELECT} ${where} ORDER BY r.placed_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, q.limit, q.offset]);
    const [{ n }] = await this.ctx.ds.query(`SELECT count(*)::int AS n FROM shop_redemption r ${where}`, params);
    return { items: rows.map(redemptionOf), total: n };
  }

  /**
   * Cancelling a service redemption cancels its work order first, through the order service (its timeline,
   * its jobs stop, its duties checked): no order stays open for a refunded service. A service already under
   * way or done cannot be cancelled here; someone without the hotline's cancel duty (a dispatcher) is told
   * to have the order cancelled. An order already cancelled or invalid is left as it is.
   */
  private async cancelWorkOrder(actor: Actor, redemptionId: string, reason: string): Promise<void> {
    const [r] = await this.ctx.ds.query(
      `SELECT r.status, r.volunteer_id, r.ticket_id, t.status AS ticket_status, t.number AS ticket_number FROM shop_redemption r LEFT JOIN ticket t ON t.id = r.ticket_id WHERE r.id = $1`,
      [redemptionId],
    );
    if (!r) throw notFound('兑换记录');
    await volunteerInScope(this.ctx.ds.manager, actor, r.volunteer_id);
    if (r.status !== 'placed' || !r.ticket_id || ORDER_OVER.includes(r.ticket_status)) return;
    if (SERVICE_STARTED.includes(r.ticket_status)) throw new AppError('timebank/service-under-way', `服务已开始或已完成（工单 ${r.ticket_number}），不能取消这笔兑换`);
    try {
      await this.tickets.transition(actor, r.ticket_id, { action: 'cancel', note: `时间币兑换已取消：${reason}` });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const [now] = await this.ctx.ds.query(`SELECT status FROM ticket WHERE id = $1`, [r.ticket_id]);
      if (ORDER_OVER.includes(now?.status)) return; // cancelled meanwhile (a second cancel of the same redemption)
      if (err.code === 'auth/forbidden' || err.code === 'ticket/not-found') throw new AppError('timebank/order-needs-hotline', `这笔兑换已生成工单 ${r.ticket_number}，请由坐席或班长先取消该工单，再取消兑换`);
      if (err.code === 'ticket/invalid-transition') throw new AppError('timebank/service-under-way', `服务已开始或已完成（工单 ${r.ticket_number}），不能取消这笔兑换`);
      throw err;
    }
  }

  /**
   * The life-service work order of a service redemption, opened after the redemption committed through the
   * tickets service (its idempotency key is the redemption: a retry opens no second order).
   */
  private async openWorkOrder(actor: Actor, r: Redemption, item: ShopItem, v: VolunteerRow): Promise<Redemption> {
    const { ticket } = await this.tickets.create(
      actor,
      { category: 'life_service', serviceType: item.serviceType as never, personId: r.recipientPersonId ?? undefined, callerRelation: 'other', channel: 'web', summary: `时间币兑换服务：${item.name}（志愿者 ${v.name}，兑换单 ${r.id.slice(0, 8)}）`, confidential: false },
      `timebank-redemption:${r.id}`,
    );
    await this.ctx.ds.query(`UPDATE shop_redemption SET ticket_id = $2 WHERE id = $1`, [r.id, ticket.id]);
    return { ...r, ticketId: ticket.id, ticketNumber: ticket.number };
  }

  private notify(v: VolunteerRow, r: Redemption, stock: number | null): void {
    this.ctx.events.emit('timebank:redemption-changed', v.districtCode, { redemptionId: r.id, volunteerId: v.id, status: r.status, itemId: r.itemId, stock });
  }
}
