/**
 * The bad-input suite: property-based (fast-check) requests to EVERY HTTP route — listed from the running
 * app's router stack, so a new route is covered without touching this file — and to every socket command a
 * connected socket has, with hostile query strings, path parameters, bodies and payloads (control
 * characters, lone surrogates, huge numbers, wrong types, arrays for scalars, deep objects, long strings,
 * bad UUIDs, broken percent-encoding), as every role and unauthenticated.
 *
 * What must hold: never a 5xx, every JSON 4xx carries `error.code`, the server keeps answering
 * `/api/health` and sockets keep working. Bounded: BAD_INPUT_RUNS runs per route (default 30) with a fixed
 * seed (BAD_INPUT_SEED); a failure prints the seed and the request that broke it.
 */
import fc from 'fast-check';
import twilio from 'twilio';
import type { DataSource } from 'typeorm';
import { fieldCryptoFromSecret } from '../src/shared/crypto-from-config';
import type { StaffRole } from '../src/staff/staff-user.entity';
import { makeAlarmDevices, postAlarm, type AlarmDevice } from './support/alarm-devices';
import { signAlarm } from '../src/sos/alarm-signature';
import { mutate, nastyBody, nastyQuery, nastySegment, nastyString, nastyValue, percentEncode, rawBody } from './support/bad-input';
import { makePerson } from './support/factories';
import { api, connectSocket, login, makeDistricts, makeUser, startTestApp, TEST_DATA_KEY, type RunningApp, type TestSocket } from './support/test-app';

const SEED = Number(process.env.BAD_INPUT_SEED ?? 20261201);
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 40);
const TWILIO_TOKEN = 'twilio-bad-input-token-0001';
const PUBLIC = 'https://anxin.example.org';
const ROLES = ['agent', 'dispatcher', 'supervisor', 'admin', 'security_admin', 'auditor'] as const satisfies readonly StaffRole[];

/**
 * How the suite authenticates for each route. A route the app has but this table lacks fails the suite:
 * add it here (and a row to authorization-matrix.int.test.ts).
 */
const AUTH: Record<string, 'public' | 'session' | 'device' | 'twilio'> = {
  'GET /': 'public',
  'GET /api/health': 'public',
  'GET /f/:token': 'public',
  'GET /v/:token': 'public',
  'POST /api/auth/login': 'public',
  'GET /ivr/lookup': 'public',
  'POST /api/alarms': 'device',
  'POST /twilio/voice': 'twilio',
  'POST /twilio/gather': 'twilio',
  'POST /twilio/sms': 'twilio',
  'POST /api/auth/logout': 'session',
  'GET /api/auth/me': 'session',
  'GET /api/persons': 'session',
  'POST /api/persons': 'session',
  'GET /api/persons/:id': 'session',
  'POST /api/persons/:id/reveal': 'session',
  'GET /api/tickets': 'session',
  'POST /api/tickets': 'session',
  'GET /api/tickets/:id': 'session',
  'POST /api/tickets/:id/transitions': 'session',
  'POST /api/tickets/:id/notes': 'session',
  'POST /api/tickets/:id/calls': 'session',
  'GET /api/calls': 'session',
  'POST /api/calls/click-to-call': 'session',
  'GET /api/agents/me/presence': 'session',
  'PUT /api/agents/me/presence': 'session',
  'GET /api/agents/presence': 'session',
  'GET /api/softphone/settings': 'session',
  'GET /api/districts': 'session',
  'GET /api/sos': 'session',
  'GET /api/sos/:id': 'session',
  'POST /api/sos/:id/acknowledge': 'session',
  'POST /api/sos/:id/resolve': 'session',
  'POST /api/sos/:id/false-alarm': 'session',
  'POST /api/devices/:id/alarm-key': 'session',
  'GET /api/audit': 'session',
  'POST /api/audit/verify': 'session',
  'GET /api/audit/export.csv': 'session',
  'POST /api/auth/password': 'session',
  'GET /api/person-duplicate-flags': 'session',
  'POST /api/person-duplicate-flags/:id/resolve': 'session',
  'POST /api/register/imports': 'session',
  'GET /api/register/imports': 'session',
  'GET /api/register/imports/:id': 'session',
  'GET /api/register/template.csv': 'session',
  'GET /api/register/export.xlsx': 'session',
  // Staff administration (security admin) and one's own second factor.
  'POST /api/auth/totp/enrolment': 'session',
  'POST /api/auth/totp/confirm': 'session',
  'POST /api/auth/totp/recovery-codes': 'session',
  'GET /api/staff': 'session',
  'POST /api/staff': 'session',
  'GET /api/staff/:id': 'session',
  'PATCH /api/staff/:id': 'session',
  'POST /api/staff/:id/deactivate': 'session',
  'POST /api/staff/:id/activate': 'session',
  'POST /api/staff/:id/unlock': 'session',
  'POST /api/staff/:id/reset-password': 'session',
  'POST /api/staff/:id/reset-totp': 'session',
  // Person records (issue 8: profile edit, history, contacts, phones, devices) and the AstDB list.
  'PATCH /api/persons/:id': 'session',
  'GET /api/persons/:id/changes': 'session',
  'POST /api/persons/:id/contacts': 'session',
  'PUT /api/persons/:id/contacts/order': 'session',
  'PATCH /api/persons/:id/contacts/:contactId': 'session',
  'DELETE /api/persons/:id/contacts/:contactId': 'session',
  'POST /api/persons/:id/phones': 'session',
  'DELETE /api/persons/:id/phones/:phoneId': 'session',
  'POST /api/persons/:id/phones/:phoneId/primary': 'session',
  'POST /api/persons/:id/devices': 'session',
  'PATCH /api/persons/:id/devices/:deviceId': 'session',
  'POST /api/persons/:id/devices/:deviceId/retire': 'session',
  'GET /ivr/sos-devices': 'public',
  // --- issue 8: districts administration, person status and consent ---
  'POST /api/districts/import': 'session',
  'PUT /api/districts/:code': 'session',
  'POST /api/districts/:code/retire': 'session',
  'GET /api/persons/:id/status': 'session',
  'POST /api/persons/:id/move': 'session',
  'POST /api/persons/:id/deceased': 'session',
  'POST /api/persons/:id/reactivate': 'session',
  'POST /api/persons/:id/merge': 'session',
  'GET /api/persons/:id/consents': 'session',
  'POST /api/persons/:id/consents': 'session',
  'POST /api/persons/:id/consents/withdraw': 'session',
  // --- end issue 8 ---
  // --- issue 9: dispatch ---
  'GET /api/dispatch/jobs': 'session',
  'POST /api/dispatch/jobs': 'session',
  'GET /api/dispatch/jobs/:id': 'session',
  'GET /api/dispatch/jobs/:id/candidates': 'session',
  'POST /api/dispatch/jobs/:id/offers': 'session',
  'POST /api/dispatch/jobs/:id/assign': 'session',
  'POST /api/dispatch/jobs/:id/withdraw': 'session',
  'POST /api/dispatch/jobs/:id/cancel': 'session',
  'POST /api/dispatch/jobs/:id/voice-offers': 'session',
  'POST /api/dispatch/jobs/:id/voice-answers': 'session',
  'GET /api/dispatch/providers': 'session',
  'POST /api/dispatch/providers': 'session',
  'GET /api/dispatch/providers/:id': 'session',
  'PATCH /api/dispatch/providers/:id': 'session',
  'GET /api/persons/:id/dispatch-prefs': 'session',
  'PUT /api/persons/:id/dispatch-prefs': 'session',
  'GET /api/dispatch/field-workers': 'session',
  'POST /api/dispatch/field-workers': 'session',
  'GET /api/dispatch/field-workers/:id': 'session',
  'PATCH /api/dispatch/field-workers/:id': 'session',
  'POST /api/dispatch/field-workers/:id/pin': 'session',
  'GET /api/dispatch/volunteers': 'session',
  'POST /api/dispatch/volunteers': 'session',
  'GET /api/dispatch/volunteers/:id': 'session',
  'PATCH /api/dispatch/volunteers/:id': 'session',
  'POST /api/dispatch/volunteers/:id/pin': 'session',
  'POST /api/field/open': 'public',
  'GET /api/field/job': 'public',
  'POST /api/field/job/actions': 'public',
  // --- end issue 9 ---
  // Proactive care (care/)
  'GET /api/care/plans': 'session',
  'GET /api/care/plans/:personId': 'session',
  'PUT /api/care/plans/:personId': 'session',
  'POST /api/care/plans/:personId/close': 'session',
  'GET /api/care/tasks': 'session',
  'POST /api/care/tasks/claim-next': 'session',
  'GET /api/care/tasks/:id': 'session',
  'POST /api/care/tasks/:id/claim': 'session',
  'POST /api/care/tasks/:id/release': 'session',
  'POST /api/care/tasks/:id/dial': 'session',
  'POST /api/care/tasks/:id/outcome': 'session',
  'GET /api/care/stats': 'session',
  'GET /api/care/stats/export.csv': 'session',
  // Care campaigns and event calls (care/campaign*)
  'GET /api/care/campaigns': 'session',
  'POST /api/care/campaigns': 'session',
  'POST /api/care/campaigns/preview': 'session',
  'GET /api/care/campaigns/:id': 'session',
  'PATCH /api/care/campaigns/:id': 'session',
  'POST /api/care/campaigns/:id/launch': 'session',
  'POST /api/care/campaigns/:id/pause': 'session',
  'POST /api/care/campaigns/:id/resume': 'session',
  'GET /api/care/heat-warnings': 'session',
  'POST /api/care/heat-warnings': 'session',
  'GET /api/care/task-questionnaires/:id': 'session',
  // Time bank (issue 11, timebank/)
  'GET /api/timebank/settings': 'session',
  'GET /api/timebank/volunteers/:volunteerId/statement': 'session',
  'POST /api/timebank/volunteers/:volunteerId/donate': 'session',
  'POST /api/timebank/volunteers/:volunteerId/transfer': 'session',
  'POST /api/timebank/expiry/run': 'session',
  'POST /api/timebank/jobs/:jobId/confirm': 'session',
  'POST /api/timebank/approvals': 'session',
  'GET /api/timebank/approvals': 'session',
  'POST /api/timebank/approvals/:approvalId/approve': 'session',
  'POST /api/timebank/approvals/:approvalId/reject': 'session',
  'GET /api/timebank/shop/items': 'session',
  'POST /api/timebank/shop/items': 'session',
  'PATCH /api/timebank/shop/items/:itemId': 'session',
  'POST /api/timebank/redemptions': 'session',
  'GET /api/timebank/redemptions': 'session',
  'POST /api/timebank/redemptions/:redemptionId/cancel': 'session',
  'GET /api/timebank/reports/liability': 'session',
  'GET /api/timebank/reports/ledger-check': 'session',
  'POST /api/timebank/donors': 'session',
  'GET /api/timebank/donors': 'session',
  'POST /api/timebank/gifts': 'session',
  'GET /api/timebank/gifts': 'session',
  'GET /api/timebank/gifts/:giftId': 'session',
  'POST /api/timebank/gifts/:giftId/allocations': 'session',
  'POST /api/timebank/gifts/:giftId/allocations/:allocationId/return': 'session',
  'GET /api/timebank/reports/donations': 'session',
  'POST /api/timebank/activities': 'session',
  'GET /api/timebank/activities': 'session',
  'GET /api/timebank/activities/:activityId': 'session',
  'POST /api/timebank/activities/:activityId/signups': 'session',
  'DELETE /api/timebank/activities/:activityId/signups/:volunteerId': 'session',
  'PUT /api/timebank/activities/:activityId/attendance': 'session',
  'POST /api/timebank/activities/:activityId/credit': 'session',
  'GET /api/timebank/volunteers': 'session',
  'GET /api/timebank/volunteers/:volunteerId': 'session',
  'POST /api/timebank/volunteers/:volunteerId/trainings': 'session',
  'GET /api/timebank/volunteers/:volunteerId/service-history': 'session',
  'POST /api/timebank/volunteers/:volunteerId/portal-link': 'session',
  'GET /api/timebank/signups': 'session',
  'POST /api/timebank/signups/:signupId/approve': 'session',
  'POST /api/timebank/signups/:signupId/reject': 'session',
  'GET /api/public/volunteer-signup/options': 'public',
  'POST /api/public/volunteer-signups': 'public',
  'POST /api/volunteer-portal/session': 'public',
  'GET /api/volunteer-portal/me': 'public',
  'GET /api/volunteer-portal/statement': 'public',
  'GET /api/volunteer-portal/shop': 'public',
  'POST /api/volunteer-portal/redemptions': 'public',
  'POST /api/volunteer-portal/logout': 'public',
};

/**
 * Valid requests per route (query and body), which the suite mutates one or two fields at a time, so that
 * hostile values get past the rest of the schema into services and the database. Routes without an example
 * get wholly random input. `:id` segments are drawn from real ids too (`realIds`).
 */
const EXAMPLES: Record<string, { query?: Record<string, string>; body?: Record<string, unknown> }> = {
  'POST /api/auth/login': { body: { username: 'agent-unknown', password: 'wrong-password' } },
  'GET /ivr/lookup': { query: { number: '13800138000' } },
  'GET /api/persons': { query: { q: '张', purpose: '核对身份' } },
  'POST /api/persons': { body: { name: '坏输入测试', gender: 'F', phones: [{ number: '13912345678' }] } },
  'POST /api/persons/:id/reveal': { body: { purpose: 'other', detail: '核对身份信息' } },
  'POST /api/person-duplicate-flags/:id/resolve': { body: { resolution: '核实为同一人' } },
  'GET /api/audit': { query: { action: 'person.', limit: '10' } },
  'GET /api/audit/export.csv': { query: { action: 'person.' } },
  'POST /api/register/imports': { query: { mode: 'dry-run', fileName: 'register.csv' } },
  'GET /api/register/export.xlsx': { query: { district: '330106', purpose: '年度核查' } },
  'GET /api/tickets': { query: { status: 'accepted', limit: '10' } },
  'POST /api/tickets': { body: { category: 'inquiry', summary: '坏输入测试工单' } },
  'POST /api/tickets/:id/transitions': { body: { action: 'answer', note: '已答复' } },
  'POST /api/tickets/:id/notes': { body: { note: '补充说明' } },
  'POST /api/tickets/:id/calls': { body: { callId: '00000000-0000-4000-8000-000000000000' } },
  'GET /api/calls': { query: { phone: '13800138000' } },
  'POST /api/calls/click-to-call': { body: { number: '13800138000' } },
  'PUT /api/agents/me/presence': { body: { state: 'break', reason: '午饭' } },
  'GET /api/sos': { query: { open: 'true', limit: '10' } },
  'POST /api/sos/:id/acknowledge': { body: { note: '收到' } },
  'POST /api/sos/:id/resolve': { body: { note: '已处理完毕' } },
  'POST /api/sos/:id/false-alarm': { body: { note: '误报已核实' } },
  // Staff administration (security admin).
  'GET /api/staff': { query: { q: '李', role: 'agent', active: 'true', limit: '10' } },
  'POST /api/staff': { body: { username: 'bad-input-staff', displayName: '坏输入', roles: ['agent'], districtCode: '330106', sipExtension: null, skills: ['dialect:四川话'] } },
  'PATCH /api/staff/:id': { body: { displayName: '坏输入', roles: ['agent', 'supervisor'], skills: ['medical'] } },
  // Person records (issue 8).
  'PATCH /api/persons/:id': { body: { version: 1, riskTier: 'key', address: '坏输入路 1 号', subDisabilities: [2] } },
  'GET /api/persons/:id/changes': { query: { limit: '10' } },
  'PUT /api/persons/:id/dispatch-prefs': { body: { genderPreference: 'male', twoPersonVisit: true, noLoneVolunteer: false, blockedCandidateIds: ['00000000-0000-4000-8000-000000000000'], note: '曾有投诉', version: 0 } },
  'POST /api/persons/:id/contacts': { body: { name: '坏输入联系人', relation: '邻居', phone: '13912345678', notifyOnEmergency: true } },
  'PUT /api/persons/:id/contacts/order': { body: { ids: ['00000000-0000-4000-8000-000000000000'] } },
  'PATCH /api/persons/:id/contacts/:contactId': { body: { relation: '女儿' } },
  'POST /api/persons/:id/phones': { body: { number: '0571-88888888', confirmShared: true } },
  'POST /api/persons/:id/devices': { body: { kind: 'door_sensor', serial: 'BAD-INPUT-1', model: 'X1' } },
  'PATCH /api/persons/:id/devices/:deviceId': { body: { mode: 'away', armed: false } },
  // --- issue 8: districts administration, person status and consent ---
  'GET /api/districts': { query: { includeRetired: 'true' } },
  'PUT /api/districts/:code': { body: { name: '坏输入社区' } },
  'POST /api/persons/:id/move': { body: { districtCode: '330106001001', note: '随子女迁居' } },
  'POST /api/persons/:id/deceased': { body: { diedOn: '2026-01-01', note: '家属来电告知' } },
  'POST /api/persons/:id/reactivate': { body: { note: '误登记死亡' } },
  'POST /api/persons/:id/merge': { body: { duplicateId: '00000000-0000-4000-8000-000000000000', note: '同一人两次登记' } },
  'POST /api/persons/:id/consents': { body: { kind: 'sensitive_info', givenOn: '2026-01-01', method: 'oral' } },
  'POST /api/persons/:id/consents/withdraw': { body: { kind: 'notify_contacts', withdrawnOn: '2026-01-01', method: 'written' } },
  // --- end issue 8 ---
  // --- issue 9: dispatch ---
  'POST /api/dispatch/jobs': { body: { ticketId: '00000000-0000-4000-8000-000000000000', windowStart: '2026-12-06T10:00:00+08:00', service: 'meals', lat: 31.2, lng: 121.4 } },
  'GET /api/dispatch/jobs': { query: { status: 'offering', open: 'true', priority: 'P1', limit: '10' } },
  'POST /api/dispatch/jobs/:id/offers': { body: { candidateIds: ['00000000-0000-4000-8000-000000000000'], parallel: 2 } },
  'POST /api/dispatch/jobs/:id/assign': { body: { candidateId: '00000000-0000-4000-8000-000000000000' } },
  'POST /api/dispatch/jobs/:id/cancel': { body: { reason: '服务对象已取消' } },
  'POST /api/dispatch/jobs/:id/voice-offers': { body: { candidateId: '00000000-0000-4000-8000-000000000000' } },
  'POST /api/dispatch/jobs/:id/voice-answers': { body: { offerId: '00000000-0000-4000-8000-000000000000', answer: 'declined', note: '电话中说今天不在本地' } },
  'POST /api/dispatch/volunteers': { body: { name: '坏输入志愿者', gender: 'female', phone: '13912345678', districtCode: '330106', skills: ['shopping'], certifications: [{ kind: 'first_aid', validFrom: '2026-01-01', expiresOn: '2027-01-01' }], weekly: [{ weekday: 1, from: '09:00', to: '17:00' }], absences: [], crewSize: 1, maxConcurrentJobs: 2, serviceArea: { centre: { lat: 30.27, lng: 120.15 }, radiusKm: 5 } } },
  'POST /api/field/open': { body: { token: 'AAAAAAAAAAAAAAAAAAAAAAAA', pin: '123456' } },
  'POST /api/field/job/actions': { body: { action: 'arrived', position: { lat: 30.27, lng: 120.15 } } },
  // --- end issue 9 ---
  // Proactive care (care/)
  'GET /api/care/plans': { query: { limit: '10', offset: '0' } },
  'PUT /api/care/plans/:personId': { body: { cadence: 'custom', intervalDays: 10, startDay: '2028-02-29', windowStart: 540, windowEnd: 1080, quietStart: 720, quietEnd: 840, channel: 'voice', team: '一组', script: '您好，这里是安心热线' } },
  'POST /api/care/plans/:personId/close': { body: { reason: '已迁出本市' } },
  'GET /api/care/tasks': { query: { kind: 'care', dueOnly: 'false', limit: '10' } },
  'POST /api/care/tasks/claim-next': { body: { kind: 'survey' } },
  'POST /api/care/tasks/:id/dial': { body: { phoneId: '00000000-0000-4000-8000-000000000000' } },
  'POST /api/care/campaigns': { body: { name: '夏季关怀', districtCode: '330102', filters: { riskTiers: ['high'], livingAlone: true, ageMin: 60 }, repeat: 'weekly', startDay: '2026-06-01', endDay: '2026-08-31', questions: [{ id: 'feel', type: 'single', label: '身体怎么样', required: true, options: ['好', '不好'] }, { id: 'mood', type: 'scale', label: '心情', min: 1, max: 5 }] } },
  'POST /api/care/campaigns/preview': { body: { districtCode: '330102', filters: { disabilityCategories: [1, 4], hasSosDevice: true, lastContactOlderThanDays: 30 } } },
  'PATCH /api/care/campaigns/:id': { body: { version: 1, name: '夏季关怀（改）', endDay: '2026-09-30', questions: [{ id: 'ok', type: 'yes_no', label: '还好吗', required: true }] } },
  'POST /api/care/heat-warnings': { body: { districtCode: '330102', note: '明日最高气温 39℃' } },
  'POST /api/care/tasks/:id/outcome': { body: { outcome: 'reached', satisfaction: 'dissatisfied', resolved: false, comment: '等了很久' } },
  'GET /api/care/stats': { query: { month: '2026-03', district: '330106', groupBy: 'street' } },
  'GET /api/care/stats/export.csv': { query: { month: '2026-02', groupBy: 'community' } },
  // Time bank (issue 11, timebank/)
  'GET /api/timebank/volunteers/:volunteerId/statement': { query: { year: '2026', limit: '10' } },
  'POST /api/timebank/volunteers/:volunteerId/donate': { body: { units: 100, idempotencyKey: '00000000-0000-4000-8000-000000000001' } },
  'POST /api/timebank/jobs/:jobId/confirm': { body: { by: 'recipient', note: '本人确认' } },
  'POST /api/timebank/approvals': { body: { type: 'adjust', volunteerId: '00000000-0000-4000-8000-000000000000', units: 50, note: '补录时长' } },
  'GET /api/timebank/approvals': { query: { status: 'pending', limit: '10' } },
  'POST /api/timebank/approvals/:approvalId/reject': { body: { reason: '依据不足' } },
  'GET /api/timebank/shop/items': { query: { includeInactive: 'true' } },
  'POST /api/timebank/shop/items': { body: { kind: 'goods', name: '坏输入商品', priceUnits: 100, stock: 5 } },
  'PATCH /api/timebank/shop/items/:itemId': { body: { name: '坏输入商品', priceUnits: 200, active: true, addStock: 1 } },
  'POST /api/timebank/redemptions': { body: { volunteerId: '00000000-0000-4000-8000-000000000000', itemId: '00000000-0000-4000-8000-000000000000', quantity: 1, idempotencyKey: '00000000-0000-4000-8000-000000000002' } },
  'GET /api/timebank/redemptions': { query: { status: 'placed', limit: '10' } },
  'POST /api/timebank/redemptions/:redemptionId/cancel': { body: { reason: '不需要了' } },
  'GET /api/timebank/reports/liability': { query: { from: '2026-01', to: '2026-12' } },
  'POST /api/timebank/donors': { body: { kind: 'organisation', name: '坏输入企业', phone: '13912345678', districtCode: '330106', note: '备注' } },
  'GET /api/timebank/donors': { query: { q: '爱心', limit: '10' } },
  'POST /api/timebank/gifts': { body: { donorId: '00000000-0000-4000-8000-000000000000', kind: 'money', receivedOn: '2026-03-01', amountFen: 10000, channel: 'wechat', receiptNo: 'R-1' } },
  'GET /api/timebank/gifts': { query: { kind: 'goods', limit: '10' } },
  'POST /api/timebank/gifts/:giftId/allocations': { body: { destination: { kind: 'person', id: '00000000-0000-4000-8000-000000000000' }, itemId: 'i1', quantity: 1 } },
  'POST /api/timebank/gifts/:giftId/allocations/:allocationId/return': { body: { quantity: 1, note: '退回' } },
  'GET /api/timebank/reports/donations': { query: { from: '2026-01-01', to: '2026-12-31' } },
  'POST /api/timebank/activities': { body: { title: '坏输入活动', districtCode: '330106', location: '社区中心', startsAt: '2026-03-07T09:00:00+08:00', endsAt: '2026-03-07T12:00:00+08:00', capacity: 10 } },
  'GET /api/timebank/activities': { query: { status: 'open', limit: '10' } },
  'GET /api/timebank/volunteers': { query: { q: '李', limit: '10' } },
  'POST /api/timebank/volunteers/:volunteerId/trainings': { body: { course: '助残服务基础', hours: 2.5, completedOn: '2026-02-20', organiser: '区残联' } },
  'GET /api/timebank/volunteers/:volunteerId/service-history': { query: { year: '2026' } },
  'GET /api/timebank/signups': { query: { status: 'pending', limit: '10' } },
  'POST /api/timebank/signups/:signupId/approve': { body: { gender: 'female', centreLat: 31.2, centreLng: 121.4, radiusKm: 3 } },
  'POST /api/timebank/signups/:signupId/reject': { body: { reason: '信息不全' } },
  'POST /api/public/volunteer-signups': { body: { name: '坏输入报名', phone: '13912345678', districtCode: '330106001001', skills: ['助行'], availability: '周末', consent: true } },
  'POST /api/volunteer-portal/session': { body: { code: 'abcdefghijklmnopqrstuvwx' } },
  'GET /api/volunteer-portal/statement': { query: { year: '2026', limit: '10' } },
  'POST /api/volunteer-portal/redemptions': { body: { itemId: '00000000-0000-4000-8000-000000000000', quantity: 1, idempotencyKey: '00000000-0000-4000-8000-000000000003' } },
  'POST /api/timebank/activities/:activityId/signups': { body: { volunteerId: '00000000-0000-4000-8000-000000000000' } },
  'PUT /api/timebank/activities/:activityId/attendance': { body: { lines: [{ volunteerId: '00000000-0000-4000-8000-000000000000', attended: true, checkInAt: '2026-03-07T09:00:00+08:00', checkOutAt: '2026-03-07T12:00:00+08:00' }] } },
};
const realIds: string[] = [];

/** Vendor protocols that answer errors as TwiML / plain text rather than our JSON envelope. */
const TEXT_ERRORS = new Set(['GET /ivr/lookup', 'GET /ivr/sos-devices', 'POST /twilio/voice', 'POST /twilio/gather', 'POST /twilio/sms']);

let t: RunningApp;
let ds: DataSource;
let device: AlarmDevice;
const tokens: Partial<Record<StaffRole, string>> = {};

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off', TIMEBANK_SIGNUPS_PER_HOUR: '10000', TWILIO_AUTH_TOKEN: TWILIO_TOKEN, TWILIO_WEBHOOK_BASE_URL: PUBLIC, CONSOLE_DIR: '/nonexistent/anxin-console-for-bad-input' } });
  ds = t.ds;
  const tree = await makeDistricts(ds);
  for (const role of ROLES) tokens[role] = await login(t.baseUrl, (await makeUser(ds, role, role === 'agent' ? tree.district : tree.city, { sipExtension: null })).username);
  [device] = await makeAlarmDevices(ds, fieldCryptoFromSecret(TEST_DATA_KEY), tree.community, [{}]);
  // Real records for `:id`: a person, an order, and an SOS with its order (so hostile bodies reach real writes).
  const person = await makePerson(ds, tree.district);
  const ticket = await api(t.baseUrl, 'POST', '/api/tickets', tokens.agent, { category: 'inquiry', summary: '坏输入测试的真实工单', personId: person.id });
  const sos = await postAlarm(t.baseUrl, device, { body: { type: 'sos' } });
  expect(sos.status).toBe(201);
  realIds.push(person.id, ticket.body.id, sos.body.sosId, sos.body.ticketId, device.deviceId);
  // Care: a plan and a generated task for the person, so hostile bodies reach plan saves and outcomes.
  expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${person.id}`, tokens.supervisor, {})).status).toBe(200);
  await t.app.services.care.plans.generate();
  const [careTask] = await ds.query(`SELECT id FROM care_task WHERE person_id = $1`, [person.id]);
  realIds.push(careTask.id);
});
afterAll(() => t.close());

type Caller = StaffRole | 'anonymous' | 'forged-token' | 'bad-cookie';
const callerArb: fc.Arbitrary<Caller> = fc.oneof({ weight: 4, arbitrary: fc.constantFrom<Caller>(...ROLES) }, { weight: 1, arbitrary: fc.constantFrom<Caller>('anonymous', 'forged-token', 'bad-cookie') });
const asciiJunk = fc.string({ unit: fc.constantFrom(...'abcXYZ019%;=,/+ -_.~"\\'.split('')), maxLength: 60 });

function authHeaders(caller: Caller, junk: string): Record<string, string> {
  if (caller === 'anonymous') return {};
  if (caller === 'forged-token') return { authorization: `Bearer ${junk}` };
  if (caller === 'bad-cookie') return { cookie: `anxin_session=${junk}; anxin_session=%ZZ` };
  return { authorization: `Bearer ${tokens[caller]}` };
}

interface Sent {
  method: string;
  url: string;
  status: number;
  contentType: string;
  text: string;
}

function describeSent(s: Sent): string {
  return `${s.method} ${s.url.slice(0, 300)} → ${s.status} ${s.text.slice(0, 300)}`;
}

async function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Sent> {
  const url = `${t.baseUrl}${path}`;
  const res = await fetch(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
  return { method, url: path, status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** Node's HTTP parser answers these itself, before express (URL or headers too large): no JSON body. */
const PROTOCOL_ERRORS = new Set([414, 431]);

/** The invariants of every answer. */
function check(key: string, s: Sent): void {
  if (s.status === 503 && s.text.includes('"telephony/not-configured"')) return; // this app has no PBX: an honest answer
  if (s.status >= 500) throw new Error(`5xx: ${describeSent(s)}`);
  if (s.status >= 400 && !TEXT_ERRORS.has(key) && !PROTOCOL_ERRORS.has(s.status)) {
    if (!s.contentType.includes('application/json')) throw new Error(`4xx without a JSON error body: ${describeSent(s)}`);
    const code = (JSON.parse(s.text) as { error?: { code?: unknown } }).error?.code;
    if (typeof code !== 'string' || !code) throw new Error(`4xx without error.code: ${describeSent(s)}`);
  }
}

async function healthy(): Promise<void> {
  const r = await fetch(`${t.baseUrl}/api/health`);
  expect(r.status).toBe(200);
  await r.arrayBuffer();
}

const fillParams = (route: string, segments: string[]) => {
  let i = 0;
  return route.replace(/:[A-Za-z_]+/g, () => segments[i++ % Math.max(1, segments.length)] ?? 'x');
};

const encodeQuery = (q: Record<string, unknown>) => Object.entries(q).map(([k, v]) => `${percentEncode(k)}=${percentEncode(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&');

/** Requests for one route: mostly mutated examples (when there is one), else wholly random parts. */
function requestArb(key: string) {
  const example = EXAMPLES[key];
  const segment = fc.oneof({ weight: 2, arbitrary: nastySegment }, { weight: 3, arbitrary: fc.constantFrom(...realIds) });
  const query = example?.query ? fc.oneof({ weight: 5, arbitrary: mutate(example.query).map(encodeQuery) }, { weight: 1, arbitrary: nastyQuery }) : nastyQuery;
  const body = example?.body ? fc.oneof({ weight: 5, arbitrary: mutate(example.body).map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: rawBody }) : rawBody;
  return fc.record({
    caller: callerArb,
    junk: asciiJunk,
    segments: fc.array(segment, { minLength: 1, maxLength: 3 }),
    query: fc.option(query, { nil: undefined, freq: 3 }),
    body: fc.option(body, { nil: undefined, freq: 6 }),
    contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
  });
}

/** Sign a random form for a Twilio webhook (so requests get past the signature to the handlers). */
const twilioArb = fc.record({
  signed: fc.boolean(),
  query: fc.option(nastyQuery, { nil: undefined }),
  params: fc.dictionary(fc.oneof(fc.constantFrom('CallSid', 'From', 'To', 'Digits', 'MessageSid', 'SmsSid', 'Body'), nastyString), nastyString.map((s) => s.slice(0, 500)), { maxKeys: 6 }),
});

const alarmArb = fc.record({
  signed: fc.boolean(),
  body: fc.oneof(rawBody, nastyBody.map((b) => JSON.stringify({ type: 'sos', ...(typeof b === 'object' && b && !Array.isArray(b) ? b : { detail: b }) }))),
  idempotencyKey: fc.oneof(fc.uuid(), asciiJunk),
});

const params = { seed: SEED, numRuns: RUNS, endOnFailure: true } as const;

/** Run a property; on failure throw a short message with the seed and path to replay it (never a 100 kB dump). */
async function holds<T>(what: string, arb: fc.Arbitrary<T>, property: (value: T) => Promise<void>, runs = RUNS): Promise<void> {
  const out = await fc.check(fc.asyncProperty(arb, property), { ...params, numRuns: runs });
  if (out.failed) {
    const example = JSON.stringify(out.counterexample?.[0], (_k, v) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v))?.slice(0, 1500);
    throw new Error(`${what}: failed with seed ${out.seed}, path "${out.counterexamplePath}" (BAD_INPUT_SEED=${out.seed})\n${String(out.errorInstance instanceof Error ? out.errorInstance.message : out.errorInstance).slice(0, 1500)}\ninput: ${example}`);
  }
}

describe('every socket command survives hostile payloads', () => {
  const RESERVED = new Set(['disconnect', 'disconnecting', 'error', 'connect', 'connect_error', 'newListener', 'removeListener']);
  let sockets: Array<[StaffRole, TestSocket]> = [];

  beforeAll(async () => {
    sockets = await Promise.all((['agent', 'dispatcher', 'supervisor', 'admin', 'auditor'] as const).map(async (role) => [role, await connectSocket(t.baseUrl, tokens[role]!)] as [StaffRole, TestSocket]));
  });
  afterAll(() => sockets.forEach(([, s]) => s.disconnect()));

  /** The commands the server registered on this socket (read from the server side of the connection). */
  const commandsOf = (socket: TestSocket): string[] => {
    const server = t.app.realtime.io.of('/').sockets.get(socket.id!);
    if (!server) throw new Error('server side of the socket not found');
    return server.eventNames().map(String).filter((n) => !RESERVED.has(n)).sort();
  };

  it('when the hub lists its commands, then the well-known ones are there', () => {
    expect(commandsOf(sockets[0]![1])).toEqual(expect.arrayContaining(['session:whoami', 'presence:get', 'presence:set', 'sos:acknowledge']));
  });

  it(`when each command gets hostile payloads from each role (seed ${SEED}), then acks are envelopes without 'internal', and every socket still works`, async () => {
    for (const [role, socket] of sockets) {
      const server = t.app.realtime.io.of('/').sockets.get(socket.id!)!;
      for (const event of commandsOf(socket)) {
        // `(ack) => …` commands take no payload: what a client sends first lands in the ack's place.
        const takesPayload = (server.listeners(event as never)[0] as ((...args: unknown[]) => void) | undefined)?.length !== 1;
        const raw = socket as unknown as { emit: (...args: unknown[]) => void; timeout: (ms: number) => { emitWithAck: (...args: unknown[]) => Promise<unknown> } };
        await holds(`${role} ${event}`, fc.record({ payload: nastyValue, withAck: fc.boolean() }), async ({ payload, withAck }) => {
          // A packet over the hub's 100 kB cap closes the socket by design (socket-handshake.int.test.ts covers it).
          if (Buffer.byteLength(JSON.stringify(payload) ?? '') > 90_000) return;
          if (!withAck || !takesPayload) {
            raw.emit(event, payload); // no ack function (or a payload where the ack belongs): nothing to answer, nothing may break
            if (takesPayload) return;
          }
          const answer = takesPayload ? await raw.timeout(3000).emitWithAck(event, payload) : await raw.timeout(3000).emitWithAck(event);
          const a = answer as { ok?: unknown; code?: unknown };
          if (typeof a !== 'object' || a === null || typeof a.ok !== 'boolean') throw new Error(`not an ack envelope: ${JSON.stringify(answer)}`);
          if (!a.ok && (typeof a.code !== 'string' || a.code === 'internal')) throw new Error(`${JSON.stringify(payload)?.slice(0, 300)} → ${JSON.stringify(answer)}`);
        }, Math.max(5, Math.floor(RUNS / 2)));
        expect(socket.connected).toBe(true);
        expect(await socket.timeout(2000).emitWithAck('session:whoami')).toMatchObject({ ok: true, data: { role } });
      }
    }
    await healthy();
  }, 120_000);

  async function handshakeRefused({ token, cookie }: { token: string | undefined; cookie: string }): Promise<void> {
    const { io } = await import('socket.io-client');
    const s = io(t.baseUrl, { auth: token === undefined ? {} : { token }, extraHeaders: { cookie: `anxin_session=${cookie}` }, transports: ['polling'], reconnection: false, forceNew: true, timeout: 3000 });
    const outcome = await new Promise<string>((resolve) => {
      s.once('connect', () => resolve('connected'));
      s.once('connect_error', (err) => resolve(`refused: ${err.message}`));
    });
    s.disconnect();
    if (outcome === 'connected') throw new Error(`a hostile handshake was let in: ${JSON.stringify({ token, cookie })}`);
  }

  it('when handshakes carry hostile tokens and cookies, then each is refused and the server still answers', async () => {
    const handshake = fc.record({ token: fc.option(nastyString, { nil: undefined }), cookie: asciiJunk });
    // First, always: the malformed session cookie that used to throw out of the handshake and kill the process.
    await handshakeRefused({ token: undefined, cookie: '%ZZ' });
    await holds('handshake', handshake, handshakeRefused, Math.max(5, Math.floor(RUNS / 2)));
    await healthy();
  });
});

describe('every HTTP route survives hostile input', () => {
  it('when the app lists its routes, then the suite knows how to authenticate for each one', () => {
    const unknown = t.app.routes().map((r) => `${r.method} ${r.path}`).filter((k) => !(k in AUTH));
    expect({ routesTheSuiteCannotAuthenticateFor: unknown }).toEqual({ routesTheSuiteCannotAuthenticateFor: [] });
  });

  // Logout ends the session it is sent with: run it last.
  const order = (k: string) => (k === 'POST /api/auth/logout' ? 1 : 0);

  it(`when each route gets ${RUNS} hostile requests (seed ${SEED}), then no 5xx, every JSON 4xx has error.code, and health still answers`, async () => {
    const routes = t.app.routes().filter((r) => `${r.method} ${r.path}` in AUTH).sort((a, b) => order(`${a.method} ${a.path}`) - order(`${b.method} ${b.path}`));
    expect(routes.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const how = AUTH[key]!;
      try {
      if (how === 'twilio') {
        await holds(key, twilioArb, async (r) => {
            const path = `${route.path}${r.query !== undefined ? `?${r.query}` : ''}`;
            const form = new URLSearchParams(r.params).toString();
            const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
            if (r.signed) headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC}${path}`, Object.fromEntries(new URLSearchParams(form)));
            check(key, await send(route.method, path, headers, form));
          });
      } else if (how === 'device') {
        await holds(key, alarmArb, async (r) => {
            const ts = String(Math.floor(Date.now() / 1000));
            const headers: Record<string, string> = { 'content-type': 'application/json', 'x-anxin-device': device.serial, 'x-anxin-timestamp': ts, 'idempotency-key': r.idempotencyKey };
            headers['x-anxin-signature'] = r.signed ? signAlarm(device.key, ts, r.idempotencyKey, r.body) : 'v1=00';
            check(key, await send(route.method, route.path, headers, r.body));
          });
      } else {
        await holds(key, requestArb(key), async (r) => {
            const path = `${fillParams(route.path, r.segments)}${r.query !== undefined ? `?${r.query}` : ''}`;
            const caller: Caller = how === 'public' && ROLES.includes(r.caller as StaffRole) ? 'anonymous' : r.caller;
            const headers = { ...authHeaders(caller, r.junk), ...(r.body !== undefined ? { 'content-type': r.contentType } : {}) };
            check(key, await send(route.method, path, headers, r.body));
          });
      }
      } catch (err) {
        failures.push((err as Error).message);
      }
      await healthy();
    }
    expect(failures).toEqual([]);
  }, 600_000); // ~15 s alone; generous for a loaded machine
});
