import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { personAccount } from '../../../dispatch/src/ledger';
import { inScope, type Actor } from '../auth/auth.service';
import type { TransferInput } from './timebank.schema';
import { auditActor, type TimebankContext } from './timebank-context';
import { notFound, volunteerInScope } from './timebank-scope';

export interface TransferResult {
  transactionId: string;
  fromAccountId: string;
  toAccountId: string;
  units: number;
  relation: string;
  note: string;
  /** The giving volunteer's balance after the transfer. */
  balanceUnits: number;
  replayed: boolean;
}

/** The receiving account: another volunteer or a person of the register, in the actor's districts. */
async function recipientInScope(m: EntityManager, actor: Actor, input: TransferInput): Promise<{ accountId: string; type: 'volunteer' | 'person'; id: string }> {
  if (input.toVolunteerId) {
    const v = await volunteerInScope(m, actor, input.toVolunteerId);
    return { accountId: v.accountId, type: 'volunteer', id: v.id };
  }
  const [p] = await m.query(`SELECT id, district_code FROM person WHERE id = $1`, [input.toPersonId]);
  if (!p || !inScope(actor, p.district_code)) throw notFound('接收时间币的亲属');
  return { accountId: personAccount(p.id), type: 'person', id: p.id };
}

/**
 * Coins a volunteer gives to a direct relative (转赠直系亲属), recorded by staff with the relation the volunteer
 * stated and a note. The pure rules decide (the relation is a direct one, the balance holds it, the receiver's
 * caps, not to oneself); the same idempotency key again answers the first transfer. No second person is needed:
 * the ledger asks maker-checker of adjustments and reversals only (dispatch/src/ledger/README.md).
 */
export class TimebankTransfers {
  constructor(private readonly ctx: TimebankContext) {}

  /** @example await transfers.transfer(actor, volunteerId, { toPersonId, relation: '父母', units: 300, note: '…', idempotencyKey }) */
  async transfer(actor: Actor, volunteerId: string, input: TransferInput): Promise<TransferResult> {
    const now = this.ctx.clock.now();
    return this.ctx.ds.transaction(async (m) => {
      const from = await volunteerInScope(m, actor, volunteerId);
      const to = await recipientInScope(m, actor, input);
      const transactionId = randomUUID();
      const applied = await this.ctx.ledger.apply(
        m,
        { type: 'transfer', transactionId, from: from.accountId, to: to.accountId, units: input.units, relation: input.relation, note: input.note, idempotencyKey: `transfer:${input.idempotencyKey}`, makerId: actor.userId },
        [from.accountId, to.accountId],
        now,
      );
      const replayed = Boolean(applied.alreadyAppliedAs);
      if (!replayed) {
        await this.ctx.audit.record(
          { ...auditActor(actor), action: 'timebank.transfer', subjectType: 'volunteer', subjectId: from.id, subjects: [{ type: to.type, id: to.id }], purpose: `${input.units} units to ${to.accountId} (${input.relation}), tx ${transactionId}`, outcome: 'ok' },
          m,
        );
      }
      return { transactionId: applied.alreadyAppliedAs ?? transactionId, fromAccountId: from.accountId, toAccountId: to.accountId, units: input.units, relation: input.relation, note: input.note, balanceUnits: await this.ctx.ledger.balanceOf(m, from.accountId), replayed };
    });
  }
}
