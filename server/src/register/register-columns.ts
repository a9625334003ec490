import type { CommunicationNeed, LivingSituation, RiskTier } from '../persons/person.entity';
import type { DeviceKind } from '../persons/device.entity';

/**
 * The column layout of a federation's register (残疾人基础数据台账) as Anxin imports it: the headers a
 * 残联 export uses, with the aliases seen in district spreadsheets. `docs/register-import.md` documents it
 * and `docs/register-template.csv` is the template. Pure data and lookups.
 */
export const REGISTER_FIELDS = [
  'name',
  'gender',
  'birthDate',
  'idNumber',
  'certNumber',
  'disabilityCategory',
  'disabilityLevel',
  'districtCode',
  'address',
  'livingSituation',
  'riskTier',
  'communicationNeed',
  'dialect',
  'phones',
  'contact1Name',
  'contact1Relation',
  'contact1Phone',
  'contact1Guardian',
  'contact2Name',
  'contact2Relation',
  'contact2Phone',
  'contact2Guardian',
  'deviceSerial',
  'deviceKind',
  'devicePhone',
] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];

/** The template's header for each field (the first name), then the aliases accepted on import. */
export const REGISTER_HEADERS: Record<RegisterField, readonly string[]> = {
  name: ['姓名'],
  gender: ['性别'],
  birthDate: ['出生日期'],
  idNumber: ['公民身份号码', '身份证号', '身份证号码'],
  certNumber: ['残疾人证号', '残疾证号', '残疾人证号码'],
  disabilityCategory: ['残疾类别'],
  disabilityLevel: ['残疾等级'],
  districtCode: ['辖区代码', '所属社区代码', '区划代码'],
  address: ['居住地址', '现住址', '地址'],
  livingSituation: ['居住情况'],
  riskTier: ['风险等级', '关爱等级'],
  communicationNeed: ['沟通方式'],
  dialect: ['方言'],
  phones: ['联系电话', '本人电话', '电话'],
  contact1Name: ['紧急联系人1姓名', '监护人姓名', '紧急联系人姓名'],
  contact1Relation: ['紧急联系人1关系', '监护人关系', '紧急联系人关系'],
  contact1Phone: ['紧急联系人1电话', '监护人电话', '紧急联系人电话'],
  contact1Guardian: ['紧急联系人1是否监护人'],
  contact2Name: ['紧急联系人2姓名'],
  contact2Relation: ['紧急联系人2关系'],
  contact2Phone: ['紧急联系人2电话'],
  contact2Guardian: ['紧急联系人2是否监护人'],
  deviceSerial: ['设备序列号', '呼叫器序列号'],
  deviceKind: ['设备类型'],
  devicePhone: ['设备号码', '呼叫器号码'],
};

/** Fields a header row must have (the rest may be missing or empty). */
export const REQUIRED_HEADERS: readonly RegisterField[] = ['name', 'districtCode', 'phones'];

const normaliseHeader = (h: string) => h.replace(/[\s*＊（）()]/g, '').replace(/\u3000/g, '');

/**
 * Map a header row to fields. Unknown headers are ignored (a register has many columns Anxin does not keep).
 * @example mapHeaders(['姓名', '身份证号', '备注']) // { fields: Map { 0 => 'name', 1 => 'idNumber' }, missing: ['districtCode', 'phones'], repeated: [] }
 */
export function mapHeaders(headers: readonly string[]): { fields: Map<number, RegisterField>; missing: RegisterField[]; repeated: string[] } {
  const byName = new Map<string, RegisterField>();
  for (const field of REGISTER_FIELDS) for (const h of REGISTER_HEADERS[field]) byName.set(normaliseHeader(h), field);
  const fields = new Map<number, RegisterField>();
  const seen = new Set<RegisterField>();
  const repeated: string[] = [];
  headers.forEach((raw, i) => {
    const field = byName.get(normaliseHeader(raw ?? ''));
    if (!field) return;
    if (seen.has(field)) repeated.push(raw);
    else {
      seen.add(field);
      fields.set(i, field);
    }
  });
  return { fields, missing: REQUIRED_HEADERS.filter((f) => !seen.has(f)), repeated };
}

/** Words a register uses for each stored value (and the stored value itself). */
const DICTIONARIES = {
  gender: { 男: 'M', 女: 'F', M: 'M', F: 'F' } as Record<string, 'M' | 'F'>,
  disabilityCategory: { 视力: 1, 视力残疾: 1, 听力: 2, 听力残疾: 2, 言语: 3, 言语残疾: 3, 肢体: 4, 肢体残疾: 4, 智力: 5, 智力残疾: 5, 精神: 6, 精神残疾: 6, 多重: 7, 多重残疾: 7 } as Record<string, number>,
  disabilityLevel: { 一级: 1, 二级: 2, 三级: 3, 四级: 4 } as Record<string, number>,
  livingSituation: { 独居: 'alone', 空巢: 'empty_nest', 与家人同住: 'with_family', 同住: 'with_family', 养老机构: 'care_home', 机构: 'care_home', alone: 'alone', empty_nest: 'empty_nest', with_family: 'with_family', care_home: 'care_home' } as Record<string, LivingSituation>,
  riskTier: { 高风险: 'high', 重点: 'key', 一般: 'general', high: 'high', key: 'key', general: 'general' } as Record<string, RiskTier>,
  communicationNeed: { 语音: 'voice', 仅短信: 'sms_only', 短信: 'sms_only', 手语视频: 'sign_language_video', 手语: 'sign_language_video', 经监护人: 'via_guardian', 监护人: 'via_guardian', voice: 'voice', sms_only: 'sms_only', sign_language_video: 'sign_language_video', via_guardian: 'via_guardian' } as Record<string, CommunicationNeed>,
  yesNo: { 是: true, 否: false, Y: true, N: false, '1': true, '0': false } as Record<string, boolean>,
  deviceKind: { 一键呼叫器: 'sos_pendant', 'SOS呼叫器': 'sos_pendant', 呼叫器: 'sos_pendant', 跌倒报警器: 'fall_detector', 门磁: 'door_sensor', 烟感: 'smoke_sensor', 燃气报警器: 'gas_sensor', 水浸报警器: 'water_sensor', 健康监测仪: 'health_monitor', sos_pendant: 'sos_pendant', fall_detector: 'fall_detector', door_sensor: 'door_sensor', smoke_sensor: 'smoke_sensor', gas_sensor: 'gas_sensor', water_sensor: 'water_sensor', health_monitor: 'health_monitor' } as Record<string, DeviceKind>,
};
export type Dictionary = keyof typeof DICTIONARIES;

/** Look a cell up in a dictionary; `undefined` when the word is not known. Digits 1–7 / 1–4 pass for category and level. */
export function lookup<D extends Dictionary>(dictionary: D, raw: string): (typeof DICTIONARIES)[D][string] | undefined {
  const word = raw.replace(/\s/g, '');
  const hit = DICTIONARIES[dictionary][word];
  if (hit !== undefined) return hit as (typeof DICTIONARIES)[D][string];
  if ((dictionary === 'disabilityCategory' && /^[1-7]$/.test(word)) || (dictionary === 'disabilityLevel' && /^[1-4]$/.test(word))) return Number(word) as (typeof DICTIONARIES)[D][string];
  return undefined;
}

/** The template's header row, in field order. */
export const TEMPLATE_HEADERS: readonly string[] = REGISTER_FIELDS.map((f) => REGISTER_HEADERS[f][0]!);
