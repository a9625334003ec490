import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import type { Outbox } from '../outbox/outbox.service';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { AfterCommit } from '../sos/after-commit';
import type { SystemActor } from '../sos/system-actor';
import { planCareEscalation } from './care';
import { openCareOrder } from './care-orders';
import { CareEvent, CareTask } from './care.entity';
import type { LivingSituation, RiskTier } from '../persons/person.entity';

/**
 * Runs the no-answer escalation of care tasks whose attempts are used up: emergency contacts (SMS through the
 * outbox) → home visit (a 待派单 order) → P0 welfare check for a 高风险 person living alone. The state is the
 * task row (`escalation_step`, `next_step_at`), claimed with SKIP LOCKED, one step per transaction: a restart
 * or a second node runs each step once. Every step lands on the person's care timeline.
 */
export class CareEscalationService {
  constructor(
    private readonly ds: DataSource,
    private readonly system: SystemActor,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly hotline: string,
  ) {}

  /**
   * Run every escalation step that is due now; returns how many ran.
   * @example clock.advance(30 * 60_000); await escalation.tick(); // the home-visit step
   */
  async tick(): Promise<number> {
    const due: unknown[] = await this.ds.query(`SELECT 1 FROM care_task WHERE status = 'escalating' AND next_step_at <= $1 LIMIT 1`, [this.clock.now()]);
    if (!due.length) return 0; // (and no system account is needed on an empty database)
    const actor = await this.system.get(); // before any transaction (PGlite: one session)
    let ran = 0;
    for (;;) {
      const after = new AfterCommit(this.log);
      const did = await this.ds.transaction((m) => this.runOne(m, actor, after));
      after.run();
      if (!did) return ran;
      ran++;
    }
  }

  private async runOne(m: EntityManager, actor: Actor, after: AfterCommit): Promise<boolean> {
    const now = this.clock.now();
    const [task] = await m
      .createQueryBuilder(CareTask, 'c')
      .where(`c.status = 'escalating'`)
      .andWhere('c.next_step_at <= :now', { now })
      .orderBy('c.next_step_at', 'ASC')
      .limit(1)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    if (!task) return false;
    const [person]: Array<{ name: string; risk_tier: RiskTier; living_situation: LivingSituation | null }> = await m.query(`SELECT name, risk_tier, living_situation FROM person WHERE id = $1`, [task.personId]);
    const plan = planCareEscalation({ riskTier: person?.risk_tier ?? 'general', livingSituation: person?.living_situation ?? null });
    const step = plan[task.escalationStep];
    if (!step) {
      await m.update(CareTask, { id: task.id }, { status: 'done', outcome: 'escalated', nextStepAt: null });
      return true;
    }
    let note: string = step.title;
    switch (step.key) {
      case 'contacts': {
        const contacts: Array<{ id: string; name: string; phone_e164: string }> = await m.query(`SELECT id, name, phone_e164 FROM contact WHERE person_id = $1 AND notify_on_emergency ORDER BY priority`, [task.personId]);
        for (const c of contacts) {
          const body = `【安心】我们今天多次致电${person?.name ?? '您的家人'}未能接通，请您尽快联系确认其安全，或致电 ${this.hotline}。`;
          await this.outbox.enqueue(m, { kind: 'sms', idempotencyKey: `care:${task.id}:contacts:${c.id}`, payload: { to: c.phone_e164, body } });
        }
        note = contacts.length ? `${step.title}：短信通知 ${contacts.map((c) => c.name).join('、')}` : `${step.title}：没有可通知的紧急联系人`;
        after.add(() => this.outbox.committed());
        break;
      }
      case 'home_visit':
      case 'welfare_check': {
        const opened = await openCareOrder(m, this.audit, actor, step.key, { personId: task.personId, districtCode: task.districtCode }, `关怀电话 ${task.attempts} 次未接通，紧急联系人已通知`, now);
        await m.update(CareTask, { id: task.id }, { openedTicketId: opened.id });
        note = `${step.title}：工单 ${opened.number}`;
        after.add(() => this.events.emit('ticket.created', { ticketId: opened.id, number: opened.number, districtCode: opened.districtCode, priority: opened.priority, category: opened.category }));
        break;
      }
    }
    const next = plan[task.escalationStep + 1];
    await m.update(CareTask, { id: task.id }, next ? { escalationStep: task.escalationStep + 1, nextStepAt: new Date(now.getTime() + next.waitMinutes * 60_000) } : { escalationStep: task.escalationStep + 1, nextStepAt: null, status: 'done', outcome: 'escalated' });
    await m.insert(CareEvent, { personId: task.personId, taskId: task.id, at: now, actorId: actor.userId, kind: `escalation_${step.key}`, note: `[升级 ${task.escalationStep + 1}/${plan.length}] ${note}` });
    this.log.warn({ taskId: task.id, step: step.key }, 'care task escalated');
    return true;
  }
}
