import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AuditService } from '../audit/audit.service';
import { may, PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { maskPhone, normalizePhone } from '../persons/phone-number';
import { AppError } from '../shared/app-error';
import { CALL_DIRECTIONS, CALL_STATUSES } from './call-state';
import { Call } from './call.entity';

const listCallsSchema = z
  .object({
    direction: z.enum(CALL_DIRECTIONS).optional(),
    status: z.enum(CALL_STATUSES).optional(),
    personId: z.string().uuid().optional(),
    agentExtension: z.string().regex(/^\d{2,10}$/).optional(),
    phone: z.string().trim().min(3).max(30).optional(),
    needsFollowUp: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    sos: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/**
 * The call log. Calls of unknown callers carry no district, so they are visible to every role holding
 * `call.read`; calls of known persons follow the person's district scope. Every row carries masked numbers;
 * the full ones (`fromE164`, `toE164`, `fromRaw`) only for roles that may reveal (`person.reveal`), else null.
 * Call-backs dial by `callId` (click-to-call), so the console needs no number either way.
 */
export function callRoutes(ds: DataSource, audit: AuditService): Router {
  const r = Router();
  r.get('/', requireRole(...PERMISSIONS['call.read']), async (req, res) => {
    const q = listCallsSchema.parse(req.query);
    const actor = actorOf(req);
    const qb = ds.getRepository(Call).createQueryBuilder('c').leftJoin('person', 'p', 'p.id = c.person_id');
    if (actor.scopePrefix) qb.andWhere('(p.id IS NULL OR p.district_code LIKE :scope)', { scope: `${actor.scopePrefix}%` });
    if (q.direction) qb.andWhere('c.direction = :direction', { direction: q.direction });
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    if (q.personId) qb.andWhere('c.person_id = :personId', { personId: q.personId });
    if (q.agentExtension) qb.andWhere('c.agent_extension = :ext', { ext: q.agentExtension });
    if (q.phone) {
      const phone = normalizePhone(q.phone);
      if (!phone) throw new AppError('validation/invalid', `无法识别的电话号码: ${q.phone}`);
      qb.andWhere('(c.from_e164 = :e164 OR c.to_e164 = :e164)', { e164: phone.e164 });
    }
    if (q.needsFollowUp !== undefined) qb.andWhere('c.needs_follow_up = :nf', { nf: q.needsFollowUp });
    if (q.sos !== undefined) qb.andWhere('c.is_sos = :sos', { sos: q.sos });
    if (q.from) qb.andWhere('c.offered_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('c.offered_at < :to', { to: q.to });
    qb.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').skip(q.offset).take(q.limit);
    const [items, total] = await qb.getManyAndCount();
    // Call rows carry caller numbers: listing them is a personal-data read of every person listed.
    const persons = [...new Set(items.map((c) => c.personId).filter((id): id is string => id !== null))];
    await audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'call.list', subjectType: q.personId ? 'person' : undefined, subjectId: q.personId, subjects: persons.map((id) => ({ type: 'person', id })), outcome: 'ok' });
    const full = may(actor.roles, 'person.reveal');
    res.set('cache-control', 'no-store');
    res.json({
      items: items.map((c) => ({
        ...c,
        fromMasked: c.fromE164 ? maskPhone(c.fromE164) : null,
        toMasked: c.toE164 ? maskPhone(c.toE164) : null,
        ...(full ? {} : { fromE164: null, toE164: null, fromRaw: null }),
      })),
      total,
    });
  });
  return r;
}
