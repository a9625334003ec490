import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { normalizePhone } from '../persons/phone-number';
import { AppError } from '../shared/app-error';
import type { FieldCrypto } from '../shared/field-crypto';
import { REGISTER_FIELDS, REGISTER_HEADERS, type RegisterField } from './register-columns';

const PAGE = 1000;
const CATEGORY = ['', '视力', '听力', '言语', '肢体', '智力', '精神', '多重'];
const LEVEL = ['', '一级', '二级', '三级', '四级'];
const LIVING: Record<string, string> = { alone: '独居', empty_nest: '空巢', with_family: '与家人同住', care_home: '养老机构' };
const RISK: Record<string, string> = { high: '高风险', key: '重点', general: '一般' };
const COMMUNICATION: Record<string, string> = { voice: '语音', sms_only: '仅短信', sign_language_video: '手语视频', via_guardian: '经监护人' };

interface ExportRow {
  id: string;
  name: string;
  gender: 'M' | 'F';
  birth_date: string | null;
  id_number_enc: string | null;
  cert_number_enc: string | null;
  disability_category: number | null;
  disability_level: number | null;
  district_code: string;
  address: string | null;
  living_situation: string | null;
  risk_tier: string;
  communication_need: string;
  dialect: string | null;
  phones: string | null;
  contacts: { name: string; relation: string; phone: string; guardian: boolean }[] | null;
  device: { serial: string; kind: string; phone: string | null } | null;
}

/**
 * Export the register of a district (and the districts under it) to XLSX in the import's own column layout,
 * streamed page by page. The export is a bulk read of full identifiers: it needs a purpose and is audited
 * before the first byte, naming every person it holds.
 */
export class RegisterExport {
  constructor(
    private readonly ds: DataSource,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
  ) {}

  /**
   * The persons an export of `districtCode` would hold, audited; throws district/not-found for a district
   * that does not exist or lies outside the actor's scope (the same answer).
   */
  async prepare(actor: Actor, districtCode: string, purpose: string, ip?: string): Promise<{ count: number; districtName: string }> {
    const [district]: { name: string }[] = await this.ds.query('SELECT name FROM district WHERE code = $1', [districtCode]);
    if (!district || !inScope(actor, districtCode)) throw new AppError('district/not-found', '辖区不存在');
    const ids: { id: string }[] = await this.ds.query('SELECT id FROM person WHERE starts_with(district_code, $1) ORDER BY id', [districtCode]);
    await this.audit.record({
      actorId: actor.userId,
      actorUsername: actor.username,
      action: 'person.export',
      subjectType: 'district',
      subjectId: districtCode,
      subjects: ids.map((r) => ({ type: 'person', id: r.id })),
      purpose,
      outcome: 'ok',
      ip,
    });
    return { count: ids.length, districtName: district.name };
  }

  /** Write the workbook to `out` (call {@link prepare} first). */
  async write(districtCode: string, out: Writable): Promise<void> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const sheet = workbook.addWorksheet('服务对象');
    sheet.addRow(REGISTER_FIELDS.map((f) => REGISTER_HEADERS[f][0])).commit();
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page: ExportRow[] = await this.ds.query(
        `SELECT p.id, p.name, p.gender, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.id_number_enc, p.cert_number_enc,
                p.disability_category, p.disability_level, p.district_code, p.address, p.living_situation, p.risk_tier,
                p.communication_need, p.dialect,
                (SELECT string_agg(ph.e164, ';' ORDER BY ph.e164) FROM phone_number ph WHERE ph.person_id = p.id) AS phones,
                (SELECT json_agg(json_build_object('name', c.name, 'relation', c.relation, 'phone', c.phone_e164, 'guardian', c.is_guardian) ORDER BY c.priority)
                   FROM contact c WHERE c.person_id = p.id) AS contacts,
                (SELECT json_build_object('serial', d.serial, 'kind', d.kind, 'phone', d.phone_e164) FROM device d WHERE d.person_id = p.id ORDER BY d.serial LIMIT 1) AS device
           FROM person p WHERE starts_with(p.district_code, $1) AND p.id > $2 ORDER BY p.id LIMIT ${PAGE}`,
        [districtCode, after],
      );
      for (const row of page) sheet.addRow(REGISTER_FIELDS.map((f) => this.cell(row, f))).commit();
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
    sheet.commit();
    await workbook.commit();
  }

  private cell(row: ExportRow, field: RegisterField): string {
    const national = (e164: string | null | undefined) => (e164 ? normalizePhone(e164)?.national ?? e164 : '');
    const contact = (n: 0 | 1) => row.contacts?.[n];
    switch (field) {
      case 'name': return row.name;
      case 'gender': return row.gender === 'M' ? '男' : '女';
      case 'birthDate': return row.birth_date ?? '';
      case 'idNumber': return row.id_number_enc ? this.crypto.decrypt(row.id_number_enc) : '';
      case 'certNumber': return row.cert_number_enc ? this.crypto.decrypt(row.cert_number_enc) : '';
      case 'disabilityCategory': return CATEGORY[row.disability_category ?? 0] ?? '';
      case 'disabilityLevel': return LEVEL[row.disability_level ?? 0] ?? '';
      case 'districtCode': return row.district_code;
      case 'address': return row.address ?? '';
      case 'livingSituation': return row.living_situation ? LIVING[row.living_situation] ?? '' : '';
      case 'riskTier': return RISK[row.risk_tier] ?? '';
      case 'communicationNeed': return COMMUNICATION[row.communication_need] ?? '';
      case 'dialect': return row.dialect ?? '';
      case 'phones': return (row.phones ?? '').split(';').filter(Boolean).map(national).join(';');
      case 'contact1Name': return contact(0)?.name ?? '';
      case 'contact1Relation': return contact(0)?.relation ?? '';
      case 'contact1Phone': return national(contact(0)?.phone);
      case 'contact1Guardian': return contact(0) ? (contact(0)!.guardian ? '是' : '否') : '';
      case 'contact2Name': return contact(1)?.name ?? '';
      case 'contact2Relation': return contact(1)?.relation ?? '';
      case 'contact2Phone': return national(contact(1)?.phone);
      case 'contact2Guardian': return contact(1) ? (contact(1)!.guardian ? '是' : '否') : '';
      case 'deviceSerial': return row.device?.serial ?? '';
      case 'deviceKind': return row.device?.kind ?? '';
      case 'devicePhone': return national(row.device?.phone);
    }
  }
}
