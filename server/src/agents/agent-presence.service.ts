import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import type { Clock } from '../shared/clock';
import { StaffUser } from '../staff/staff-user.entity';
import { telephonyCode, toAppError } from '../telephony/telephony-failure';
import type { TelephonyPort } from '../telephony/telephony.port';
import { queueStepsFor, SOFTPHONE_PAUSE_REASON, type PresenceState, type QueueStep, type SoftphoneFailure, type SoftphoneState } from './agent-presence';
import type { SoftphoneStatusInput } from './agent-presence.schema';
import { AgentPresence } from './agent-presence.entity';

/** How far the PBX queue reflects the presence: done, waiting for the PBX, or not applicable. */
export type QueueSync = 'synced' | 'pending' | 'not_configured' | 'no_extension';

export interface PresenceView {
  userId: string;
  username: string;
  displayName: string;
  extension: string | null;
  state: PresenceState;
  reason: string | null;
  /** Null when the agent never chose a state (shown as offline). */
  changedAt: Date | null;
  queue: QueueSync;
  /** The browser softphone as last reported (null: never, e.g. a desk phone); `unregistered` takes no calls. */
  softphone: SoftphoneState | null;
  softphoneReason: SoftphoneFailure | null;
}

type Listener = (view: PresenceView) => void;

/**
 * Agent presence: kept per agent in `agent_presence`, reflected on the PBX queue (QueueAdd / QueuePause /
 * QueueRemove) when telephony is configured. While the PBX is down the choice is kept as `pending` and
 * applied when it is back ({@link resync}).
 */
export class AgentPresenceService {
  private readonly listeners: Listener[] = [];
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ds: DataSource,
    private readonly telephony: TelephonyPort | null,
    private readonly queue: string,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Called after every committed change. */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** The actor's own presence (offline when never set). */
  async get(actor: Actor): Promise<PresenceView> {
    const row = await this.ds.getRepository(AgentPresence).findOneBy({ userId: actor.userId });
    return this.view(actor, row);
  }

  /** Every active agent in the actor's scope, for supervisors' wallboards. */
  async list(actor: Actor): Promise<PresenceView[]> {
    const qb = this.ds.getRepository(StaffUser).createQueryBuilder('u').where('u.active = true').andWhere("'agent' = ANY(u.roles)");
    if (actor.scopePrefix) qb.andWhere('u.district_code LIKE :scope', { scope: `${actor.scopePrefix}%` });
    const users = await qb.orderBy('u.sip_extension', 'ASC', 'NULLS LAST').addOrderBy('u.username', 'ASC').getMany();
    const rows = users.length ? await this.ds.getRepository(AgentPresence).createQueryBuilder('a').where('a.user_id IN (:...ids)', { ids: users.map((u) => u.id) }).getMany() : [];
    const byUser = new Map(rows.map((r) => [r.userId, r]));
    return users.map((u) => this.view({ userId: u.id, username: u.username, displayName: u.displayName, sipExtension: u.sipExtension }, byUser.get(u.id) ?? null));
  }

  /**
   * Choose a presence. With a PBX that is up, the queue actions run first and a refusal leaves the previous
   * state in place (the caller gets `telephony/rejected`); with the PBX down the choice is kept as pending.
   * @example await presence.set(actor, 'break', '午餐');
   */
  set(actor: Actor, state: PresenceState, reason?: string | null): Promise<PresenceView> {
    return this.serialized(actor.userId, async () => {
      const extension = actor.sipExtension;
      const prev = await this.ds.getRepository(AgentPresence).findOneBy({ userId: actor.userId });
      // Going offline forgets the softphone: the next session's console reports its own (a desk phone never
      // does), so an old session's "not registered" cannot keep a later one from taking calls.
      const softphone = state === 'offline' ? null : (prev?.softphone ?? null);
      const softphoneReason = state === 'offline' ? null : (prev?.softphoneReason ?? null);
      let synced = false;
      if (this.telephony && extension && this.telephony.state === 'up') {
        try {
          await this.apply(extension, queueStepsFor(state, softphone));
          synced = true;
        } catch (err) {
          if (telephonyCode(err) !== 'temporary') throw toAppError(err, '坐席状态切换');
          this.log.warn({ err, userId: actor.userId, state }, 'presence kept pending: PBX did not answer');
        }
      }
      const row: AgentPresence = { userId: actor.userId, state, reason: state === 'break' ? (reason?.trim() || null) : null, extension, queueSynced: synced, changedAt: this.clock.now(), softphone, softphoneReason };
      await this.ds.getRepository(AgentPresence).save(row);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `presence.${state}`, subjectType: 'staff_user', subjectId: actor.userId, purpose: row.reason ?? undefined, outcome: 'ok' });
      const view = this.view(actor, row);
      this.emit(view);
      return view;
    });
  }

  /**
   * The console reports its softphone: an available agent whose softphone stops being registered is paused
   * in the queue (reason `softphone`) so no call is routed to a phone that cannot ring, and unpaused when it
   * registers again. The chosen presence stays as it was. With the PBX down the change waits for {@link resync}.
   * @example await presence.setSoftphone(actor, { registered: false, reason: 'forbidden' });
   */
  setSoftphone(actor: Actor, status: SoftphoneStatusInput): Promise<PresenceView> {
    return this.serialized(actor.userId, async () => {
      const repo = this.ds.getRepository(AgentPresence);
      const softphone: SoftphoneState = status.registered ? 'registered' : 'unregistered';
      const softphoneReason = status.registered ? null : status.reason;
      const prev = await repo.findOneBy({ userId: actor.userId });
      const row: AgentPresence = prev
        ? { ...prev, softphone, softphoneReason }
        : { userId: actor.userId, state: 'offline', reason: null, extension: actor.sipExtension, queueSynced: true, changedAt: this.clock.now(), softphone, softphoneReason };
      const routable = (p: AgentPresence | null) => p?.state === 'available' && p.softphone !== 'unregistered';
      if (prev && prev.state === 'available' && routable(prev) !== routable(row) && prev.extension) {
        row.queueSynced = false;
        if (this.telephony && this.telephony.state === 'up') {
          try {
            await this.run(prev.extension, { op: 'pause', paused: !routable(row), ...(routable(row) ? {} : { reason: SOFTPHONE_PAUSE_REASON }), tolerate: ['not-found'] });
            row.queueSynced = true;
          } catch (err) {
            this.log.warn({ err, userId: actor.userId, softphone }, 'softphone change kept pending: queue not updated');
          }
        }
      }
      if (prev?.softphone === row.softphone && prev.softphoneReason === row.softphoneReason && prev.queueSynced === row.queueSynced) return this.view(actor, prev);
      await repo.save(row);
      if (prev?.softphone !== softphone) {
        await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `presence.softphone_${softphone}`, subjectType: 'staff_user', subjectId: actor.userId, purpose: softphoneReason ?? undefined, outcome: 'ok' });
      }
      const view = this.view(actor, row);
      this.emit(view);
      return view;
    });
  }

  /** Apply every pending presence to the PBX (call when telephony comes up). Never rejects. */
  async resync(): Promise<number> {
    if (!this.telephony || this.telephony.state !== 'up') return 0;
    const pending = await this.ds.getRepository(AgentPresence).createQueryBuilder('a').where('a.queue_synced = false').andWhere('a.extension IS NOT NULL').getMany();
    let done = 0;
    for (const row of pending) {
      await this.serialized(row.userId, async () => {
        try {
          await this.apply(row.extension!, queueStepsFor(row.state, row.softphone));
          await this.ds.getRepository(AgentPresence).update({ userId: row.userId, changedAt: row.changedAt }, { queueSynced: true });
          done++;
          const user = await this.ds.getRepository(StaffUser).findOneBy({ id: row.userId });
          if (user) this.emit(this.view({ userId: user.id, username: user.username, displayName: user.displayName, sipExtension: user.sipExtension }, { ...row, queueSynced: true }));
        } catch (err) {
          this.log.warn({ err, userId: row.userId, state: row.state }, 'pending presence not applied');
        }
      });
    }
    if (pending.length) this.log.info({ pending: pending.length, applied: done }, 'presence resynced with PBX');
    return done;
  }

  private async apply(extension: string, steps: QueueStep[]): Promise<void> {
    for (const step of steps) await this.run(extension, step);
  }

  private async run(extension: string, step: QueueStep): Promise<void> {
    const pbx = this.telephony!;
    try {
      if (step.op === 'add') await pbx.queueAdd(this.queue, extension, `Agent ${extension}`);
      else if (step.op === 'pause') await pbx.queuePause(this.queue, extension, step.paused, step.reason);
      else await pbx.queueRemove(this.queue, extension);
    } catch (err) {
      const code = telephonyCode(err);
      if (code && step.tolerate.includes(code)) return;
      if (code && code !== 'temporary' && step.op === 'remove' && step.fallback) return this.run(extension, step.fallback);
      throw err;
    }
  }

  private view(actor: Pick<Actor, 'userId' | 'username' | 'displayName' | 'sipExtension'>, row: AgentPresence | null): PresenceView {
    const queue: QueueSync = !this.telephony ? 'not_configured' : !actor.sipExtension ? 'no_extension' : row && !row.queueSynced ? 'pending' : 'synced';
    return {
      userId: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      extension: actor.sipExtension,
      state: row?.state ?? 'offline',
      reason: row?.reason ?? null,
      changedAt: row?.changedAt ?? null,
      queue,
      softphone: row?.softphone ?? null,
      softphoneReason: row?.softphoneReason ?? null,
    };
  }

  private emit(view: PresenceView): void {
    for (const listener of this.listeners) {
      try {
        listener(view);
      } catch (err) {
        this.log.error({ err }, 'presence listener failed');
      }
    }
  }

  /** One change at a time per agent: queue actions of two quick clicks never interleave. */
  private serialized<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(userId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(work);
    this.chains.set(userId, next);
    void next.catch(() => undefined).then(() => {
      if (this.chains.get(userId) === next) this.chains.delete(userId);
    });
    return next;
  }
}
