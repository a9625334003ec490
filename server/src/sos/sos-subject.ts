import type { EntityManager } from 'typeorm';
import type { CommunicationNeed } from '../persons/person.entity';
import type { EscalationSubject, PlanContact } from './escalation-plan';
import type { SosIncident } from './sos-incident.entity';

export interface SosPerson {
  id: string;
  name: string;
  address: string | null;
  districtCode: string;
}

export interface SosContext {
  person: SosPerson | null;
  subject: EscalationSubject;
}

const VOICE_ORDER: Record<string, number> = { sos_device: 1, mobile: 2, landline: 3 };

/**
 * Everything the chain needs about the person behind an SOS, read with the transaction's manager
 * (PGlite: never outside it while it is open).
 */
export async function loadSosContext(m: EntityManager, incident: Pick<SosIncident, 'personId' | 'deviceId' | 'fromE164' | 'silent'>, opts: { canCall: boolean; communityNumber: string | null }): Promise<SosContext> {
  const base = { silent: incident.silent, canCall: opts.canCall, communityNumber: opts.communityNumber };
  if (!incident.personId) {
    const from = incident.fromE164 ? [incident.fromE164] : [];
    return { person: null, subject: { ...base, personName: null, communicationNeed: 'voice', disabilityCategory: null, subDisabilities: [], mobiles: from, voiceNumbers: from, contacts: [] } };
  }
  const [p]: { id: string; name: string; address: string | null; district_code: string; communication_need: CommunicationNeed; disability_category: number | null; sub_disabilities: number[] | null }[] = await m.query(
    'SELECT id, name, address, district_code, communication_need, disability_category, sub_disabilities FROM person WHERE id = $1',
    [incident.personId],
  );
  if (!p) return loadSosContext(m, { ...incident, personId: null }, opts);
  const phones: { e164: string; kind: string }[] = await m.query('SELECT e164, kind FROM phone_number WHERE person_id = $1 ORDER BY e164', [p.id]);
  const device: { phone_e164: string | null }[] = incident.deviceId ? await m.query('SELECT phone_e164 FROM device WHERE id = $1', [incident.deviceId]) : [];
  const contacts: { id: string; name: string; relation: string; is_guardian: boolean; priority: number; notify_on_emergency: boolean; phone_e164: string }[] = await m.query(
    'SELECT id, name, relation, is_guardian, priority, notify_on_emergency, phone_e164 FROM contact WHERE person_id = $1 ORDER BY priority, name',
    [p.id],
  );
  const voice = phones.filter((ph) => VOICE_ORDER[ph.kind]).sort((a, b) => VOICE_ORDER[a.kind]! - VOICE_ORDER[b.kind]!).map((ph) => ph.e164);
  const deviceSim = device[0]?.phone_e164;
  const voiceNumbers = [...new Set([...(deviceSim ? [deviceSim] : []), ...voice])];
  const mobiles = phones.filter((ph) => ph.kind === 'mobile').map((ph) => ph.e164);
  const planContacts: PlanContact[] = contacts.map((c) => ({ id: c.id, name: c.name, relation: c.relation, isGuardian: c.is_guardian, priority: c.priority, notifyOnEmergency: c.notify_on_emergency, phoneE164: c.phone_e164 }));
  return {
    person: { id: p.id, name: p.name, address: p.address, districtCode: p.district_code },
    subject: {
      ...base,
      personName: p.name,
      communicationNeed: p.communication_need,
      disabilityCategory: p.disability_category,
      subDisabilities: p.sub_disabilities ?? [],
      mobiles,
      voiceNumbers,
      contacts: planContacts,
    },
  };
}
