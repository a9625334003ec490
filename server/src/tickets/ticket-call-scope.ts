import type { EntityManager } from 'typeorm';
import { inScope, type Actor } from '../auth/auth.service';

interface CallScopeRow {
  person_id: string | null;
  person_district: string | null;
  agent_user_id: string | null;
  agent_extension: string | null;
  agent_district: string | null;
}

/**
 * May this actor link the call to an order (and so see its number on the order)? A call of a known caller
 * is in scope when the person is; a call of an unknown caller only for the agent who handled it, or a
 * supervisor whose scope covers that agent (a city-wide supervisor: any). A missing call is out of scope.
 * @example if (!(await callInScope(m, actor, callId))) throw new AppError('call/not-found', …)
 */
export async function callInScope(m: EntityManager, actor: Actor, callId: string): Promise<boolean> {
  const [c]: CallScopeRow[] = await m.query(
    `SELECT c.person_id, p.district_code AS person_district, c.agent_user_id, c.agent_extension, u.district_code AS agent_district
     FROM call c LEFT JOIN person p ON p.id = c.person_id LEFT JOIN staff_user u ON u.id = c.agent_user_id
     WHERE c.id = $1`,
    [callId],
  );
  if (!c) return false;
  if (c.person_id) return c.person_district !== null && inScope(actor, c.person_district);
  if (c.agent_user_id === actor.userId || (actor.sipExtension !== null && c.agent_extension === actor.sipExtension)) return true;
  if (!actor.roles.includes('supervisor')) return false;
  return actor.scopePrefix === null || (c.agent_district !== null && inScope(actor, c.agent_district));
}
