/**
 * Import and export of the persons register (issue 8): a dry run lists row errors and writes nothing, a real
 * run writes every row or none, a job interrupted by a crash resumes from its file, the export is audited per
 * person, and only the roles that may touch the register reach it.
 */
import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../src/audit/audit-log.entity';
import { makeCitizenId } from '../src/persons/citizen-id';
import { makeCertificateNumber } from '../src/persons/disability-certificate';
import { TEMPLATE_HEADERS } from '../src/register/register-columns';
import { RegisterImport } from '../src/register/register-import.entity';
import type { RegisterImportView } from '../src/register/register.routes';
import { fieldCryptoFromSecret } from '../src/shared/crypto-from-config';
import { api, login, makeDistricts, makeUser, startTestApp, TEST_DATA_KEY, type RunningApp } from './support/test-app';

const CSV = 'text/csv; charset=utf-8';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let supervisor: string;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  supervisor = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.district)).username);
  admin = await login(t.baseUrl, (await makeUser(ds, 'admin', tree.city)).username);
});
afterAll(() => t.close());

/** A register line with fresh identifiers (area 4-digit prefix of the tree, a random birth date and sequence). */
function personLine(over: Partial<Record<string, string>> = {}): Record<string, string> {
  const birth = `19${randomInt(30, 99)}-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(1, 29)).padStart(2, '0')}`;
  const area = `${['11', '31', '33', '44', '51'][randomInt(0, 5)]}${String(randomInt(0, 9999)).padStart(4, '0')}`;
  const id = makeCitizenId(area, birth, randomInt(0, 1000));
  return {
    姓名: `导入${randomInt(1000, 9999)}`,
    性别: Number(id[16]) % 2 === 1 ? '男' : '女',
    出生日期: birth,
    公民身份号码: id,
    残疾人证号: makeCertificateNumber(id, 4, 2),
    残疾类别: '肢体',
    残疾等级: '二级',
    辖区代码: tree.community,
    居住地址: '测试路 8 号',
    居住情况: '独居',
    风险等级: '高风险',
    沟通方式: '语音',
    联系电话: `199${String(randomInt(0, 99_999_999)).padStart(8, '0')}`,
    紧急联系人1姓名: '王女儿',
    紧急联系人1关系: '女儿',
    紧急联系人1电话: `199${String(randomInt(0, 99_999_999)).padStart(8, '0')}`,
    紧急联系人1是否监护人: '是',
    设备序列号: `IMP-${randomInt(1e8, 1e9)}`,
    设备类型: '一键呼叫器',
    ...over,
  };
}

const csvOf = (lines: Record<string, string>[]) =>
  `\ufeff${TEMPLATE_HEADERS.join(',')}\r\n${lines.map((l) => TEMPLATE_HEADERS.map((h) => `"${(l[h] ?? '').replace(/"/g, '""')}"`).join(',')).join('\r\n')}\r\n`;

async function upload(token: string, body: string | Uint8Array, mode: 'dry-run' | 'commit', type = CSV): Promise<{ status: number; body: RegisterImportView }> {
  const res = await fetch(`${t.baseUrl}/api/register/imports?mode=${mode}&fileName=test.csv`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: body as BodyInit });
  return { status: res.status, body: (await res.json()) as RegisterImportView };
}

async function finished(token: string, id: string): Promise<RegisterImportView> {
  await t.app.services.registerImports.idle();
  const r = await api<RegisterImportView>(t.baseUrl, 'GET', `/api/register/imports/${id}`, token);
  expect(r.status).toBe(200);
  return r.body;
}

const personsNamed = async (names: string[]) => Number((await ds.query('SELECT count(*)::int AS n FROM person WHERE name = ANY($1)', [names]))[0].n);

describe('a dry run', () => {
  it('when a file mixes good and bad rows, then every bad row is listed by line, field and code, without the cell values, and nothing is written', async () => {
    const good = personLine();
    const badId = personLine({ 公民身份号码: '330102195001011234' });
    const badCert = personLine();
    badCert.残疾人证号 = makeCertificateNumber(badCert.公民身份号码!, 4, 3); // the level in the certificate says 三级
    const unknownDistrict = personLine({ 辖区代码: '999999999999' });
    const badPhone = personLine({ 联系电话: '12345' });
    const twin: Record<string, string> = { ...personLine(), 公民身份号码: good.公民身份号码!, 残疾人证号: good.残疾人证号!, 性别: good.性别!, 出生日期: good.出生日期! };
    const nul = personLine({ 居住地址: 'a\u0000b' });
    const lines = [good, badId, badCert, unknownDistrict, badPhone, twin, nul];
    const up = await upload(supervisor, csvOf(lines), 'dry-run');
    expect(up.status).toBe(202);
    const job = await finished(supervisor, up.body.id);
    expect(job).toMatchObject({ status: 'done', outcome: 'rejected', rowsRead: 7, rowsValid: 1, errorCount: 7, personsWritten: 0 });
    expect(job.errors).toEqual([
      { row: 3, field: 'idNumber', code: 'id-number' },
      { row: 4, field: 'certNumber', code: 'identity-mismatch' },
      { row: 5, field: 'districtCode', code: 'district-unknown' },
      { row: 6, field: 'phones', code: 'phone' },
      { row: 7, field: 'idNumber', code: 'duplicate-in-file' },
      { row: 7, field: 'certNumber', code: 'duplicate-in-file' },
      { row: 8, field: 'address', code: 'control-characters' },
    ].map((e) => expect.objectContaining(e)));
    const stored = JSON.stringify(await ds.getRepository(RegisterImport).findOneByOrFail({ id: job.id }));
    expect(stored).not.toContain(good.公民身份号码);
    expect(stored).not.toContain('330102195001011234');
    expect(await personsNamed(lines.map((l) => l.姓名!))).toBe(0);
  });

  it('when the file is clean, then the dry run says how many rows would be imported and still writes nothing', async () => {
    const lines = [personLine(), personLine()];
    const job = await finished(supervisor, (await upload(supervisor, csvOf(lines), 'dry-run')).body.id);
    expect(job).toMatchObject({ status: 'done', outcome: 'checked', rowsRead: 2, rowsValid: 2, errorCount: 0, personsWritten: 0 });
    expect(await personsNamed(lines.map((l) => l.姓名!))).toBe(0);
  });

  it('when the header lacks a required column, then the job names the missing columns', async () => {
    const job = await finished(supervisor, (await upload(supervisor, '\ufeff姓名,性别\r\n张三,男\r\n', 'dry-run')).body.id);
    expect(job.outcome).toBe('rejected');
    expect(job.errors.map((e) => e.field)).toEqual(['districtCode', 'phones']);
  });
});

describe('a real run', () => {
  it('when one row of many is bad, then no row is written', async () => {
    const lines = [personLine(), personLine(), personLine({ 性别: '未知' })];
    const job = await finished(supervisor, (await upload(supervisor, csvOf(lines), 'commit')).body.id);
    expect(job).toMatchObject({ outcome: 'rejected', errorCount: 1, personsWritten: 0 });
    expect(job.errors[0]).toMatchObject({ row: 4, field: 'gender', code: 'bad-value' });
    expect(await personsNamed(lines.map((l) => l.姓名!))).toBe(0);
  });

  it('when the file is clean, then every person is written with identifiers encrypted, phones, contacts and device, and the import is audited', async () => {
    const lines = [personLine(), personLine({ 紧急联系人1姓名: '', 紧急联系人1关系: '', 紧急联系人1电话: '', 紧急联系人1是否监护人: '', 设备序列号: '', 设备类型: '' })];
    const job = await finished(supervisor, (await upload(supervisor, csvOf(lines), 'commit')).body.id);
    expect(job).toMatchObject({ status: 'done', outcome: 'imported', personsWritten: 2, errorCount: 0 });
    const crypto = fieldCryptoFromSecret(TEST_DATA_KEY);
    const [p] = await ds.query(`SELECT * FROM person WHERE id_number_hash = $1`, [crypto.hash(lines[0]!.公民身份号码!)]);
    expect(p).toMatchObject({ name: lines[0]!.姓名, district_code: tree.community, risk_tier: 'high', living_situation: 'alone', disability_category: 4, disability_level: 2 });
    expect(p.id_number_enc).not.toContain(lines[0]!.公民身份号码);
    expect(crypto.decrypt(p.id_number_enc)).toBe(lines[0]!.公民身份号码);
    expect(await ds.query('SELECT e164, kind FROM phone_number WHERE person_id = $1', [p.id])).toEqual([{ e164: `+86${lines[0]!.联系电话}`, kind: 'mobile' }]);
    const [contact] = await ds.query('SELECT c.name, c.is_guardian, c.priority, ph.e164 FROM contact c JOIN phone_number ph ON ph.contact_id = c.id WHERE c.person_id = $1', [p.id]);
    expect(contact).toEqual({ name: '王女儿', is_guardian: true, priority: 1, e164: `+86${lines[0]!.紧急联系人1电话}` });
    expect(await ds.query('SELECT serial, kind FROM device WHERE person_id = $1', [p.id])).toEqual([{ serial: lines[0]!.设备序列号, kind: 'sos_pendant' }]);
    expect(await ds.getRepository(AuditLog).countBy({ action: 'person.import', subjectId: job.id, outcome: 'ok' })).toBe(1);
    expect(Number((await ds.query('SELECT count(*)::int AS n FROM register_import_row WHERE import_id = $1', [job.id]))[0].n)).toBe(0);
  });

  it('when a row repeats a person already in the register, then the run is rejected naming the row', async () => {
    const first = personLine();
    await finished(supervisor, (await upload(supervisor, csvOf([first]), 'commit')).body.id);
    const again = await finished(supervisor, (await upload(supervisor, csvOf([personLine(), { ...first, 姓名: '重复', 设备序列号: '', 设备类型: '' }]), 'commit')).body.id);
    expect(again).toMatchObject({ outcome: 'rejected', personsWritten: 0 });
    expect(again.errors).toEqual([expect.objectContaining({ row: 3, field: 'idNumber', code: 'duplicate-in-database' }), expect.objectContaining({ row: 3, field: 'certNumber', code: 'duplicate-in-database' })]);
  });

  it('when the file is an XLSX workbook with a date cell, then it imports like the CSV', async () => {
    const line = personLine();
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('台账');
    sheet.addRow([...TEMPLATE_HEADERS]);
    sheet.addRow(TEMPLATE_HEADERS.map((h) => (h === '出生日期' ? new Date(`${line[h]}T00:00:00Z`) : line[h] ?? '')));
    const job = await finished(admin, (await upload(admin, new Uint8Array(await wb.xlsx.writeBuffer()), 'commit', XLSX)).body.id);
    expect(job).toMatchObject({ outcome: 'imported', personsWritten: 1 });
    expect(await personsNamed([line.姓名!])).toBe(1);
  });

  it('when a job was left open by a process that died, then the next start runs it again from its file', async () => {
    const lines = [personLine(), personLine()];
    // As a crash right after the upload was answered leaves it: the job row queued, its file on disk.
    const id = randomUUID();
    const dir = path.join(os.tmpdir(), `anxin-test-data-${process.pid}`, 'imports');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${id}.csv`), csvOf(lines));
    const [user] = await ds.query(`SELECT id, username FROM staff_user WHERE role = 'supervisor' AND district_code = $1 LIMIT 1`, [tree.district]);
    await ds.getRepository(RegisterImport).insert({ id, actor: { userId: user.id, username: user.username, scopePrefix: tree.district }, fileName: 'crash.csv', format: 'csv', fileBytes: '1', mode: 'commit', status: 'checking' });
    const restarted = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
    try {
      await new Promise((r) => setTimeout(r, 50)); // start() queues the open jobs without waiting for them
      await restarted.app.services.registerImports.idle();
      expect(await ds.getRepository(RegisterImport).findOneByOrFail({ id })).toMatchObject({ status: 'done', outcome: 'imported', personsWritten: 2 });
      expect(await personsNamed(lines.map((l) => l.姓名!))).toBe(2);
      expect(fs.existsSync(path.join(dir, `${id}.csv`))).toBe(false);
    } finally {
      await restarted.close();
    }
  });
});

describe('who may', () => {
  it('when an agent uploads, then 403; when another supervisor asks for a job, then 404 like a missing one', async () => {
    const agent = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.district)).username);
    expect((await upload(agent, csvOf([personLine()]), 'dry-run')).status).toBe(403);
    const job = (await upload(supervisor, csvOf([personLine()]), 'dry-run')).body;
    await t.app.services.registerImports.idle();
    const other = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.district)).username);
    const r = await api(t.baseUrl, 'GET', `/api/register/imports/${job.id}`, other);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('import/not-found');
  });

  it('when a supervisor of one district imports rows of another, then those rows are unknown districts', async () => {
    const job = await finished(supervisor, (await upload(supervisor, csvOf([personLine({ 辖区代码: tree.otherDistrict })]), 'dry-run')).body.id);
    expect(job.errors).toEqual([expect.objectContaining({ field: 'districtCode', code: 'district-unknown' })]);
  });

  it('when the upload is neither CSV nor XLSX, then 415 with a reason', async () => {
    const r = await upload(supervisor, '{"a":1}', 'dry-run', 'application/json');
    expect(r.status).toBe(415);
    expect((r.body as unknown as { error: { code: string } }).error.code).toBe('import/unsupported-format');
  });
});

describe('the export', () => {
  it('when a supervisor exports their district with a purpose, then the workbook holds the full register and the read is audited with every person', async () => {
    const line = personLine();
    await finished(supervisor, (await upload(supervisor, csvOf([line]), 'commit')).body.id);
    const res = await fetch(`${t.baseUrl}/api/register/export.xlsx?district=${tree.district}&purpose=${encodeURIComponent('年度核查')}`, { headers: { authorization: `Bearer ${supervisor}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((row) => rows.push((row.values as string[]).slice(1)));
    expect(rows[0]).toEqual([...TEMPLATE_HEADERS]);
    const mine = rows.find((r) => r[3] === line.公民身份号码);
    expect(mine?.slice(0, 3)).toEqual([line.姓名, line.性别, line.出生日期]);
    const [entry] = await ds.getRepository(AuditLog).find({ where: { action: 'person.export', subjectId: tree.district }, order: { id: 'DESC' }, take: 1 });
    expect(entry).toMatchObject({ purpose: '年度核查', outcome: 'ok' });
    const [p] = await ds.query('SELECT id FROM person WHERE name = $1', [line.姓名]);
    expect(entry!.subjects).toContain(`person:${p.id}`);
    expect(entry!.subjects.length).toBe(rows.length - 1 + 1); // every exported person and the district itself
  });

  it('when the district is outside the scope, then 404 like a missing one; an admin may not export; no purpose is 400', async () => {
    const outside = await api(t.baseUrl, 'GET', `/api/register/export.xlsx?district=${tree.otherDistrict}&purpose=${encodeURIComponent('核查')}`, supervisor);
    const missing = await api(t.baseUrl, 'GET', `/api/register/export.xlsx?district=999999&purpose=${encodeURIComponent('核查')}`, supervisor);
    expect([outside.status, outside.body.error.code]).toEqual([404, 'district/not-found']);
    expect(missing.body).toEqual(outside.body);
    expect((await api(t.baseUrl, 'GET', `/api/register/export.xlsx?district=${tree.district}&purpose=x1`, admin)).status).toBe(403);
    expect((await api(t.baseUrl, 'GET', `/api/register/export.xlsx?district=${tree.district}`, supervisor)).status).toBe(400);
  });
});
