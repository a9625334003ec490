/**
 * Privacy (issue 7): masks that the rest of the response cannot undo, masked lists and records, the audited
 * reveal with a purpose, a rate limit and a bulk alert, no existence oracles, duplicate registrations.
 */
import type { DataSource } from 'typeorm';
import { AuditLog } from '../src/audit/audit-log.entity';
import { citizenIdCheckChar, makeCitizenId } from '../src/persons/citizen-id';
import { makeCertificateNumber } from '../src/persons/disability-certificate';
import type { SecurityAlert } from '../src/shared/domain-events';
import { makePerson } from './support/factories';
import { api, connectSocket, login, makeDistricts, makeUser, randomMobile, startTestApp, type RunningApp } from './support/test-app';
import { until } from './support/until';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
const tokenOf = async (role: Parameters<typeof makeUser>[1], district: string) => login(t.baseUrl, (await makeUser(ds, role, district)).username);

beforeAll(async () => {
  t = await startTestApp();
  ds = t.ds;
  tree = await makeDistricts(ds);
});
afterAll(() => t.close());

/**
 * The attack: every ID number consistent with everything a response says — the ID and certificate masks,
 * any full date anywhere in it (else every day of the birth year, else of the years the age allows), the
 * gender's parity, the district, and the check character. One candidate means the mask was undone.
 */
function candidateIds(response: unknown, today: Date): string[] {
  const p = response as { idNumberMasked: string; certNumberMasked: string | null; gender: 'M' | 'F'; birthYear?: number | null; age?: number | null; districtCode: string };
  const json = JSON.stringify(response);
  const mask = p.idNumberMasked;
  const cert = p.certNumberMasked?.slice(0, 18) ?? '*'.repeat(18);
  const known = (i: number) => (mask[i] !== '*' ? mask[i] : cert[i] !== '*' ? cert[i] : null);
  const dates = new Set<string>();
  for (const m of json.matchAll(/(?<![\da-f])(19\d\d|20\d\d)-?([01]\d)-?([0-3]\d)(?![\da-f])/g)) {
    if (!p.birthYear || Number(m[1]) === p.birthYear) dates.add(`${m[1]}${m[2]}${m[3]}`);
  }
  if (dates.size === 0) {
    const years = p.birthYear ? [p.birthYear] : p.age != null ? [today.getUTCFullYear() - p.age - 1, today.getUTCFullYear() - p.age] : [];
    for (const y of years) for (let d = new Date(Date.UTC(y, 0, 1)); d.getUTCFullYear() === y; d.setUTCDate(d.getUTCDate() + 1)) dates.add(d.toISOString().slice(0, 10).replace(/-/g, ''));
  }
  const areas = [0, 1, 2, 3, 4, 5].every((i) => known(i)) ? [[0, 1, 2, 3, 4, 5].map((i) => known(i)).join('')] : [p.districtCode.slice(0, 6)];
  const digits = (i: number) => (known(i) ? [known(i)!] : '0123456789'.split(''));
  const seqs = digits(14).flatMap((a) => digits(15).flatMap((b) => digits(16).map((c) => `${a}${b}${c}`)));
  const out: string[] = [];
  for (const area of areas) {
    for (const date of dates) {
      for (const seq of seqs) {
        const first17 = `${area}${date}${seq}`;
        if ((Number(first17[16]) % 2 === 1 ? 'M' : 'F') !== p.gender) continue;
        const id = first17 + citizenIdCheckChar(first17);
        if ([...id].every((c, i) => known(i) === null || known(i) === c)) out.push(id);
      }
    }
  }
  return out;
}

describe('masks', () => {
  it('when a dispatcher reads 30 persons by search and by record, then no ID number can be rebuilt from any response', async () => {
    const dispatcher = await tokenOf('dispatcher', tree.city);
    const people = await Promise.all(Array.from({ length: 30 }, () => makePerson(ds, tree.community)));
    for (const person of people) {
      const record = await api(t.baseUrl, 'GET', `/api/persons/${person.id}`, dispatcher);
      const search = await api(t.baseUrl, 'GET', `/api/persons?certificate=${person.certNumber}`, dispatcher);
      expect(record.status).toBe(200);
      expect(search.body.items).toHaveLength(1);
      for (const response of [record.body, search.body.items[0]]) {
        const candidates = candidateIds(response, t.clock.now());
        expect(candidates).toContain(person.idNumber); // the attack is sound…
        expect(candidates.length).toBeGreaterThanOrEqual(10); // …and leaves too many to tell
        expect(JSON.stringify(response)).not.toContain(person.record.birthDate!);
      }
    }
  });
});

describe('clear values by role and purpose', () => {
  it('when persons are searched, then no full phone number, contact number or medical note comes back', async () => {
    const agent = await tokenOf('agent', tree.city);
    const person = await makePerson(ds, tree.community);
    const search = await api(t.baseUrl, 'GET', `/api/persons?phone=${encodeURIComponent(person.phone)}`, agent);
    expect(search.body.items.map((p: { id: string }) => p.id)).toEqual([person.id]);
    const json = JSON.stringify(search.body);
    expect(json).not.toContain('e164');
    expect(json).not.toContain(person.phone.slice(3));
    expect(search.body.items[0].phones[0]).toEqual({ id: expect.any(String), masked: expect.stringMatching(/\*{4}/), kind: 'mobile', isPrimary: true });
  });

  it('when the record is read, then phones, contacts and device numbers are masked and the medical notes left out', async () => {
    const agent = await tokenOf('agent', tree.city);
    const sim = randomMobile();
    const person = await makePerson(ds, tree.community, { devices: [{ kind: 'sos_pendant', serial: `PRIV-${Date.now()}`, mode: 'home', armed: true, battery: 90, phoneE164: sim }] });
    const r = await api(t.baseUrl, 'GET', `/api/persons/${person.id}`, agent);
    const json = JSON.stringify(r.body);
    for (const secret of [person.phone, person.record.contacts![0]!.phoneE164, sim, '高血压', person.idNumber, person.record.birthDate!]) expect(json).not.toContain(secret.replace(/^\+86/, ''));
    expect(r.body).toMatchObject({ hasMedicalNotes: true, contacts: [{ id: expect.any(String), phoneMasked: expect.stringMatching(/\*{4}/) }] });
    expect(r.body).not.toHaveProperty('medicalNotes');
  });

  it('when an agent reveals with a purpose, then ID, certificate, birth date, notes and every number come back, audited with the purpose', async () => {
    const agent = await tokenOf('agent', tree.city);
    const person = await makePerson(ds, tree.community);
    const r = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reveal`, agent, { purpose: 'emergency_contact' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      idNumber: person.idNumber, certNumber: person.certNumber, birthDate: person.record.birthDate, medicalNotes: '高血压，服用降压药',
      phones: [{ id: expect.any(String), e164: person.phone, kind: 'mobile' }],
      contacts: [{ id: expect.any(String), phoneE164: person.record.contacts![0]!.phoneE164 }],
      devices: [{ id: expect.any(String), phoneE164: null }],
      changes: [],
    });
    expect(await ds.getRepository(AuditLog).countBy({ subjectId: person.id, action: 'person.reveal', purpose: 'emergency_contact', outcome: 'ok' })).toBe(1);
  });

  it.each([
    [{ reason: '核对一下身份' }],
    [{ purpose: 'curiosity' }],
    [{ purpose: 'other' }],
    [{ purpose: 'other', detail: '看看' }],
    [{ purpose: 'other', detail: 'a\u0000bcdef' }],
  ])('when the reveal is asked with %p, then 400', async (body) => {
    const agent = await tokenOf('agent', tree.city);
    const person = await makePerson(ds, tree.community);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reveal`, agent, body)).status).toBe(400);
  });

  it.each(['dispatcher', 'admin', 'auditor', 'security_admin'] as const)('when a %s asks for a reveal, then 403', async (role) => {
    const token = await tokenOf(role, tree.city);
    const person = await makePerson(ds, tree.community);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reveal`, token, { purpose: 'identity_verification' })).status).toBe(403);
  });
});

describe('reveal limits', () => {
  it('when a user reveals an 11th time within 10 minutes, then 429 with Retry-After, and the refusal is audited', async () => {
    const user = await makeUser(ds, 'agent', tree.city);
    const token = await login(t.baseUrl, user.username);
    const person = await makePerson(ds, tree.community);
    for (let i = 0; i < 10; i++) expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reveal`, token, { purpose: 'service_delivery' })).status).toBe(200);
    const res = await fetch(`${t.baseUrl}/api/persons/${person.id}/reveal`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ purpose: 'service_delivery' }) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('person/reveal-rate-limited');
    expect(await ds.getRepository(AuditLog).countBy({ actorId: user.id, action: 'person.reveal', outcome: 'denied' })).toBe(1);
    t.clock.advance(10 * 60_000 + 1000);
    try {
      expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reveal`, token, { purpose: 'service_delivery' })).status).toBe(200);
    } finally {
      t.clock.advance(-(10 * 60_000 + 1000));
    }
  });

  it('when one user reveals 5 distinct persons within 10 minutes, then security admins are alerted once and a bulk entry names them all', async () => {
    const secAdmin = await connectSocket(t.baseUrl, await tokenOf('security_admin', tree.city));
    const agentSocket = await connectSocket(t.baseUrl, await tokenOf('supervisor', tree.city));
    const alerts: SecurityAlert[] = [];
    const agentAlerts: SecurityAlert[] = [];
    secAdmin.on('security:alert', (a) => alerts.push(a));
    agentSocket.on('security:alert', (a) => agentAlerts.push(a));
    try {
      const user = await makeUser(ds, 'agent', tree.city);
      const token = await login(t.baseUrl, user.username);
      const people = await Promise.all(Array.from({ length: 6 }, () => makePerson(ds, tree.community)));
      for (const p of people) expect((await api(t.baseUrl, 'POST', `/api/persons/${p.id}/reveal`, token, { purpose: 'guardian_request' })).status).toBe(200);
      await until(() => alerts.some((a) => a.actorId === user.id));
      await new Promise((r) => setTimeout(r, 100));
      expect(alerts.filter((a) => a.actorId === user.id)).toEqual([{ kind: 'person.reveal-bulk', actorId: user.id, actorUsername: user.username, persons: 5, windowMinutes: 10, at: expect.any(String) }]);
      expect(agentAlerts).toEqual([]);
      const bulk = await ds.getRepository(AuditLog).findBy({ actorId: user.id, action: 'person.reveal-bulk' });
      expect(bulk).toHaveLength(1);
      expect([...bulk[0]!.subjects].sort()).toEqual(people.slice(0, 5).map((p) => `person:${p.id}`).sort());
    } finally {
      secAdmin.disconnect();
      agentSocket.disconnect();
    }
  });
});

describe('existence oracles', () => {
  it('when an out-of-scope person is read or revealed, then the answer is the very same 404 as for a missing id', async () => {
    const outsider = await tokenOf('agent', tree.otherDistrict);
    const person = await makePerson(ds, tree.community);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, path, body] of [['GET', '', undefined], ['POST', '/reveal', { purpose: 'identity_verification' }]] as const) {
      const there = await api(t.baseUrl, method, `/api/persons/${person.id}${path}`, outsider, body);
      const absent = await api(t.baseUrl, method, `/api/persons/${missing}${path}`, outsider, body);
      expect(there.status).toBe(404);
      expect(absent.status).toBe(404);
      expect(there.body.error.message.replace(person.id, missing)).toBe(absent.body.error.message);
    }
  });

  it('when a scoped agent registers an ID number registered in another district, then 409 tells nothing of the other record, and a flag and an audit entry are written', async () => {
    const outsiderUser = await makeUser(ds, 'agent', tree.otherDistrict);
    const outsider = await login(t.baseUrl, outsiderUser.username);
    const person = await makePerson(ds, tree.community);
    const r = await api(t.baseUrl, 'POST', '/api/persons', outsider, { name: '重复', idNumber: person.idNumber, phones: [{ number: randomMobile() }] });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('person/duplicate');
    expect(r.body.error.details).toBeUndefined();
    const json = JSON.stringify(r.body);
    for (const secret of [person.id, tree.community, person.record.name]) expect(json).not.toContain(secret);
    const [flag] = await ds.query('SELECT existing_person_id, matched_on, attempted_district_code, resolved_at FROM person_duplicate_flag WHERE attempted_by_id = $1', [outsiderUser.id]);
    expect(flag).toEqual({ existing_person_id: person.id, matched_on: 'id_number', attempted_district_code: tree.otherDistrict, resolved_at: null });
    expect(await ds.getRepository(AuditLog).countBy({ actorId: outsiderUser.id, action: 'person.duplicate-flag', subjectId: person.id })).toBe(1);
    // By certificate number too.
    const byCert = await api(t.baseUrl, 'POST', '/api/persons', outsider, { name: '重复', certNumber: person.certNumber, phones: [{ number: randomMobile() }] });
    expect(byCert.status).toBe(409);
    expect(byCert.body.error.details).toBeUndefined();

    // A supervisor whose scope covers both districts sees and resolves the flags; one of either district alone does not.
    const citySup = await tokenOf('supervisor', tree.city);
    const districtSup = await tokenOf('supervisor', tree.otherDistrict);
    const mine = (items: { id: string; attemptedById: string; matchedOn: string }[]) => items.filter((f) => f.attemptedById === outsiderUser.id);
    expect(mine((await api(t.baseUrl, 'GET', '/api/person-duplicate-flags', districtSup)).body.items)).toEqual([]);
    const open = mine((await api(t.baseUrl, 'GET', '/api/person-duplicate-flags', citySup)).body.items);
    expect(open.map((f: { matchedOn: string }) => f.matchedOn).sort()).toEqual(['id_number', 'id_number']); // a certificate embeds the ID number, which is checked first
    expect((await api(t.baseUrl, 'POST', `/api/person-duplicate-flags/${open[0].id}/resolve`, districtSup, { resolution: '已核实为同一人' })).status).toBe(404);
    expect((await api(t.baseUrl, 'POST', `/api/person-duplicate-flags/${open[0].id}/resolve`, citySup, { resolution: '已核实为同一人，户籍迁入' })).status).toBe(204);
    expect((await api(t.baseUrl, 'POST', `/api/person-duplicate-flags/${open[0].id}/resolve`, citySup, { resolution: '再次处理' })).status).toBe(404);
    expect(mine((await api(t.baseUrl, 'GET', '/api/person-duplicate-flags', citySup)).body.items)).toHaveLength(1);
    expect((await api(t.baseUrl, 'GET', '/api/person-duplicate-flags', await tokenOf('admin', tree.city))).status).toBe(403);
  });

  it('when 10 registrations of one ID number arrive at once, then one is created and nine get 409', async () => {
    const agent = await tokenOf('agent', tree.city);
    const idNumber = makeCitizenId('330102', `19${String(40 + Math.floor(Math.random() * 50))}-05-17`, Math.floor(Math.random() * 1000));
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => api(t.baseUrl, 'POST', '/api/persons', agent, { name: `并发${i}`, certNumber: makeCertificateNumber(idNumber, 1, 2), districtCode: tree.community, phones: [{ number: randomMobile() }] })));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const winner = results.find((r) => r.status === 201)!;
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error).toMatchObject({ code: 'person/duplicate', details: { personId: winner.body.id } });
  });
});

describe('click-to-call by id', () => {
  it('when a dispatcher types a number, then 403; by a phone id, the PBX is asked (503 without one)', async () => {
    const dispatcher = await tokenOf('dispatcher', tree.city);
    const person = await makePerson(ds, tree.community);
    expect((await api(t.baseUrl, 'POST', '/api/calls/click-to-call', dispatcher, { number: '13800138000' })).status).toBe(403);
    const record = await api(t.baseUrl, 'GET', `/api/persons/${person.id}`, dispatcher);
    const byPhone = await api(t.baseUrl, 'POST', '/api/calls/click-to-call', dispatcher, { personId: person.id, phoneId: record.body.phones[0].id });
    expect(byPhone.status).toBe(503);
    const byContact = await api(t.baseUrl, 'POST', '/api/calls/click-to-call', dispatcher, { contactId: record.body.contacts[0].id });
    expect(byContact.status).toBe(503);
  });

  it('when the phone or contact belongs to a person out of scope, then 404 before any dialling', async () => {
    const outsider = await tokenOf('agent', tree.otherDistrict);
    const insider = await tokenOf('agent', tree.city);
    const person = await makePerson(ds, tree.community);
    const record = await api(t.baseUrl, 'GET', `/api/persons/${person.id}`, insider);
    expect((await api(t.baseUrl, 'POST', '/api/calls/click-to-call', outsider, { personId: person.id, phoneId: record.body.phones[0].id })).status).toBe(404);
    expect((await api(t.baseUrl, 'POST', '/api/calls/click-to-call', outsider, { contactId: record.body.contacts[0].id })).status).toBe(404);
    const other = await makePerson(ds, tree.community);
    // A phone id of another person under this person's id is refused too.
    expect((await api(t.baseUrl, 'POST', '/api/calls/click-to-call', insider, { personId: other.id, phoneId: record.body.phones[0].id })).status).toBe(404);
  });
});

describe('roles', () => {
  it.each([
    ['admin', 'GET', '/api/persons?q=张', 403],
    ['admin', 'POST', '/api/persons', 403],
    ['admin', 'GET', '/api/calls', 403],
    ['admin', 'GET', '/api/softphone/settings', 403],
    ['admin', 'GET', '/api/agents/presence', 200],
    ['auditor', 'GET', '/api/districts', 200],
    ['auditor', 'GET', '/api/persons?q=张', 403],
    ['auditor', 'GET', '/api/calls', 403],
    ['auditor', 'GET', '/api/softphone/settings', 403],
    ['auditor', 'GET', '/api/agents/presence', 403],
    ['auditor', 'GET', '/api/agents/me/presence', 403],
    ['auditor', 'POST', '/api/calls/click-to-call', 403],
    ['dispatcher', 'GET', '/api/calls', 403],
    ['agent', 'GET', '/api/calls', 200],
  ] as const)('when a %s calls %s %s, then %i', async (role, method, path, status) => {
    const token = await tokenOf(role, tree.city);
    const body = method === 'POST' ? (path === '/api/persons' ? { name: '甲', gender: 'M', phones: [{ number: randomMobile() }] } : { number: '13800138000' }) : undefined;
    expect((await api(t.baseUrl, method, path, token, body)).status).toBe(status);
  });

  it('when an agent lists calls, then the audit entry names every listed person', async () => {
    const user = await makeUser(ds, 'agent', tree.city);
    const token = await login(t.baseUrl, user.username);
    const person = await makePerson(ds, tree.community);
    await ds.query(`INSERT INTO call (call_key, direction, status, from_e164, person_id, offered_at) VALUES ($1, 'inbound', 'ended', $2, $3, now())`, [`test:${person.id}`, person.phone, person.id]);
    const r = await api(t.baseUrl, 'GET', `/api/calls?personId=${person.id}`, token);
    expect(r.body.items[0]).toMatchObject({ personId: person.id, fromMasked: expect.stringMatching(/\*{4}/) });
    const [entry] = await ds.getRepository(AuditLog).findBy({ actorId: user.id, action: 'call.list' });
    expect(entry!.subjects).toEqual([`person:${person.id}`]);
  });
});
