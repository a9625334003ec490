import type { Server } from 'socket.io';
import type { Actor } from '../auth/auth.service';
import type { AuditService } from '../audit/audit.service';
import type { Logger } from '../config/logger';
import type { CallView, DomainEvents, PopAudience, ScreenPop } from '../shared/domain-events';
import { rooms, type ClientToServerEvents, type ServerToClientEvents } from './realtime-events';

type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { actor: Actor }>;

/** Whether a supervisor's scope covers the call (a call without a district: only city-wide supervisors). */
function covers(actor: Actor, districtCode: string | null): boolean {
  if (actor.scopePrefix === null) return true;
  return districtCode !== null && districtCode.startsWith(actor.scopePrefix);
}

/**
 * A supervisor is watching, not on the call: no full numbers (the ringing agent's softphone has the caller's)
 * and no medical notes in the pop.
 */
function forWatcher(call: CallView): CallView {
  return { ...call, fromRaw: null, toRaw: null, fromE164: null, toE164: null };
}

/**
 * Call notices and screen pops to exactly who may see them: the ringing (or talking) agent, and the
 * supervisors whose district scope covers the call's {@link PopAudience}. A pop is a personal-data read:
 * every delivery is audited with its subjects (`person.pop`, one entry per recipient).
 *
 * @example registerCallFanout(hub.io, events, audit, log);
 */
export function registerCallFanout(io: Io, events: DomainEvents, audit: AuditService, log: Logger): void {
  const supervisorsFor = async (audience: PopAudience, except: string | null) => {
    const sockets = await io.in(rooms.role('supervisor')).fetchSockets();
    const districts = [audience.districtCode, ...Object.values(audience.contactDistricts)];
    return sockets.filter((s) => s.data.actor && s.data.actor.userId !== except && districts.some((d) => covers(s.data.actor, d)));
  };
  const auditPop = (userId: string, username: string | null, pop: ScreenPop, callId: string, as: string) => {
    const subjects = [...(pop.person ? [pop.person.id] : []), ...pop.knownAsContactOf.map((c) => c.personId), ...pop.sharedWith.map((s) => s.personId)];
    if (subjects.length === 0) return;
    void audit
      .record({ actorId: userId, actorUsername: username, action: 'person.pop', subjectType: 'person', subjectId: subjects[0], subjects: subjects.map((id) => ({ type: 'person', id })), purpose: `call ${callId} (${as})`, outcome: 'ok' })
      .catch((err) => log.warn({ err, callId }, 'audit of screen pop failed'));
  };

  events.on('call.ringing', ({ call, agentUserId, pop, audience }) => {
    // The agent's screen must not lag the phone: their pop goes out at once, supervisors' just after.
    if (agentUserId) {
      io.to(rooms.user(agentUserId)).emit('call:ringing', { call, pop });
      auditPop(agentUserId, null, pop, call.id, 'agent');
    }
    void supervisorsFor(audience, agentUserId)
      .then((sockets) => {
        const audited = new Set<string>();
        for (const socket of sockets) {
          const actor = socket.data.actor;
          // The pop's person only within scope: a supervisor reached through another owner of a shared number sees only that owner.
          const seen = { ...pop, fromE164: null, person: pop.person && covers(actor, audience.districtCode) ? { ...pop.person, medicalNotes: null } : null, knownAsContactOf: pop.knownAsContactOf.filter((c) => covers(actor, audience.contactDistricts[c.personId] ?? null)), sharedWith: pop.sharedWith.filter((s) => covers(actor, audience.contactDistricts[s.personId] ?? null)) };
          socket.emit('call:ringing', { call: forWatcher(call), pop: seen });
          if (!audited.has(actor.userId)) auditPop(actor.userId, actor.username, seen, call.id, 'supervisor');
          audited.add(actor.userId);
        }
      })
      .catch((err) => log.error({ err, callId: call.id }, 'screen pop to supervisors failed'));
  });

  events.on('call.updated', ({ call, audience }) => {
    const notices = (emit: (event: 'call:updated' | 'call:answered' | 'call:ended', payload: { call: CallView }) => void, view: CallView) => {
      emit('call:updated', { call: view });
      if (call.status === 'answered') emit('call:answered', { call: view });
      if (call.status === 'ended') emit('call:ended', { call: view });
    };
    if (call.agentUserId) {
      const room = io.to(rooms.user(call.agentUserId));
      notices((event, payload) => room.emit(event, payload), call);
    }
    void supervisorsFor(audience, call.agentUserId)
      .then((sockets) => {
        const view = forWatcher(call);
        for (const socket of sockets) notices((event, payload) => socket.emit(event, payload), view);
      })
      .catch((err) => log.error({ err, callId: call.id }, 'call notice to supervisors failed'));
  });
}
