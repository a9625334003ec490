/**
 * The authorisation matrix: every HTTP endpoint × every role, and unauthenticated, over real HTTP. The
 * expected statuses are written down below as a literal table — the spec is the role policy in
 * `server/src/auth/permissions.ts`, but the table is NOT computed from it, so a change of either shows here.
 *
 * Allowed: 200 / 201 / 204, or 404 for a valid id that does not exist (the role passed the check and the
 * lookup ran). Not allowed: 403. No session: 401. Public endpoints answer every caller alike.
 *
 * A new route without a row fails the route-list check at the end.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { StaffRole } from '../src/staff/staff-user.entity';
import { api, login, makeDistricts, makeUser, randomMobile, startTestApp, type RunningApp } from './support/test-app';

const ROLES = ['agent', 'dispatcher', 'supervisor', 'admin', 'security_admin', 'auditor'] as const satisfies readonly StaffRole[];
type Caller = (typeof ROLES)[number] | 'anonymous';
const CALLERS: readonly Caller[] = [...ROLES, 'anonymous'];

/** Expected status per caller, in the order of CALLERS: agent, dispatcher, supervisor, admin, security_admin, auditor, anonymous. */
type Expected = [number, number, number, number, number, number, number];

interface Row {
  method: string;
  /** The route pattern as the app lists it. */
  route: string;
  /** The concrete request; `:id` becomes a fresh random UUID (valid, unknown: 404 when allowed). */
  path?: string;
  body?: (ctx: Ctx) => unknown;
  /** Log in afresh for this request (logout would end the session the other rows use). */
  freshSession?: boolean;
  expected: Expected;
  why: string;
}

interface Ctx {
  district: string;
}


/** A unique 统一社会信用代码-shaped value. */
const creditCode = () => `91${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}${randomUUID().replace(/[^0-9]/g, '').padEnd(10, '7').slice(0, 10)}`;
const worker = (c: Ctx) => ({ name: '矩阵志愿者', gender: 'female', phone: randomMobile(), districtCode: c.district, skills: ['shopping'], certifications: [], weekly: [], absences: [], crewSize: 1, maxConcurrentJobs: 1, serviceArea: { centre: { lat: 31.2, lng: 121.4 }, radiusKm: 5 } });

const UNKNOWN = ':id';
//                          agent dispatcher supervisor admin security_admin auditor anonymous
const MATRIX: Row[] = [
  { method: 'GET', route: '/', expected: [200, 200, 200, 200, 200, 200, 200], why: 'public: the console (or the "not built" text)' },
  { method: 'GET', route: '/api/health', expected: [200, 200, 200, 200, 200, 200, 200], why: 'public health check' },
  { method: 'GET', route: '/f/:token', path: '/f/abcdefgh12345678', expected: [302, 302, 302, 302, 302, 302, 302], why: 'public: the SMS link to the field page (the page checks the token)' },
  { method: 'GET', route: '/v/:token', path: '/v/abcdefgh12345678', expected: [302, 302, 302, 302, 302, 302, 302], why: "public: a volunteer's one-time statement link (the page checks the code)" },
  { method: 'POST', route: '/api/auth/login', body: () => ({}), expected: [400, 400, 400, 400, 400, 400, 400], why: 'public; an empty body is refused alike for everyone' },
  { method: 'POST', route: '/api/auth/logout', freshSession: true, expected: [204, 204, 204, 204, 204, 204, 401], why: 'any session' },
  { method: 'GET', route: '/api/auth/me', expected: [200, 200, 200, 200, 200, 200, 401], why: 'any session' },
  { method: 'POST', route: '/api/auth/password', body: () => ({}), expected: [400, 400, 400, 400, 400, 400, 401], why: 'any session (an empty body is refused alike)' },

  { method: 'GET', route: '/api/persons', path: '/api/persons?q=%E5%BC%A0', expected: [200, 200, 200, 403, 403, 403, 401], why: 'person.read' },
  { method: 'GET', route: '/api/persons/:id', expected: [404, 404, 404, 403, 403, 403, 401], why: 'person.read' },
  { method: 'POST', route: '/api/persons', body: (c) => ({ name: '矩阵测试', gender: 'F', phones: [{ number: randomMobile() }], districtCode: c.district }), expected: [201, 403, 201, 403, 403, 403, 401], why: 'person.create' },
  { method: 'POST', route: '/api/persons/:id/reveal', body: () => ({ purpose: 'identity_verification' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.reveal' },
  { method: 'GET', route: '/api/person-duplicate-flags', expected: [403, 403, 200, 403, 403, 403, 401], why: 'person.duplicate-resolve' },
  { method: 'POST', route: '/api/person-duplicate-flags/:id/resolve', body: () => ({ resolution: '核实为同一人' }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'person.duplicate-resolve' },

  // Person records (issue 8): profile edit and history, contacts, phones, devices. person.edit: agent, supervisor.
  { method: 'PATCH', route: '/api/persons/:id', body: () => ({ version: 1, riskTier: 'key' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'GET', route: '/api/persons/:id/changes', expected: [404, 404, 404, 403, 403, 403, 401], why: 'person.read (the history, masked)' },
  { method: 'POST', route: '/api/persons/:id/contacts', body: () => ({ name: '矩阵联系人', relation: '邻居', phone: '13912345678' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'PUT', route: '/api/persons/:id/contacts/order', body: () => ({ ids: [randomUUID()] }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'PATCH', route: '/api/persons/:id/contacts/:contactId', path: `/api/persons/${randomUUID()}/contacts/${randomUUID()}`, body: () => ({ relation: '女儿' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'DELETE', route: '/api/persons/:id/contacts/:contactId', path: `/api/persons/${randomUUID()}/contacts/${randomUUID()}`, expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'POST', route: '/api/persons/:id/phones', body: () => ({ number: '13912345678' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'DELETE', route: '/api/persons/:id/phones/:phoneId', path: `/api/persons/${randomUUID()}/phones/${randomUUID()}`, expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'POST', route: '/api/persons/:id/phones/:phoneId/primary', path: `/api/persons/${randomUUID()}/phones/${randomUUID()}/primary`, expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'POST', route: '/api/persons/:id/devices', body: () => ({ kind: 'sos_pendant', serial: 'MATRIX-1' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'PATCH', route: '/api/persons/:id/devices/:deviceId', path: `/api/persons/${randomUUID()}/devices/${randomUUID()}`, body: () => ({ armed: false }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },
  { method: 'POST', route: '/api/persons/:id/devices/:deviceId/retire', path: `/api/persons/${randomUUID()}/devices/${randomUUID()}/retire`, expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.edit' },

  { method: 'POST', route: '/api/register/imports', body: () => ({}), expected: [403, 403, 415, 415, 403, 403, 401], why: 'register.import (415: a JSON body is no spreadsheet)' },
  { method: 'GET', route: '/api/register/imports', expected: [403, 403, 200, 200, 403, 403, 401], why: 'register.import' },
  { method: 'GET', route: '/api/register/imports/:id', expected: [403, 403, 404, 404, 403, 403, 401], why: 'register.import (own jobs only)' },
  { method: 'GET', route: '/api/register/template.csv', expected: [403, 403, 200, 200, 403, 403, 401], why: 'register.import' },
  { method: 'GET', route: '/api/register/export.xlsx', expected: [403, 403, 400, 403, 403, 403, 401], why: 'register.export (400: no district and purpose given)' },

  { method: 'GET', route: '/api/tickets', expected: [200, 200, 200, 403, 403, 403, 401], why: 'ticket.read' },
  { method: 'POST', route: '/api/tickets', body: () => ({ category: 'inquiry', summary: '授权矩阵测试工单' }), expected: [201, 201, 201, 403, 403, 403, 401], why: 'ticket.create' },
  { method: 'GET', route: '/api/tickets/:id', expected: [404, 404, 404, 403, 403, 403, 401], why: 'ticket.read' },
  { method: 'POST', route: '/api/tickets/:id/transitions', body: () => ({ action: 'answer' }), expected: [404, 404, 404, 403, 403, 403, 401], why: 'ticket actions: the working roles (per-action rules in tickets/ticket.ts)' },
  { method: 'POST', route: '/api/tickets/:id/notes', body: () => ({ note: '矩阵备注' }), expected: [404, 404, 404, 403, 403, 403, 401], why: 'ticket.note' },
  { method: 'POST', route: '/api/tickets/:id/calls', body: () => ({ callId: randomUUID() }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'ticket.link-call' },

  { method: 'GET', route: '/api/calls', expected: [200, 403, 200, 403, 403, 403, 401], why: 'call.read' },
  { method: 'POST', route: '/api/calls/click-to-call', body: () => ({ number: '13800138000' }), expected: [503, 403, 503, 403, 403, 403, 401], why: 'call.dial-number for a typed number; dispatchers dial by id only (503: this test app has no PBX)' },

  { method: 'GET', route: '/api/agents/me/presence', expected: [200, 403, 200, 403, 403, 403, 401], why: 'presence.own' },
  { method: 'PUT', route: '/api/agents/me/presence', body: () => ({ state: 'break', reason: '矩阵' }), expected: [200, 403, 200, 403, 403, 403, 401], why: 'presence.own' },
  { method: 'GET', route: '/api/agents/presence', expected: [403, 403, 200, 200, 403, 403, 401], why: 'presence.read-all' },

  { method: 'GET', route: '/api/softphone/settings', expected: [200, 200, 200, 403, 403, 403, 401], why: 'softphone.settings' },
  { method: 'GET', route: '/api/districts', expected: [200, 200, 200, 200, 200, 200, 401], why: 'district.read' },

  // --- issue 8: districts administration, person status and consent (admin-people) ---
  { method: 'POST', route: '/api/districts/import', body: () => ({}), expected: [403, 403, 403, 400, 403, 403, 401], why: 'district.manage (400: a JSON body is no CSV)' },
  { method: 'PUT', route: '/api/districts/:code', path: '/api/districts/999999999999', body: () => ({ name: '矩阵社区' }), expected: [403, 403, 403, 404, 403, 403, 401], why: 'district.manage' },
  { method: 'POST', route: '/api/districts/:code/retire', path: '/api/districts/999999999999/retire', expected: [403, 403, 403, 404, 403, 403, 401], why: 'district.manage' },
  { method: 'GET', route: '/api/persons/:id/status', expected: [404, 404, 404, 403, 403, 403, 401], why: 'person.read' },
  { method: 'POST', route: '/api/persons/:id/move', body: (c) => ({ districtCode: c.district, note: '矩阵迁移' }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'person.move: supervisors hand records over' },
  { method: 'POST', route: '/api/persons/:id/deceased', body: () => ({ diedOn: '2026-01-01', note: '家属告知' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.record-death: agents too (a relative calls the hotline)' },
  { method: 'POST', route: '/api/persons/:id/reactivate', body: () => ({ note: '误登记死亡' }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'person.reactivate: correcting a death is a supervisor\'s call' },
  { method: 'POST', route: '/api/persons/:id/merge', body: () => ({ duplicateId: randomUUID(), note: '同一人' }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'person.merge: supervisors only' },
  { method: 'GET', route: '/api/persons/:id/consents', expected: [404, 404, 404, 403, 403, 403, 401], why: 'person.read' },
  { method: 'POST', route: '/api/persons/:id/consents', body: () => ({ kind: 'sensitive_info', givenOn: '2026-01-01', method: 'oral' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.consent' },
  { method: 'POST', route: '/api/persons/:id/consents/withdraw', body: () => ({ kind: 'sensitive_info', withdrawnOn: '2026-01-01', method: 'oral' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'person.consent' },
  // --- end issue 8 ---

  { method: 'GET', route: '/api/sos', expected: [200, 200, 200, 403, 403, 403, 401], why: 'sos.read' },
  { method: 'GET', route: '/api/sos/:id', expected: [404, 404, 404, 403, 403, 403, 401], why: 'sos.read' },
  { method: 'POST', route: '/api/sos/:id/acknowledge', body: () => ({}), expected: [404, 404, 404, 403, 403, 403, 401], why: 'sos.handle' },
  { method: 'POST', route: '/api/sos/:id/resolve', body: () => ({ note: '已处理完毕' }), expected: [404, 404, 404, 403, 403, 403, 401], why: 'sos.handle' },
  { method: 'POST', route: '/api/sos/:id/false-alarm', body: () => ({ note: '误报已核实' }), expected: [404, 404, 404, 403, 403, 403, 401], why: 'sos.handle' },
  { method: 'POST', route: '/api/devices/:id/alarm-key', expected: [403, 403, 404, 404, 404, 403, 401], why: 'device.issue-key' },

  { method: 'GET', route: '/api/audit', expected: [403, 403, 403, 403, 403, 200, 401], why: 'audit.read' },
  { method: 'POST', route: '/api/audit/verify', expected: [403, 403, 403, 403, 403, 200, 401], why: 'audit.read' },
  { method: 'GET', route: '/api/audit/export.csv', expected: [403, 403, 403, 403, 403, 200, 401], why: 'audit.read' },

  // TOTP enrolment: any session (optional for agents, dispatchers, supervisors; the others are enrolled: 409).
  { method: 'POST', route: '/api/auth/totp/enrolment', expected: [200, 200, 200, 409, 409, 409, 401], why: 'own second factor (409: already enrolled)' },
  { method: 'POST', route: '/api/auth/totp/confirm', body: () => ({}), expected: [400, 400, 400, 400, 400, 400, 401], why: 'own second factor (an empty body is refused alike)' },
  { method: 'POST', route: '/api/auth/totp/recovery-codes', body: () => ({}), expected: [400, 400, 400, 400, 400, 400, 401], why: 'own second factor (an empty body is refused alike)' },
  // Staff administration (staff.manage): the security admin alone.
  { method: 'GET', route: '/api/staff', expected: [403, 403, 403, 403, 200, 403, 401], why: 'staff.manage' },
  { method: 'POST', route: '/api/staff', body: () => ({}), expected: [403, 403, 403, 403, 400, 403, 401], why: 'staff.manage (400: an empty body)' },
  { method: 'GET', route: '/api/staff/:id', expected: [403, 403, 403, 403, 404, 403, 401], why: 'staff.manage' },
  { method: 'PATCH', route: '/api/staff/:id', body: () => ({ displayName: '矩阵' }), expected: [403, 403, 403, 403, 404, 403, 401], why: 'staff.manage' },
  { method: 'POST', route: '/api/staff/:id/deactivate', expected: [403, 403, 403, 403, 404, 403, 401], why: 'staff.manage' },
  { method: 'POST', route: '/api/staff/:id/activate', expected: [403, 403, 403, 403, 404, 403, 401], why: 'staff.manage' },
  { method: 'POST', route: '/api/staff/:id/unlock', expected: [403, 403, 403, 403, 404, 403, 401], why: 'staff.manage' },
  { method: 'POST', route: '/api/staff/:id/reset-password', expected: [403, 403, 403, 403, 404, 403, 401], why: 'staff.manage' },
  { method: 'POST', route: '/api/staff/:id/reset-totp', expected: [403, 403, 403, 403, 404, 403, 401], why: 'staff.manage' },
  // Proactive care (care/): supervisors manage plans (care.plan); agents and supervisors work tasks (care.work).
  // Time bank (issue 11): timebank.read/volunteers/activities/redeem: dispatcher, supervisor; shop, corrections, federation, donations: supervisor.
  { method: 'GET', route: '/api/timebank/settings', expected: [403, 200, 200, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'GET', route: '/api/timebank/volunteers/:volunteerId/statement', path: `/api/timebank/volunteers/${randomUUID()}/statement`, expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'POST', route: '/api/timebank/volunteers/:volunteerId/donate', path: `/api/timebank/volunteers/${randomUUID()}/donate`, body: () => ({ units: 1, idempotencyKey: randomUUID() }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.redeem' },
  { method: 'POST', route: '/api/timebank/volunteers/:volunteerId/transfer', path: `/api/timebank/volunteers/${randomUUID()}/transfer`, body: () => ({ toPersonId: randomUUID(), relation: '父母', units: 1, note: '矩阵转赠', idempotencyKey: randomUUID() }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.redeem' },
  { method: 'POST', route: '/api/timebank/jobs/:jobId/confirm', path: `/api/timebank/jobs/${randomUUID()}/confirm`, body: () => ({ by: 'recipient' }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.redeem' },
  { method: 'POST', route: '/api/timebank/approvals', body: () => ({ type: 'adjust', volunteerId: randomUUID(), units: 1, note: '矩阵调整' }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'timebank.corrections' },
  { method: 'GET', route: '/api/timebank/approvals', expected: [403, 200, 200, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'POST', route: '/api/timebank/approvals/:approvalId/approve', path: `/api/timebank/approvals/${randomUUID()}/approve`, body: () => ({}), expected: [403, 403, 404, 403, 403, 403, 401], why: 'timebank.corrections' },
  { method: 'POST', route: '/api/timebank/approvals/:approvalId/reject', path: `/api/timebank/approvals/${randomUUID()}/reject`, body: () => ({ reason: '矩阵拒绝' }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'timebank.corrections' },
  { method: 'GET', route: '/api/timebank/shop/items', expected: [403, 200, 200, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'POST', route: '/api/timebank/shop/items', body: () => ({ kind: 'goods', name: '矩阵商品', priceUnits: 10, stock: 1 }), expected: [403, 403, 201, 403, 403, 403, 401], why: 'timebank.shop' },
  { method: 'PATCH', route: '/api/timebank/shop/items/:itemId', path: `/api/timebank/shop/items/${randomUUID()}`, body: () => ({ active: false }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'timebank.shop' },
  { method: 'POST', route: '/api/timebank/redemptions', body: () => ({ volunteerId: randomUUID(), itemId: randomUUID(), idempotencyKey: randomUUID() }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.redeem' },
  { method: 'GET', route: '/api/timebank/redemptions', expected: [403, 200, 200, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'POST', route: '/api/timebank/redemptions/:redemptionId/cancel', path: `/api/timebank/redemptions/${randomUUID()}/cancel`, body: () => ({ reason: '矩阵取消' }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.redeem' },
  { method: 'POST', route: '/api/timebank/expiry/run', body: () => ({}), expected: [403, 403, 409, 403, 403, 403, 401], why: 'timebank.federation (expiry off in the matrix app: ledger/expiry-disabled)' },
  { method: 'GET', route: '/api/timebank/reports/liability', expected: [403, 403, 200, 403, 403, 403, 401], why: 'timebank.federation' },
  { method: 'GET', route: '/api/timebank/reports/ledger-check', expected: [403, 403, 200, 403, 403, 403, 401], why: 'timebank.federation' },
  { method: 'POST', route: '/api/timebank/donors', body: (c) => ({ kind: 'organisation', name: '矩阵捐赠人', districtCode: c.district }), expected: [403, 403, 201, 403, 403, 403, 401], why: 'donation.manage' },
  { method: 'GET', route: '/api/timebank/donors', expected: [403, 403, 200, 403, 403, 403, 401], why: 'donation.manage' },
  { method: 'POST', route: '/api/timebank/gifts', body: () => ({ donorId: randomUUID(), kind: 'money', receivedOn: '2026-03-01', amountFen: 100, channel: 'cash', receiptNo: 'MATRIX-1' }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'donation.manage' },
  { method: 'GET', route: '/api/timebank/gifts', expected: [403, 403, 200, 403, 403, 403, 401], why: 'donation.manage' },
  { method: 'GET', route: '/api/timebank/gifts/:giftId', path: `/api/timebank/gifts/${randomUUID()}`, expected: [403, 403, 404, 403, 403, 403, 401], why: 'donation.manage' },
  { method: 'POST', route: '/api/timebank/gifts/:giftId/allocations', path: `/api/timebank/gifts/${randomUUID()}/allocations`, body: () => ({ destination: { kind: 'person', id: randomUUID() }, amountFen: 1 }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'donation.manage' },
  { method: 'POST', route: '/api/timebank/gifts/:giftId/allocations/:allocationId/return', path: `/api/timebank/gifts/${randomUUID()}/allocations/${randomUUID()}/return`, body: () => ({ amountFen: 1 }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'donation.manage' },
  { method: 'GET', route: '/api/timebank/reports/donations', expected: [403, 403, 200, 403, 403, 403, 401], why: 'donation.manage' },
  { method: 'POST', route: '/api/timebank/activities', body: (c) => ({ title: '矩阵活动', districtCode: c.district, location: '矩阵地点', startsAt: '2026-03-07T09:00:00+08:00', endsAt: '2026-03-07T12:00:00+08:00', capacity: 5 }), expected: [403, 201, 201, 403, 403, 403, 401], why: 'timebank.activities' },
  { method: 'GET', route: '/api/timebank/activities', expected: [403, 200, 200, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'GET', route: '/api/timebank/activities/:activityId', path: `/api/timebank/activities/${randomUUID()}`, expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'POST', route: '/api/timebank/activities/:activityId/signups', path: `/api/timebank/activities/${randomUUID()}/signups`, body: () => ({ volunteerId: randomUUID() }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.activities' },
  { method: 'DELETE', route: '/api/timebank/activities/:activityId/signups/:volunteerId', path: `/api/timebank/activities/${randomUUID()}/signups/${randomUUID()}`, expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.activities' },
  { method: 'PUT', route: '/api/timebank/activities/:activityId/attendance', path: `/api/timebank/activities/${randomUUID()}/attendance`, body: () => ({ lines: [{ volunteerId: randomUUID(), attended: false }] }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.activities' },
  { method: 'POST', route: '/api/timebank/activities/:activityId/credit', path: `/api/timebank/activities/${randomUUID()}/credit`, body: () => ({}), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.activities' },
  { method: 'GET', route: '/api/timebank/volunteers', expected: [403, 200, 200, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'GET', route: '/api/timebank/volunteers/:volunteerId', path: `/api/timebank/volunteers/${randomUUID()}`, expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'POST', route: '/api/timebank/volunteers/:volunteerId/trainings', path: `/api/timebank/volunteers/${randomUUID()}/trainings`, body: () => ({ course: '矩阵培训', hours: 1, completedOn: '2026-02-20' }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.volunteers' },
  { method: 'GET', route: '/api/timebank/volunteers/:volunteerId/service-history', path: `/api/timebank/volunteers/${randomUUID()}/service-history`, expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.read' },
  { method: 'POST', route: '/api/timebank/volunteers/:volunteerId/portal-link', path: `/api/timebank/volunteers/${randomUUID()}/portal-link`, body: () => ({}), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.volunteers' },
  { method: 'GET', route: '/api/timebank/signups', expected: [403, 200, 200, 403, 403, 403, 401], why: 'timebank.volunteers' },
  { method: 'POST', route: '/api/timebank/signups/:signupId/approve', path: `/api/timebank/signups/${randomUUID()}/approve`, body: () => ({ gender: 'female', centreLat: 31.2, centreLng: 121.4, radiusKm: 3 }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.volunteers' },
  { method: 'POST', route: '/api/timebank/signups/:signupId/reject', path: `/api/timebank/signups/${randomUUID()}/reject`, body: () => ({ reason: '矩阵拒绝' }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'timebank.volunteers' },
  { method: 'GET', route: '/api/public/volunteer-signup/options', expected: [200, 200, 200, 200, 200, 200, 200], why: 'public: the sign-up page (districts, skills)' },
  { method: 'POST', route: '/api/public/volunteer-signups', body: () => ({}), expected: [400, 400, 400, 400, 400, 400, 400], why: 'public; an empty body is refused alike for everyone' },
  { method: 'POST', route: '/api/volunteer-portal/session', body: () => ({ code: 'matrix-unknown-code-000000' }), expected: [401, 401, 401, 401, 401, 401, 401], why: 'public: an unknown one-time code' },
  { method: 'GET', route: '/api/volunteer-portal/me', expected: [401, 401, 401, 401, 401, 401, 401], why: 'volunteer portal session only (a staff token is not one)' },
  { method: 'GET', route: '/api/volunteer-portal/statement', expected: [401, 401, 401, 401, 401, 401, 401], why: 'volunteer portal session only' },
  { method: 'GET', route: '/api/volunteer-portal/shop', expected: [401, 401, 401, 401, 401, 401, 401], why: 'volunteer portal session only' },
  { method: 'POST', route: '/api/volunteer-portal/redemptions', body: () => ({ itemId: randomUUID(), idempotencyKey: randomUUID() }), expected: [401, 401, 401, 401, 401, 401, 401], why: 'volunteer portal session only' },
  { method: 'POST', route: '/api/volunteer-portal/logout', expected: [401, 401, 401, 401, 401, 401, 401], why: 'volunteer portal session only' },
  { method: 'GET', route: '/api/care/plans', expected: [403, 403, 200, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'GET', route: '/api/care/plans/:personId', path: `/api/care/plans/${randomUUID()}`, expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'PUT', route: '/api/care/plans/:personId', path: `/api/care/plans/${randomUUID()}`, body: () => ({}), expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'POST', route: '/api/care/plans/:personId/close', path: `/api/care/plans/${randomUUID()}/close`, body: () => ({ reason: '矩阵关闭' }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'GET', route: '/api/care/tasks', expected: [200, 403, 200, 403, 403, 403, 401], why: 'care.work' },
  // An unknown kind: the role gate answers before the body is read, and the matrix's city-wide agent never
  // claims a task another test file is working (what a claim returns is tested in care.int.test.ts).
  { method: 'POST', route: '/api/care/tasks/claim-next', body: () => ({ kind: 'matrix' }), expected: [400, 403, 400, 403, 403, 403, 401], why: 'care.work (400: unknown kind)' },
  { method: 'GET', route: '/api/care/tasks/:id', expected: [404, 403, 404, 403, 403, 403, 401], why: 'care.work' },
  { method: 'POST', route: '/api/care/tasks/:id/claim', body: () => ({}), expected: [404, 403, 404, 403, 403, 403, 401], why: 'care.work' },
  { method: 'POST', route: '/api/care/tasks/:id/release', body: () => ({}), expected: [404, 403, 404, 403, 403, 403, 401], why: 'care.work' },
  { method: 'POST', route: '/api/care/tasks/:id/dial', body: () => ({}), expected: [404, 403, 404, 403, 403, 403, 401], why: 'care.work' },
  { method: 'POST', route: '/api/care/tasks/:id/outcome', body: () => ({ outcome: 'reached_fine' }), expected: [404, 403, 404, 403, 403, 403, 401], why: 'care.work' },
  // Care figures (care-supervisor): supervisors' statistics and CSV export (care.plan).
  { method: 'GET', route: '/api/care/stats', expected: [403, 403, 200, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'GET', route: '/api/care/stats/export.csv', expected: [403, 403, 200, 403, 403, 403, 401], why: 'care.plan (audited export)' },

  // Dispatch (issue 9): dispatch.read / dispatch.work / dispatch.people.* — dispatchers and supervisors.
  { method: 'GET', route: '/api/dispatch/jobs', expected: [403, 200, 200, 403, 403, 403, 401], why: 'dispatch.read' },
  { method: 'POST', route: '/api/dispatch/jobs', body: () => ({ ticketId: randomUUID(), windowStart: '2026-12-06T10:00:00+08:00' }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.work (404: no such order)' },
  { method: 'GET', route: '/api/dispatch/jobs/:id', expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.read' },
  { method: 'GET', route: '/api/dispatch/jobs/:id/candidates', expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.read' },
  { method: 'POST', route: '/api/dispatch/jobs/:id/offers', body: () => ({}), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.work' },
  { method: 'POST', route: '/api/dispatch/jobs/:id/assign', body: () => ({ candidateId: randomUUID() }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.work' },
  { method: 'POST', route: '/api/dispatch/jobs/:id/withdraw', body: () => ({}), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.work' },
  { method: 'POST', route: '/api/dispatch/jobs/:id/cancel', body: () => ({ reason: '矩阵取消' }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.work' },
  { method: 'POST', route: '/api/dispatch/jobs/:id/voice-offers', body: () => ({ candidateId: randomUUID() }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.work (the number is found by candidate id)' },
  { method: 'POST', route: '/api/dispatch/jobs/:id/voice-answers', body: () => ({ offerId: randomUUID(), answer: 'accepted' }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.work' },
  { method: 'GET', route: '/api/dispatch/providers', expected: [403, 200, 200, 403, 403, 403, 401], why: 'dispatch.people.read' },
  { method: 'POST', route: '/api/dispatch/providers', body: (c) => ({ name: '矩阵养老服务中心', creditCode: creditCode(), contactName: '王经理', contactPhone: randomMobile(), districtCode: c.district, services: ['meals'], serviceArea: { centre: { lat: 31.2, lng: 121.4 }, radiusKm: 5 } }), expected: [403, 201, 201, 403, 403, 403, 401], why: 'dispatch.people.manage' },
  { method: 'GET', route: '/api/dispatch/providers/:id', expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.people.read' },
  { method: 'PATCH', route: '/api/dispatch/providers/:id', body: () => ({ version: 1, contactName: '李经理' }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.people.manage' },
  // Visit preferences (issue 9): read with person.read, set with dispatch.visit-prefs (dispatcher, supervisor).
  { method: 'GET', route: '/api/persons/:id/dispatch-prefs', expected: [404, 404, 404, 403, 403, 403, 401], why: 'person.read (the person\'s visit preferences)' },
  { method: 'PUT', route: '/api/persons/:id/dispatch-prefs', body: () => ({ genderPreference: 'female', twoPersonVisit: false, noLoneVolunteer: true, blockedCandidateIds: [], note: '本人要求女性上门', version: 0 }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.visit-prefs' },
  { method: 'GET', route: '/api/dispatch/field-workers', expected: [403, 200, 200, 403, 403, 403, 401], why: 'dispatch.people.read' },
  { method: 'POST', route: '/api/dispatch/field-workers', body: (c) => ({ ...worker(c), providerId: randomUUID() }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.people.manage (404: no such provider)' },
  { method: 'GET', route: '/api/dispatch/field-workers/:id', expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.people.read' },
  { method: 'PATCH', route: '/api/dispatch/field-workers/:id', body: () => ({ version: 1, crewSize: 2 }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.people.manage' },
  { method: 'POST', route: '/api/dispatch/field-workers/:id/pin', body: () => ({}), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.people.manage' },
  { method: 'GET', route: '/api/dispatch/volunteers', expected: [403, 200, 200, 403, 403, 403, 401], why: 'dispatch.people.read' },
  { method: 'POST', route: '/api/dispatch/volunteers', body: (c) => worker(c), expected: [403, 201, 201, 403, 403, 403, 401], why: 'dispatch.people.manage' },
  { method: 'GET', route: '/api/dispatch/volunteers/:id', expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.people.read' },
  { method: 'PATCH', route: '/api/dispatch/volunteers/:id', body: () => ({ version: 1, crewSize: 2 }), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.people.manage' },
  { method: 'POST', route: '/api/dispatch/volunteers/:id/pin', body: () => ({}), expected: [403, 404, 404, 403, 403, 403, 401], why: 'dispatch.people.manage' },
  // The field page: the one-time link + PIN, no staff session (a staff session changes nothing).
  { method: 'POST', route: '/api/field/open', body: () => ({ token: 'AAAAAAAAAAAAAAAAAAAAAAAA', pin: '123456' }), expected: [404, 404, 404, 404, 404, 404, 404], why: 'public: unknown link' },
  { method: 'GET', route: '/api/field/job', expected: [401, 401, 401, 401, 401, 401, 401], why: 'public: field session header required' },
  { method: 'POST', route: '/api/field/job/actions', body: () => ({ action: 'accept' }), expected: [401, 401, 401, 401, 401, 401, 401], why: 'public: field session header required' },
  // Care campaigns, event calls (care/campaign*): supervisors (care.plan); a task's questionnaire for the work list (care.work).
  { method: 'GET', route: '/api/care/campaigns', expected: [403, 403, 200, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'POST', route: '/api/care/campaigns', body: () => ({ name: '矩阵' }), expected: [403, 403, 400, 403, 403, 403, 401], why: 'care.plan (400: incomplete campaign)' },
  { method: 'POST', route: '/api/care/campaigns/preview', body: () => ({ districtCode: '99', filters: {} }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan (404: no such district)' },
  { method: 'GET', route: '/api/care/campaigns/:id', expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'PATCH', route: '/api/care/campaigns/:id', body: () => ({ version: 1 }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'POST', route: '/api/care/campaigns/:id/launch', body: () => ({}), expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'POST', route: '/api/care/campaigns/:id/pause', body: () => ({}), expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'POST', route: '/api/care/campaigns/:id/resume', body: () => ({}), expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'GET', route: '/api/care/heat-warnings', expected: [403, 403, 200, 403, 403, 403, 401], why: 'care.plan' },
  { method: 'POST', route: '/api/care/heat-warnings', body: () => ({ districtCode: '99', note: '矩阵高温预警' }), expected: [403, 403, 404, 403, 403, 403, 401], why: 'care.plan (404: no such district)' },
  { method: 'GET', route: '/api/care/task-questionnaires/:id', expected: [404, 403, 404, 403, 403, 403, 401], why: 'care.work' },

  // Public endpoints with their own authentication: a staff session changes nothing.
  { method: 'POST', route: '/api/alarms', body: () => ({ type: 'sos' }), expected: [401, 401, 401, 401, 401, 401, 401], why: 'device signature, not a session' },
  { method: 'GET', route: '/ivr/lookup', path: '/ivr/lookup?number=13800138000', expected: [200, 200, 200, 200, 200, 200, 200], why: 'Asterisk on loopback (no IVR_LOOKUP_TOKEN in this app)' },
  { method: 'GET', route: '/ivr/sos-devices', expected: [200, 200, 200, 200, 200, 200, 200], why: 'the AstDB list for the PBX host: loopback (no IVR_LOOKUP_TOKEN in this app)' },
  { method: 'POST', route: '/twilio/voice', body: () => ({}), expected: [400, 400, 400, 400, 400, 400, 400], why: 'Twilio signature (missing: 400)' },
  { method: 'POST', route: '/twilio/gather', body: () => ({}), expected: [400, 400, 400, 400, 400, 400, 400], why: 'Twilio signature (missing: 400)' },
  { method: 'POST', route: '/twilio/sms', body: () => ({}), expected: [400, 400, 400, 400, 400, 400, 400], why: 'Twilio signature (missing: 400)' },
];

/**
 * Cells where the code is known to differ from the policy, checked with `it.failing` (a fixed cell then fails
 * until its entry is removed). Empty: every cell holds.
 */
const PENDING_MERGE: string[] = [];

const key = (row: Pick<Row, 'method' | 'route'>, caller: Caller) => `${row.method} ${row.route} ${caller}`;

let t: RunningApp;
let ds: DataSource;
let ctx: Ctx;
const users: Partial<Record<Caller, { username: string; token: string }>> = {};

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off', TIMEBANK_SIGNUPS_PER_HOUR: '10000', TWILIO_AUTH_TOKEN: 'twilio-matrix-token-00001', CONSOLE_DIR: '/nonexistent/anxin-console-for-matrix' } });
  ds = t.ds;
  const tree = await makeDistricts(ds);
  ctx = { district: tree.district };
  for (const role of ROLES) {
    const user = await makeUser(ds, role, tree.city);
    users[role] = { username: user.username, token: await login(t.baseUrl, user.username) };
  }
});
afterAll(() => t.close());

async function call(row: Row, caller: Caller): Promise<number> {
  const path = (row.path ?? row.route).replace(UNKNOWN, randomUUID());
  let token = caller === 'anonymous' ? undefined : users[caller]!.token;
  if (token && row.freshSession) token = await login(t.baseUrl, users[caller as StaffRole]!.username);
  const res = await fetch(`${t.baseUrl}${path}`, {
    method: row.method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(row.body ? { 'content-type': 'application/json' } : {}) },
    body: row.body ? JSON.stringify(row.body(ctx)) : undefined,
    redirect: 'manual',
  });
  await res.arrayBuffer();
  return res.status;
}

describe.each(MATRIX)('$method $route ($why)', (row) => {
  const cells = CALLERS.map((caller, i) => [caller, row.expected[i]!] as const);
  for (const [caller, status] of cells) {
    const test = PENDING_MERGE.includes(key(row, caller)) ? it.failing : it;
    test(`when ${caller} calls it, then ${status}`, async () => {
      expect(await call(row, caller)).toBe(status);
    });
  }
});

describe('the matrix covers the app', () => {
  it('when the app lists its routes, then each has exactly one row and each row is a route (pending ones excepted)', () => {
    const actual = t.app.routes().map((r) => `${r.method} ${r.path}`);
    const rows = MATRIX.map((r) => `${r.method} ${r.route}`);
    const pendingRoutes = new Set(PENDING_MERGE.map((k) => k.split(' ').slice(0, 2).join(' ')));
    expect({ routesWithoutRow: actual.filter((r) => !rows.includes(r)) }).toEqual({ routesWithoutRow: [] });
    expect({ rowsWithoutRoute: rows.filter((r) => !actual.includes(r) && !pendingRoutes.has(r)) }).toEqual({ rowsWithoutRoute: [] });
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('when a row is pending, then it names a real cell of the table', () => {
    const cells = new Set(MATRIX.flatMap((row) => CALLERS.map((c) => key(row, c))));
    expect(PENDING_MERGE.filter((k) => !cells.has(k))).toEqual([]);
  });
});
