import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { accountKind, volunteerAccount } from '../../../dispatch/src/ledger';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { ApprovalBody, ListApprovalsQuery } from './timebank.schema';
import { auditActor, type TimebankContext } from './timebank-context';
import { notFound, scopeFilter, volunteerInScope } from './timebank-scope';

export interface ApprovalView {
  id: string;
  type: 'adjust' | 'reverse';
  status: 'pending' | 'approved' | 'rejected';
  accountId: string;
  volunteerId: string | null;
  units: number;
  transactionId: string | null;
  note: string;
  makerId: string;
  makerName: string;
  requestedAt: Date;
  checkerId: string | null;
  checkerName: string | null;
  decidedAt: Date | null;
  rejectReason: string | null;
  resultTransactionId: string | null;
}

const SELECT = `SELECT a.*, mk.display_name AS maker_name, ck.display_name AS checker_name
  FROM timebank_approval a JOIN staff_user mk ON mk.id = a.maker_id LEFT JOIN staff_user ck ON ck.id = a.checker_id`;

function viewOf(r: Record<string, any>): ApprovalView {
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    accountId: r.account_id,
    volunteerId: r.volunteer_id,
    units: Number(r.units),
    transactionId: r.transaction_id,
    note: r.note,
    makerId: r.maker_id,
    makerName: r.maker_name,
    requestedAt: r.requested_at,
    checkerId: r.checker_id,
    checkerName: r.checker_name,
    decidedAt: r.decided_at,
    rejectReason: r.reject_reason,
    resultTransactionId: r.result_transaction_id,
  };
}

/**
 * Corrections that need two people (maker-checker): a supervisor asks for an adjustment or a reversal, a
 * different supervisor approves it, and only then do the entries exist (the rules check maker ≠ checker
 * again, and the entries carry both ids). A reversal is a new pair of entries mirroring the original.
 */
export class TimebankApprovals {
  constructor(private readonly ctx: TimebankContext) {}

  /** Ask for a correction; nothing moves until someone else approves. */
  async request(actor: Actor, input: ApprovalBody): Promise<ApprovalView> {
    const now = this.ctx.clock.now();
    const view = await this.ctx.ds.transaction(async (m) => {
      let accountId: string;
      let volunteerId: string | null = null;
      let districtCode: string | null = null;
      let units: number;
      if (input.type === 'adjust') {
        const v = await volunteerInScope(m, actor, input.volunteerId);
        accountId = v.accountId;
        volunteerId = v.id;
        districtCode = v.districtCode;
        units = input.units;
      } else {
        const target = await transactionInScope(m, actor, input.transactionId);
        accountId = target.accountId;
        volunteerId = target.volunteerId;
        districtCode = target.districtCode;
        units = target.units;
      }
      const [row] = await m.query(
        `INSERT INTO timebank_approval (type, account_id, volunteer_id, district_code, units, transaction_id, note, maker_id, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [input.type, accountId, volunteerId, districtCode, units, input.type === 'reverse' ? input.transactionId : null, input.note, actor.userId, now],
      );
      await this.ctx.audit.record({ ...auditActor(actor), action: `timebank.${input.type}.request`, subjectType: 'timebank_approval', subjectId: row.id, subjects: volunteerId ? [{ type: 'volunteer', id: volunteerId }] : [], outcome: 'ok' }, m);
      return { view: await this.load(m, row.id), districtCode };
    });
    this.ctx.events.emit('timebank:approval-changed', view.districtCode, { approvalId: view.view.id, status: 'pending', type: view.view.type });
    return view.view;
  }

  async list(actor: Actor, q: ListApprovalsQuery): Promise<{ items: ApprovalView[]; total: number }> {
    const scope = scopeFilter(actor, 'a.district_code', 2);
    const where = `WHERE ($1::varchar IS NULL OR a.status = $1) AND (a.district_code IS NULL AND ${actor.scopePrefix === null} OR ${scope.sql})`;
    const params = [q.status ?? null, ...scope.params];
    const rows = await this.ctx.ds.query(`${SELECT} ${where} ORDER BY a.requested_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, q.limit, q.offset]);
    const [{ n }] = await this.ctx.ds.query(`SELECT count(*)::int AS n FROM timebank_approval a ${where}`, params);
    return { items: rows.map(viewOf), total: n };
  }

  /**
   * Approve someone else's request: the entries are appended now, by the pure rules (a ledger refusal leaves
   * the request pending and answers 409 with the ledger's code).
   */
  async approve(actor: Actor, approvalId: string): Promise<ApprovalView> {
    const now = this.ctx.clock.now();
    const out = await this.ctx.ds.transaction(async (m) => {
      const a = await this.lockPending(m, actor, approvalId);
      const transactionId = randomUUID();
      const approval = { makerId: a.maker_id as string, checkerId: actor.userId };
      if (a.type === 'adjust') {
        await this.ctx.ledger.apply(m, { type: 'adjust', transactionId, accountId: a.account_id, units: Number(a.units), note: a.note, idempotencyKey: `approval:${a.id}`, ...approval }, [a.account_id], now);
      } else {
        const [debit] = await m.query(`SELECT account_id FROM time_coin_entry WHERE transaction_id = $1 AND leg = 'debit'`, [a.transaction_id]);
        await this.ctx.ledger.apply(m, { type: 'reverse', transactionId, reversesTransactionId: a.transaction_id, note: a.note, ...approval }, [a.account_id, debit?.account_id].filter(Boolean), now, [a.transaction_id]);
      }
      await m.query(`UPDATE timebank_approval SET status = 'approved', checker_id = $2, decided_at = $3, result_transaction_id = $4 WHERE id = $1`, [a.id, actor.userId, now, transactionId]);
      await this.ctx.audit.record({ ...auditActor(actor), action: `timebank.${a.type}.approve`, subjectType: 'timebank_approval', subjectId: a.id, subjects: a.volunteer_id ? [{ type: 'volunteer', id: a.volunteer_id }] : [], purpose: `tx ${transactionId}`, outcome: 'ok' }, m);
      return { view: await this.load(m, a.id), districtCode: a.district_code as string | null, transactionId };
    });
    this.ctx.events.emit('timebank:approval-changed', out.districtCode, { approvalId: out.view.id, status: 'approved', type: out.view.type });
    if (out.view.type === 'adjust' && out.view.units > 0 && out.view.volunteerId) {
      this.ctx.events.emit('timebank:credited', out.districtCode, { volunteerId: out.view.volunteerId, transactionId: out.transactionId, units: out.view.units, source: 'adjustment' });
    }
    return out.view;
  }

  /** Turn a request down (a checker), or withdraw one's own (the maker). */
  async reject(actor: Actor, approvalId: string, reason: string): Promise<ApprovalView> {
    const now = this.ctx.clock.now();
    const out = await this.ctx.ds.transaction(async (m) => {
      const a = await this.lockPending(m, actor, approvalId, true);
      await m.query(`UPDATE timebank_approval SET status = 'rejected', checker_id = $2, decided_at = $3, reject_reason = $4 WHERE id = $1`, [a.id, a.maker_id === actor.userId ? null : actor.userId, now, reason]);
      await this.ctx.audit.record({ ...auditActor(actor), action: `timebank.${a.type}.reject`, subjectType: 'timebank_approval', subjectId: a.id, outcome: 'ok' }, m);
      return { view: await this.load(m, a.id), districtCode: a.district_code as string | null };
    });
    this.ctx.events.emit('timebank:approval-changed', out.districtCode, { approvalId: out.view.id, status: 'rejected', type: out.view.type });
    return out.view;
  }

  private async lockPending(m: EntityManager, actor: Actor, approvalId: string, makerMay = false): Promise<Record<string, any>> {
    const [a] = await m.query(`SELECT * FROM timebank_approval WHERE id = $1 FOR UPDATE`, [approvalId]);
    if (!a || !(a.district_code ? inScope(actor, a.district_code) : actor.scopePrefix === null)) throw notFound('更正申请');
    if (a.status !== 'pending') throw new AppError('timebank/approval-not-pending', '这项更正申请已经处理过了');
    if (!makerMay && a.maker_id === actor.userId) throw new AppError('ledger/checker-is-maker', '申请人不能审批自己的更正申请，需要另一位主管');
    return a;
  }

  private async load(m: EntityManager, id: string): Promise<ApprovalView> {
    const [row] = await m.query(`${SELECT} WHERE a.id = $1`, [id]);
    return viewOf(row);
  }
}

/** The member account a transaction credited (what a reversal takes back), in the actor's scope. */
async function transactionInScope(m: EntityManager, actor: Actor, transactionId: string): Promise<{ accountId: string; volunteerId: string | null; districtCode: string | null; units: number }> {
  const legs: { leg: string; account_id: string; units: number }[] = await m.query(`SELECT leg, account_id, units FROM time_coin_entry WHERE transaction_id = $1`, [transactionId]);
  const credit = legs.find((l) => l.leg === 'credit');
  const debit = legs.find((l) => l.leg === 'debit');
  if (!credit || !debit) throw notFound('交易');
  // The member side of the movement decides the scope: the credited member, else the debited one.
  const member = [credit, debit].find((l) => accountKind(l.account_id) === 'volunteer');
  if (!member) {
    if (actor.scopePrefix !== null) throw notFound('交易');
    return { accountId: credit.account_id, volunteerId: null, districtCode: null, units: Number(credit.units) };
  }
  const volunteerId = member.account_id.slice('volunteer:'.length);
  const v = await volunteerInScope(m, actor, volunteerId);
  return { accountId: volunteerAccount(v.id), volunteerId: v.id, districtCode: v.districtCode, units: Number(credit.units) };
}
