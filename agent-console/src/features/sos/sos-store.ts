import type { Ack, ScreenPop, SosAcknowledged, SosAlert, SosClosed, SosEscalated } from '../../api/wire';
import { getSocket } from '../../realtime/connection';
import { acknowledgeSos as acknowledgeSosCalls } from '../../realtime/live-calls';
import { createStore } from '../../state/store';

/** An SOS incident on this console: the alert, its escalation so far, and who took it. */
export interface SosIncident {
  alert: SosAlert;
  escalation: SosEscalated[];
  /** Who took it (`byName` null when only a further press's alert said it was taken). */
  acknowledged: (Pick<SosAcknowledged, 'how' | 'at' | 'byUserId'> & { byName: string | null }) | null;
  closed: boolean;
}

export const sosIncidents = createStore<Record<string, SosIncident>>({});

/** `sos:raised`: a new SOS alerts; a further press of one someone already took stays taken (no new alarm). */
export function onSosRaised(alert: SosAlert): void {
  sosIncidents.set((m) => {
    const known = m[alert.sosId];
    const acknowledged = alert.acknowledgedAt ? (known?.acknowledged ?? { byName: null, how: 'console' as const, at: alert.acknowledgedAt, byUserId: null }) : null;
    return { ...m, [alert.sosId]: { alert, escalation: known?.escalation ?? [], acknowledged, closed: false } };
  });
}

/** Whether the SOS of this caller (by person, else by masked number) is open and already taken. */
export function sosTakenFor(pop: ScreenPop): boolean {
  return Object.values(sosIncidents.get()).some(
    (i) => !i.closed && !!i.acknowledged && ((!!pop.person && i.alert.personId === pop.person.id) || (!!pop.fromMasked && i.alert.fromMasked === pop.fromMasked)),
  );
}

export function onSosEscalated(step: SosEscalated): void {
  sosIncidents.set((m) => (m[step.sosId] ? { ...m, [step.sosId]: { ...m[step.sosId]!, escalation: [...m[step.sosId]!.escalation, step] } } : m));
}

export function onSosAcknowledged(ack: SosAcknowledged): void {
  sosIncidents.set((m) => (m[ack.sosId] ? { ...m, [ack.sosId]: { ...m[ack.sosId]!, acknowledged: { byName: ack.byName, how: ack.how, at: ack.at, byUserId: ack.byUserId } } } : m));
}

export function onSosClosed(closed: SosClosed): void {
  sosIncidents.set((m) => (m[closed.sosId] ? { ...m, [closed.sosId]: { ...m[closed.sosId]!, closed: true } } : m));
}

/** Incidents still waiting for someone to take them. */
export function openIncidents(m: Record<string, SosIncident>): SosIncident[] {
  return Object.values(m).filter((i) => !i.acknowledged && !i.closed);
}

/**
 * Alt+K: take every open SOS. Server incidents are acknowledged with `sos:acknowledge` (which stops their
 * escalation chain for everyone); SOS calls that only came as a pop are acknowledged on this console.
 * Returns the names acknowledged and the failures, for the announcement.
 */
export async function acknowledgeAll(): Promise<{ names: string[]; failures: string[] }> {
  const names: string[] = [];
  const failures: string[] = [];
  const socket = getSocket();
  for (const incident of openIncidents(sosIncidents.get())) {
    const name = incident.alert.personName ?? incident.alert.fromMasked ?? incident.alert.ticketNumber;
    try {
      if (!socket?.connected) throw new Error('offline');
      const res = (await socket.timeout(8000).emitWithAck('sos:acknowledge', { sosId: incident.alert.sosId })) as Ack<unknown>;
      if (!res.ok) throw new Error(res.message);
      names.push(name);
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
    }
  }
  for (const a of acknowledgeSosCalls()) names.push(a.name ?? a.from ?? '');
  return { names, failures };
}
