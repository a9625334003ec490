import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { volunteerAccount, type CompletedJob } from '../../../dispatch/src/ledger';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import { auditActor, type TimebankContext } from './timebank-context';
import { volunteerInScope } from './timebank-scope';

/** What crediting a job did (`POST /api/timebank/jobs/:jobId/confirm`, `TimebankEarning.creditJob`). */
export interface EarnResult {
  status: 'credited' | 'already-credited' | 'refused';
  transactionId: string | null;
  units: number;
  overCapUnits: number;
  /** For `refused`: the ledger's reason (e.g. `ledger/missing-check-in-out`). */
  code?: string;
}

/** 回访 ratings that confirm the service took place. */
const CONFIRMING_SATISFACTION = ['very_satisfied', 'satisfied', 'basically_satisfied'];

/**
 * Coins for volunteers' completed jobs (dispatch's `service_job`): credited once the job is completed with
 * check-in and check-out and confirmed by the recipient (recorded here) or by the 回访 of its order (a reached
 * survey with a satisfied rating). Idempotent by the ledger key `earn:job:<jobId>`: the confirm route, the
 * dispatch completion and the sweep may all call {@link creditJob}; the job is credited once.
 */
export class TimebankEarning {
  constructor(private readonly ctx: TimebankContext) {}

  /**
   * Credit a job if it is ready; otherwise say why not. Safe to call any number of times, from anywhere.
   * @example await timebank.earning.creditJob(jobId); // after dispatch completes a volunteer's job
   */
  async creditJob(jobId: string, actor: Actor | null = null): Promise<EarnResult> {
    const now = this.ctx.clock.now();
    let credited: { districtCode: string; volunteerId: string; transactionId: string; units: number } | null = null;
    const result = await this.ctx.ds.transaction(async (m) => {
      const job = await completedJobOf(m, jobId);
      if (!job) throw new AppError('timebank/not-found', `服务任务 ${jobId} 不存在或不是志愿者的任务`);
      if (actor) await volunteerInScope(m, actor, job.volunteerId);
      const transactionId = randomUUID();
      try {
        const applied = await this.ctx.ledger.apply(m, { type: 'earn_job', transactionId, job: job.completed }, [job.completed.volunteerAccountId], now);
        if (applied.alreadyAppliedAs) return { status: 'already-credited', transactionId: applied.alreadyAppliedAs, units: await creditedUnits(m, applied.alreadyAppliedAs), overCapUnits: 0 } satisfies EarnResult;
        const units = applied.entries[1].units;
        await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.earn.job', subjectType: 'volunteer', subjectId: job.volunteerId, subjects: [{ type: 'service_job', id: jobId }], purpose: `${units} units, tx ${transactionId}`, outcome: 'ok' }, m);
        credited = { districtCode: job.districtCode, volunteerId: job.volunteerId, transactionId, units };
        return { status: 'credited', transactionId, units, overCapUnits: applied.overCapUnits ?? 0 } satisfies EarnResult;
      } catch (err) {
        if (err instanceof AppError && err.code.startsWith('ledger/')) return { status: 'refused', transactionId: null, units: 0, overCapUnits: 0, code: err.code } satisfies EarnResult;
        throw err;
      }
    });
    const done = credited as { districtCode: string; volunteerId: string; transactionId: string; units: number } | null;
    if (done) this.ctx.events.emit('timebank:credited', done.districtCode, { volunteerId: done.volunteerId, transactionId: done.transactionId, units: done.units, source: 'job' });
    return result;
  }

  /**
   * The recipient confirmed the service (told staff, or on the phone): record it once and credit the job.
   * @example await earning.confirm(dispatcher, jobId, { by: 'recipient' });
   */
  async confirm(actor: Actor, jobId: string, input: { by: 'recipient'; note?: string }): Promise<EarnResult> {
    const now = this.ctx.clock.now();
    await this.ctx.ds.transaction(async (m) => {
      const [job] = await m.query(`SELECT assignee_id FROM service_job WHERE id = $1 AND assignee_kind = 'volunteer'`, [jobId]);
      if (!job) throw new AppError('timebank/not-found', `服务任务 ${jobId} 不存在或不是志愿者的任务`);
      await volunteerInScope(m, actor, job.assignee_id);
      await m.query(
        `INSERT INTO timebank_job_confirmation (job_id, confirmed_by, at, actor_id, note) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job_id) DO NOTHING`,
        [jobId, input.by, now, actor.userId, input.note ?? null],
      );
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.job.confirm', subjectType: 'service_job', subjectId: jobId, outcome: 'ok' }, m);
    });
    return this.creditJob(jobId, actor);
  }

  /**
   * Credit every completed, confirmed volunteer job not credited yet (scheduler job `timebank-earning`):
   * catches confirmations by 回访 and completions whose direct call failed. Returns how many were credited.
   */
  async sweep(limit = 500): Promise<number> {
    const rows: { id: string }[] = await this.ctx.ds.query(
      `SELECT j.id FROM service_job j
        WHERE j.status = 'completed' AND j.assignee_kind = 'volunteer' AND j.check_in_at IS NOT NULL AND j.check_out_at IS NOT NULL
          AND (EXISTS (SELECT 1 FROM timebank_job_confirmation c WHERE c.job_id = j.id)
               OR EXISTS (SELECT 1 FROM care_task s WHERE s.kind = 'survey' AND s.ticket_id = j.ticket_id AND s.outcome = 'reached' AND s.satisfaction = ANY($1::varchar[])))
          AND NOT EXISTS (SELECT 1 FROM time_coin_entry e WHERE e.idempotency_key = 'earn:job:' || j.id::text AND e.leg = 'credit')
        ORDER BY j.check_out_at LIMIT $2`,
      [CONFIRMING_SATISFACTION, limit],
    );
    let credited = 0;
    for (const { id } of rows) if ((await this.creditJob(id)).status === 'credited') credited++;
    return credited;
  }
}

/** The job as the ledger rule takes it, with its confirmation (recipient first, else a satisfied 回访). */
async function completedJobOf(m: EntityManager, jobId: string): Promise<{ completed: CompletedJob; volunteerId: string; districtCode: string } | null> {
  const [job] = await m.query(
    `SELECT j.id, j.status, j.check_in_at, j.check_out_at, j.assignee_id, j.district_code, c.at AS confirmed_at,
            (SELECT max(s.updated_at) FROM care_task s WHERE s.kind = 'survey' AND s.ticket_id = j.ticket_id AND s.outcome = 'reached' AND s.satisfaction = ANY($2::varchar[])) AS surveyed_at
       FROM service_job j LEFT JOIN timebank_job_confirmation c ON c.job_id = j.id
      WHERE j.id = $1 AND j.assignee_kind = 'volunteer'`,
    [jobId, CONFIRMING_SATISFACTION],
  );
  if (!job) return null;
  const confirmation = job.confirmed_at ? { by: 'recipient' as const, at: new Date(job.confirmed_at) } : job.surveyed_at ? { by: 'callback' as const, at: new Date(job.surveyed_at) } : null;
  return {
    volunteerId: job.assignee_id,
    districtCode: job.district_code,
    completed: {
      jobId: job.id,
      volunteerAccountId: volunteerAccount(job.assignee_id),
      status: job.status,
      checkInAt: job.check_in_at ? new Date(job.check_in_at) : null,
      checkOutAt: job.check_out_at ? new Date(job.check_out_at) : null,
      confirmation,
    },
  };
}

async function creditedUnits(m: EntityManager, transactionId: string): Promise<number> {
  const [row] = await m.query(`SELECT units FROM time_coin_entry WHERE transaction_id = $1 AND leg = 'credit'`, [transactionId]);
  return row ? Number(row.units) : 0;
}
