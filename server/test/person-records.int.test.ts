/**
 * Keeping a person's record right (issue 8): profile edit with optimistic concurrency and change history,
 * contacts, phones (shared landline confirmation), devices (and the IVR's SOS list following at once).
 * Real HTTP, real database; assertions on answers and on stored rows.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { makeCitizenId } from '../src/persons/citizen-id';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, randomMobile, startTestApp, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let agent: string;
let agent2: string;
let otherAgent: string;
let supervisor: string;
let admin: string;
let agentName: string;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const a = await makeUser(ds, 'agent', tree.district);
  agentName = a.username;
  agent = await login(t.baseUrl, a.username);
  agent2 = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.district)).username);
  otherAgent = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.otherDistrict)).username);
  supervisor = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.district)).username);
  admin = await login(t.baseUrl, (await makeUser(ds, 'admin', tree.city)).username);
});
afterAll(() => t.close());

const read = (token: string, id: string) => api(t.baseUrl, 'GET', `/api/persons/${id}`, token);
const patch = (token: string, id: string, body: unknown) => api(t.baseUrl, 'PATCH', `/api/persons/${id}`, token, body);

describe('profile edit', () => {
  it('when an agent edits with the version read, then the record changes, the version rises and each field is a history row', async () => {
    const p = await makePerson(ds, tree.community);
    const before = await read(agent, p.id);
    expect(before.body.version).toBe(1);
    const res = await patch(agent, p.id, { version: 1, riskTier: 'key', livingSituation: 'with_family', subDisabilities: [2, 5], address: '新地址 8 号', lat: 30.25, lng: 120.16, communicationNeed: 'sms_only' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, riskTier: 'key', livingSituation: 'with_family', subDisabilities: [2, 5], address: '新地址 8 号', communicationNeed: 'sms_only' });
    const [row] = await ds.query('SELECT risk_tier, version, lat, address FROM person WHERE id = $1', [p.id]);
    expect(row).toEqual({ risk_tier: 'key', version: 2, lat: 30.25, address: '新地址 8 号' });
    const changes: { field: string; old_value: string; new_value: string; actor_username: string; version: number }[] = await ds.query('SELECT field, old_value, new_value, actor_username, version FROM person_change WHERE person_id = $1 ORDER BY field', [p.id]);
    expect(changes.map((c) => c.field)).toEqual(['address', 'communicationNeed', 'lat', 'livingSituation', 'lng', 'riskTier', 'subDisabilities']);
    expect(changes.find((c) => c.field === 'riskTier')).toMatchObject({ old_value: '"high"', new_value: '"key"', actor_username: agentName, version: 2 });
    const [audit] = await ds.query(`SELECT outcome, purpose FROM audit_log WHERE action = 'person.edit' AND subject_id = $1`, [p.id]);
    expect(audit).toMatchObject({ outcome: 'ok', purpose: expect.stringContaining('riskTier') });
  });

  it('when the version comes as If-Match, then it is accepted and the answer carries the new ETag', async () => {
    const p = await makePerson(ds, tree.community);
    const res = await fetch(`${t.baseUrl}/api/persons/${p.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json', 'if-match': '"1"' }, body: JSON.stringify({ dialect: '杭州话' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
  });

  it('when no version is sent, then 400 and nothing changes', async () => {
    const p = await makePerson(ds, tree.community);
    const res = await patch(agent, p.id, { riskTier: 'key' });
    expect(res.status).toBe(400);
    expect((await ds.query('SELECT risk_tier FROM person WHERE id = $1', [p.id]))[0].risk_tier).toBe('high');
  });

  it('when two agents edit from the same version, then the second gets 409 person/version-conflict and the first edit stands', async () => {
    const p = await makePerson(ds, tree.community);
    const first = await patch(agent, p.id, { version: 1, name: '第一位' });
    const second = await patch(agent2, p.id, { version: 1, name: '第二位' });
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'person/version-conflict', details: { currentVersion: 2 } });
    expect((await ds.query('SELECT name, version FROM person WHERE id = $1', [p.id]))[0]).toEqual({ name: '第一位', version: 2 });
  });

  it('when two edits of one version race, then exactly one wins', async () => {
    const p = await makePerson(ds, tree.community);
    const results = await Promise.all([patch(agent, p.id, { version: 1, dialect: '甲' }), patch(agent2, p.id, { version: 1, dialect: '乙' })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await ds.query('SELECT count(*)::int AS n FROM person_change WHERE person_id = $1', [p.id]))[0].n).toBe(1);
  });

  it('when identifiers and notes change, then the history keeps them encrypted and shows them masked like the profile', async () => {
    const p = await makePerson(ds, tree.community);
    const newId = makeCitizenId('330102', p.record.birthDate!, randomInt(0, 1000));
    const res = await patch(agent, p.id, { version: 1, idNumber: newId, certNumber: null, medicalNotes: '新的病历：糖尿病' });
    expect(res.status).toBe(200);
    const raw = JSON.stringify(await ds.query('SELECT old_value, new_value, encrypted FROM person_change WHERE person_id = $1', [p.id]));
    for (const secret of [newId, p.idNumber, '糖尿病', '高血压', p.certNumber]) expect(raw).not.toContain(secret);
    const history = await api(t.baseUrl, 'GET', `/api/persons/${p.id}/changes`, agent);
    expect(history.status).toBe(200);
    const shown = JSON.stringify(history.body);
    for (const secret of [newId, p.idNumber, '糖尿病', '高血压', p.certNumber]) expect(shown).not.toContain(secret);
    const byField = Object.fromEntries(history.body.items.map((i: { field: string }) => [i.field, i]));
    expect(byField.medicalNotes).toMatchObject({ oldValue: '***', newValue: '***', masked: true });
    expect(byField.idNumber.newValue).toBe(res.body.idNumberMasked);
    expect(byField.certNumber.newValue).toBeNull();
    // The reveal still gives the current values in full.
    const revealed = await api(t.baseUrl, 'POST', `/api/persons/${p.id}/reveal`, agent, { purpose: 'identity_verification' });
    expect(revealed.body).toMatchObject({ idNumber: newId, medicalNotes: '新的病历：糖尿病', certNumber: null });
    // The same audited reveal shows the history's values in full.
    const full = Object.fromEntries(revealed.body.changes.map((c: { id: string }) => [c.id, c]));
    expect(full[byField.idNumber.id]).toEqual({ id: byField.idNumber.id, oldValue: p.idNumber, newValue: newId });
    expect(full[byField.medicalNotes.id]).toMatchObject({ oldValue: '高血压，服用降压药', newValue: '新的病历：糖尿病' });
    expect(full[byField.certNumber.id]).toMatchObject({ oldValue: p.certNumber, newValue: null });
  });

  it('when the new ID number says another gender, then the gender follows unless the editor contradicts it', async () => {
    const p = await makePerson(ds, tree.community);
    const other = makeCitizenId('330102', p.record.birthDate!, p.record.gender === 'M' ? 2 : 1); // sequence parity flips the gender
    const contradiction = await patch(agent, p.id, { version: 1, idNumber: other, certNumber: null, gender: p.record.gender });
    expect(contradiction.status).toBe(400);
    const ok = await patch(agent, p.id, { version: 1, idNumber: other, certNumber: null });
    expect(ok.status).toBe(200);
    expect(ok.body.gender).not.toBe(p.record.gender);
  });

  it("when the new ID number is another person's, then 409 person/duplicate and nothing changes", async () => {
    const a = await makePerson(ds, tree.community);
    const b = await makePerson(ds, tree.community);
    const res = await patch(agent, a.id, { version: 1, idNumber: b.idNumber, certNumber: null, gender: b.record.gender, birthDate: b.record.birthDate });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('person/duplicate');
    expect((await ds.query('SELECT version FROM person WHERE id = $1', [a.id]))[0].version).toBe(1);
  });

  it.each([
    ['an agent of another district', () => otherAgent],
  ])('when %s edits, then 404 exactly like a missing id, and the attempt is audited as denied', async (_who, token) => {
    const p = await makePerson(ds, tree.community);
    const res = await patch(token(), p.id, { version: 1, riskTier: 'key' });
    const missing = await patch(token(), randomUUID(), { version: 1, riskTier: 'key' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(missing.body.error ? { error: { ...missing.body.error, message: res.body.error.message } } : missing.body);
    expect((await ds.query(`SELECT outcome FROM audit_log WHERE action = 'person.edit' AND subject_id = $1`, [p.id]))[0]).toEqual({ outcome: 'denied' });
    expect((await ds.query('SELECT risk_tier FROM person WHERE id = $1', [p.id]))[0].risk_tier).toBe('high');
  });

  it('when an admin tries to edit or read the history, then 403 (the admin reads no personal data)', async () => {
    const p = await makePerson(ds, tree.community);
    expect((await patch(admin, p.id, { version: 1, riskTier: 'key' })).status).toBe(403);
    expect((await api(t.baseUrl, 'GET', `/api/persons/${p.id}/changes`, admin)).status).toBe(403);
  });
});

describe('contacts', () => {
  it('when contacts are added, edited, reordered and removed, then the stored order, numbers and history follow', async () => {
    const p = await makePerson(ds, tree.community);
    const [first] = (await read(agent, p.id)).body.contacts;
    const phone = randomMobile();
    const added = await api(t.baseUrl, 'POST', `/api/persons/${p.id}/contacts`, agent, { name: '王邻居', relation: '邻居', phone: phone.replace('+86', ''), notifyOnEmergency: false });
    expect(added.status).toBe(201);
    const second = added.body.contacts.find((c: { name: string }) => c.name === '王邻居');
    expect(second).toMatchObject({ priority: 2, notifyOnEmergency: false, isGuardian: false });
    expect((await ds.query('SELECT count(*)::int AS n FROM phone_number WHERE contact_id = $1 AND e164 = $2', [second.id, phone]))[0].n).toBe(1);

    const newPhone = randomMobile();
    const edited = await api(t.baseUrl, 'PATCH', `/api/persons/${p.id}/contacts/${second.id}`, agent, { notifyOnEmergency: true, phone: newPhone });
    expect(edited.status).toBe(200);
    expect((await ds.query('SELECT notify_on_emergency, phone_e164 FROM contact WHERE id = $1', [second.id]))[0]).toEqual({ notify_on_emergency: true, phone_e164: newPhone });
    expect((await ds.query('SELECT e164 FROM phone_number WHERE contact_id = $1', [second.id]))[0].e164).toBe(newPhone);

    const reordered = await api(t.baseUrl, 'PUT', `/api/persons/${p.id}/contacts/order`, agent, { ids: [second.id, first.id] });
    expect(reordered.status).toBe(200);
    expect(reordered.body.contacts.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);

    const bad = await api(t.baseUrl, 'PUT', `/api/persons/${p.id}/contacts/order`, agent, { ids: [second.id] });
    expect(bad.status).toBe(400);

    const removed = await api(t.baseUrl, 'DELETE', `/api/persons/${p.id}/contacts/${second.id}`, agent);
    expect(removed.status).toBe(200);
    expect(removed.body.contacts).toEqual([expect.objectContaining({ id: first.id, priority: 1 })]);
    expect((await ds.query('SELECT count(*)::int AS n FROM phone_number WHERE e164 = $1', [newPhone]))[0].n).toBe(0);

    const fields: { field: string }[] = await ds.query('SELECT field FROM person_change WHERE person_id = $1', [p.id]);
    expect(fields.map((f) => f.field).sort()).toEqual(['contact', 'contact', 'contact', 'contactOrder']);
    const history = await api(t.baseUrl, 'GET', `/api/persons/${p.id}/changes`, agent);
    expect(JSON.stringify(history.body)).not.toContain(newPhone.slice(3));
  });

  it("when a contact id is another person's, then 404 contact/not-found and it is untouched", async () => {
    const a = await makePerson(ds, tree.community);
    const b = await makePerson(ds, tree.community);
    const theirs = (await read(agent, b.id)).body.contacts[0];
    const res = await api(t.baseUrl, 'DELETE', `/api/persons/${a.id}/contacts/${theirs.id}`, agent);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('contact/not-found');
    expect((await ds.query('SELECT count(*)::int AS n FROM contact WHERE id = $1', [theirs.id]))[0].n).toBe(1);
  });
});

describe('phones', () => {
  it("when a number is another person's, then it needs a confirmation; confirmed, both own it", async () => {
    const a = await makePerson(ds, tree.community);
    const b = await makePerson(ds, tree.otherDistrict);
    const landline = `+8657188${String(randomInt(100000, 999999))}`;
    await ds.query(`INSERT INTO phone_number (e164, kind, person_id) VALUES ($1, 'landline', $2)`, [landline, b.id]);
    const refused = await api(t.baseUrl, 'POST', `/api/persons/${a.id}/phones`, agent, { number: `0571-88${landline.slice(-6)}` });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'person/phone-shared', details: { sharedWith: 1 } });
    expect(JSON.stringify(refused.body)).not.toContain(b.id); // out of scope: not named
    const added = await api(t.baseUrl, 'POST', `/api/persons/${a.id}/phones`, agent, { number: `0571-88${landline.slice(-6)}`, confirmShared: true });
    expect(added.status).toBe(201);
    expect(added.body.phones).toContainEqual(expect.objectContaining({ kind: 'landline', isPrimary: false }));
    const owners: { person_id: string }[] = await ds.query('SELECT person_id FROM phone_number WHERE e164 = $1 ORDER BY person_id', [landline]);
    expect(owners.map((o) => o.person_id).sort()).toEqual([a.id, b.id].sort());
    const again = await api(t.baseUrl, 'POST', `/api/persons/${a.id}/phones`, agent, { number: landline, confirmShared: true });
    expect(again.status).toBe(409);
  });

  it('when another number is marked primary or the primary is removed, then exactly one primary remains', async () => {
    const p = await makePerson(ds, tree.community);
    const added = await api(t.baseUrl, 'POST', `/api/persons/${p.id}/phones`, agent, { number: randomMobile() });
    expect(added.status).toBe(201);
    const second = added.body.phones.find((x: { isPrimary: boolean }) => !x.isPrimary) ?? added.body.phones[1];
    const marked = await api(t.baseUrl, 'POST', `/api/persons/${p.id}/phones/${second.id}/primary`, agent);
    expect(marked.status).toBe(200);
    expect(marked.body.phones[0]).toMatchObject({ id: second.id, isPrimary: true });
    expect((await ds.query('SELECT count(*)::int AS n FROM phone_number WHERE person_id = $1 AND is_primary', [p.id]))[0].n).toBe(1);
    const removed = await api(t.baseUrl, 'DELETE', `/api/persons/${p.id}/phones/${second.id}`, agent);
    expect(removed.status).toBe(200);
    expect(removed.body.phones).toEqual([expect.objectContaining({ isPrimary: true })]);
    expect((await api(t.baseUrl, 'DELETE', `/api/persons/${p.id}/phones/${second.id}`, agent)).body.error.code).toBe('phone/not-found');
  });

  it('when the number is no callable number, then 400', async () => {
    const p = await makePerson(ds, tree.community);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${p.id}/phones`, agent, { number: '12345' })).status).toBe(400);
  });
});

describe('devices', () => {
  const ivr = async (path: string) => {
    const res = await fetch(`${t.baseUrl}${path}`);
    return { status: res.status, text: await res.text() };
  };

  it('when a calling pendant is registered, then the IVR lookup and the AstDB list know it at once; retired, they forget it', async () => {
    const p = await makePerson(ds, tree.community, { devices: [] });
    const sim = randomMobile();
    const serial = `PD-${randomInt(1e8, 1e9)}`;
    expect((await ivr(`/ivr/lookup?number=${sim.slice(3)}`)).text).toBe('unknown');
    const reg = await api(t.baseUrl, 'POST', `/api/persons/${p.id}/devices`, agent, { kind: 'sos_pendant', serial, model: 'AX-1', phone: sim.slice(3) });
    expect(reg.status).toBe(201);
    const device = reg.body.devices.find((d: { serial: string }) => d.serial === serial);
    expect(device).toMatchObject({ model: 'AX-1', mode: 'home', armed: true, retiredAt: null });
    expect((await ivr(`/ivr/lookup?number=${sim.slice(3)}`)).text).toBe(`sos:${serial}`);
    expect((await ivr('/ivr/sos-devices')).text).toContain(`database put sos ${sim.slice(3)} ${serial}\n`);

    const modes = await api(t.baseUrl, 'PATCH', `/api/persons/${p.id}/devices/${device.id}`, agent, { mode: 'sleep', armed: false });
    expect(modes.status).toBe(200);
    expect((await ds.query('SELECT mode, armed FROM device WHERE id = $1', [device.id]))[0]).toEqual({ mode: 'sleep', armed: false });

    const key = await api(t.baseUrl, 'POST', `/api/devices/${device.id}/alarm-key`, supervisor);
    expect(key.status).toBe(201);
    expect(key.body.key).toHaveLength(43);

    const retired = await api(t.baseUrl, 'POST', `/api/persons/${p.id}/devices/${device.id}/retire`, agent);
    expect(retired.status).toBe(200);
    expect((await ds.query('SELECT retired_at IS NOT NULL AS retired, armed FROM device WHERE id = $1', [device.id]))[0]).toEqual({ retired: true, armed: false });
    expect((await ivr(`/ivr/lookup?number=${sim.slice(3)}`)).text).toBe('unknown');
    expect((await ivr('/ivr/sos-devices')).text).not.toContain(serial);
    expect((await api(t.baseUrl, 'PATCH', `/api/persons/${p.id}/devices/${device.id}`, agent, { armed: true })).body.error.code).toBe('device/retired');
    expect((await api(t.baseUrl, 'POST', `/api/devices/${device.id}/alarm-key`, supervisor)).body.error.code).toBe('device/retired');
    const history: { field: string }[] = await ds.query(`SELECT field FROM person_change WHERE person_id = $1`, [p.id]);
    expect(history.filter((h) => h.field === 'device')).toHaveLength(3);
  });

  it('when the AstDB list is asked through a proxy (a forwarding header), then 403 and no list', async () => {
    const res = await fetch(`${t.baseUrl}/ivr/sos-devices`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('database put');
  });

  it('when a serial is already registered, then 409 device/serial-taken', async () => {
    const p = await makePerson(ds, tree.community);
    const serial = p.record.devices![0].serial;
    const res = await api(t.baseUrl, 'POST', `/api/persons/${p.id}/devices`, agent, { kind: 'door_sensor', serial });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('device/serial-taken');
  });

  it("when a device id is another person's or out of scope, then 404", async () => {
    const a = await makePerson(ds, tree.community);
    const b = await makePerson(ds, tree.community);
    const theirs = (await read(agent, b.id)).body.devices[0];
    expect((await api(t.baseUrl, 'POST', `/api/persons/${a.id}/devices/${theirs.id}/retire`, agent)).status).toBe(404);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${b.id}/devices/${theirs.id}/retire`, otherAgent)).status).toBe(404);
    expect((await ds.query('SELECT retired_at FROM device WHERE id = $1', [theirs.id]))[0].retired_at).toBeNull();
  });
});
