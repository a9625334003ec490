import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Contact } from '../../../server/src/persons/contact.entity';
import { Device, type DeviceKind, type DeviceMode } from '../../../server/src/persons/device.entity';
import { Person, type CommunicationNeed, type LivingSituation, type RiskTier } from '../../../server/src/persons/person.entity';
import { PhoneNumber, type PhoneKind } from '../../../server/src/persons/phone.entity';
import type { FieldCrypto } from '../../../server/src/shared/field-crypto';

/** A person with plain identifiers, as the demo generator and tests produce them. */
export interface PersonRecord {
  /** Keep a known id (demo data is deterministic); a new UUID otherwise. */
  id?: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string | null;
  idNumber?: string | null;
  certNumber?: string | null;
  disabilityCategory?: number | null;
  disabilityLevel?: number | null;
  subDisabilities?: number[];
  livingSituation?: LivingSituation | null;
  riskTier: RiskTier;
  districtCode: string;
  address?: string | null;
  lat?: number | null;
  lng?: number | null;
  communicationNeed?: CommunicationNeed;
  dialect?: string | null;
  medicalNotes?: string | null;
  phones: { e164: string; kind: PhoneKind }[];
  contacts?: { name: string; relation: string; isGuardian: boolean; priority: number; notifyOnEmergency: boolean; phoneE164: string; phoneKind?: 'mobile' | 'landline' }[];
  devices?: { kind: DeviceKind; serial: string; mode: DeviceMode; armed: boolean; battery: number | null; phoneE164?: string | null; lastHeartbeatAt?: string | null }[];
}

const CHUNK = 500;

/**
 * Insert persons with their numbers, contacts and devices in multi-row statements; identifiers are
 * encrypted and hashed here. Run inside a transaction (pass its manager). Returns the new ids in order.
 */
export async function insertPersons(m: EntityManager, crypto: FieldCrypto, records: PersonRecord[]): Promise<string[]> {
  const persons: Partial<Person>[] = [];
  const phones: Partial<PhoneNumber>[] = [];
  const contacts: Partial<Contact>[] = [];
  const devices: Partial<Device>[] = [];
  const ids: string[] = [];
  for (const r of records) {
    const id = r.id ?? randomUUID();
    ids.push(id);
    persons.push({
      id,
      name: r.name,
      gender: r.gender,
      birthDate: r.birthDate,
      idNumberEnc: r.idNumber ? crypto.encrypt(r.idNumber) : null,
      idNumberHash: r.idNumber ? crypto.hash(r.idNumber) : null,
      certNumberEnc: r.certNumber ? crypto.encrypt(r.certNumber) : null,
      certNumberHash: r.certNumber ? crypto.hash(r.certNumber) : null,
      disabilityCategory: r.disabilityCategory ?? null,
      disabilityLevel: r.disabilityLevel ?? null,
      subDisabilities: r.subDisabilities ?? [],
      livingSituation: r.livingSituation ?? null,
      riskTier: r.riskTier,
      districtCode: r.districtCode,
      address: r.address ?? null,
      lat: r.lat ?? null,
      lng: r.lng ?? null,
      communicationNeed: r.communicationNeed ?? 'voice',
      dialect: r.dialect ?? null,
      medicalNotesEnc: r.medicalNotes ? crypto.encrypt(r.medicalNotes) : null,
    });
    for (const p of r.phones) phones.push({ id: randomUUID(), e164: p.e164, kind: p.kind, personId: id, contactId: null });
    for (const c of r.contacts ?? []) {
      const contactId = randomUUID();
      const { phoneKind, ...contact } = c;
      contacts.push({ id: contactId, personId: id, ...contact });
      phones.push({ id: randomUUID(), e164: c.phoneE164, kind: phoneKind ?? 'mobile', personId: null, contactId });
    }
    for (const d of r.devices ?? []) devices.push({ id: randomUUID(), personId: id, kind: d.kind, serial: d.serial, mode: d.mode, armed: d.armed, battery: d.battery, phoneE164: d.phoneE164 ?? null, lastHeartbeatAt: d.lastHeartbeatAt ? new Date(d.lastHeartbeatAt) : null });
  }
  await insertChunks(m, Person, persons);
  await insertChunks(m, Contact, contacts);
  await insertChunks(m, PhoneNumber, phones);
  await insertChunks(m, Device, devices);
  return ids;
}

async function insertChunks<T extends object>(m: EntityManager, target: new () => T, rows: Partial<T>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await m.createQueryBuilder().insert().into(target).values(rows.slice(i, i + CHUNK) as never).updateEntity(false).execute();
  }
}
