import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { insertPersons, type PersonRecord } from '../../../db/src/seed/person-writer';
import { makeCitizenId } from '../../src/persons/citizen-id';
import { makeCertificateNumber } from '../../src/persons/disability-certificate';
import { fieldCryptoFromSecret } from '../../src/shared/crypto-from-config';
import { randomMobile, TEST_DATA_KEY } from './test-app';

/** Insert one person (encrypted like the real writer does) and return its id and identifiers. */
export async function makePerson(ds: DataSource, districtCode: string, over: Partial<PersonRecord> = {}): Promise<{ id: string; idNumber: string; certNumber: string; phone: string; record: PersonRecord }> {
  const birth = `${randomInt(1940, 2000)}-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(1, 29)).padStart(2, '0')}`;
  const idNumber = makeCitizenId('330102', birth, randomInt(0, 1000));
  const certNumber = makeCertificateNumber(idNumber, 4, 2);
  const phone = randomMobile();
  const record: PersonRecord = {
    name: `测试${randomInt(1000, 9999)}`,
    gender: Number(idNumber[16]) % 2 === 1 ? 'M' : 'F',
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    idNumber,
    certNumber,
    disabilityCategory: 4,
    disabilityLevel: 2,
    livingSituation: 'alone',
    riskTier: 'high',
    districtCode,
    address: '测试路 1 号',
    communicationNeed: 'voice',
    medicalNotes: '高血压，服用降压药',
    phones: [{ e164: phone, kind: 'mobile' }],
    contacts: [{ name: '李监护', relation: '女儿', isGuardian: true, priority: 1, notifyOnEmergency: true, phoneE164: randomMobile() }],
    devices: [{ kind: 'sos_pendant', serial: `SN-${randomInt(1e8, 1e9)}`, mode: 'home', armed: true, battery: 80, phoneE164: null }],
    ...over,
  };
  const [id] = await ds.transaction((m) => insertPersons(m, fieldCryptoFromSecret(TEST_DATA_KEY), [record]));
  return { id, idNumber: record.idNumber!, certNumber: record.certNumber!, phone: record.phones[0]?.e164 ?? phone, record };
}
