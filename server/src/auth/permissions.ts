import type { StaffRole } from '../staff/staff-user.entity';
import { TIMEBANK_PERMISSIONS } from '../timebank/timebank-permissions';

/**
 * Who may do what: the one role policy every route, socket command and work-order action reads.
 *
 * Separation of duties (等保 2.0): the admin is a technical role (devices, settings, staff presence) and reads
 * no personal data; the security admin manages users and keys; the auditor reads the audit trail and nothing
 * else. A dispatcher works orders and may see whom a job is for, but may not reveal full identifiers.
 *
 * @example r.get('/', requireRole(...PERMISSIONS['person.read']), handler)
 */
export const PERMISSIONS = {
  /** Person search and the full record (masked identifiers). */
  'person.read': ['agent', 'dispatcher', 'supervisor'],
  'person.create': ['agent', 'supervisor'],
  /** Edit the profile, contacts, phones and devices of a person in scope (issue 8), as callers tell them. */
  'person.edit': ['agent', 'supervisor'],
  /** Sort out an ID number registered in two districts (needs both in scope). */
  'person.duplicate-resolve': ['supervisor'],
  /** Full ID / certificate number, medical notes, full phone numbers: audited, with a purpose. */
  'person.reveal': ['agent', 'supervisor'],
  'ticket.read': ['agent', 'dispatcher', 'supervisor'],
  'ticket.create': ['agent', 'dispatcher', 'supervisor'],
  'ticket.note': ['agent', 'dispatcher', 'supervisor'],
  'ticket.link-call': ['agent', 'supervisor'],
  /** The call log (caller numbers). */
  'call.read': ['agent', 'supervisor'],
  /** Click-to-call by id (a person's phone, a contact, a logged call, an order's caller): no number in the browser. */
  'call.dial': ['agent', 'dispatcher', 'supervisor'],
  /** Click-to-call a typed number, or call back an unknown caller (hotline staff, not dispatchers). */
  'call.dial-number': ['agent', 'supervisor'],
  'sos.read': ['agent', 'dispatcher', 'supervisor'],
  /** Acknowledge, resolve, false alarm. */
  'sos.handle': ['agent', 'dispatcher', 'supervisor'],
  /** One's own presence on the hotline queue. */
  'presence.own': ['agent', 'supervisor'],
  /** Every agent's presence (staff data, no persons). */
  'presence.read-all': ['supervisor', 'admin'],
  'softphone.settings': ['agent', 'dispatcher', 'supervisor'],
  'district.read': ['agent', 'dispatcher', 'supervisor', 'admin', 'security_admin', 'auditor'],
  /** The supervisor issues a pendant's key from the person page; admins for devices without a page visit. */
  'device.issue-key': ['supervisor', 'admin', 'security_admin'],
  /**
   * Load the persons register from a spreadsheet (an admin sets the system up; a supervisor adds a district's
   * records). The job shows row numbers and error codes, never the cells, so it reads no personal data.
   */
  'register.import': ['admin', 'supervisor'],
  /** Export a district's register with full identifiers: a bulk read with a purpose, audited per person. */
  'register.export': ['supervisor'],
  /** Staff users: create, roles and district scope, deactivate, unlock, reset password, reset a second factor. */
  'staff.manage': ['security_admin'],
  // --- issue 8: districts, person status and consent (admin-people) ---
  /** Import the district tree, rename and retire districts (no personal data). */
  'district.manage': ['admin'],
  /** Hand a person's record over to another district (the old district then loses sight of it). */
  'person.move': ['supervisor'],
  /** Merge two records of one person into one (both in scope). */
  'person.merge': ['supervisor'],
  /**
   * Record a death: agents too, since it is usually on the phone that an agent learns of it (a relative
   * calls); it disarms the devices and deletes nothing.
   */
  'person.record-death': ['agent', 'supervisor'],
  /** Correct a death recorded by mistake: the record is active again and the devices the death disarmed re-armed. */
  'person.reactivate': ['supervisor'],
  /** Record or withdraw a PIPL consent (as the person or guardian gives it, often on the phone). */
  'person.consent': ['agent', 'supervisor'],
  // --- end issue 8 ---
  /** The care work list: claim tasks, preview, dial, record outcomes and 回访 (hotline staff). */
  'care.work': ['agent', 'supervisor'],
  /** Care plans: who gets called how often (supervisors). */
  'care.plan': ['supervisor'],
  // --- issue 9: dispatch ---
  /** The dispatcher board, a job's detail and its candidate list. */
  'dispatch.read': ['dispatcher', 'supervisor'],
  /** Create jobs from orders; offer, re-offer, assign, withdraw, cancel. */
  'dispatch.work': ['dispatcher', 'supervisor'],
  /** Providers, field workers and volunteers (masked phones). */
  'dispatch.people.read': ['dispatcher', 'supervisor'],
  /** Create and edit them, reset a worker's field-page PIN. */
  'dispatch.people.manage': ['dispatcher', 'supervisor'],
  /**
   * Set a person's visit preferences (gender preference, two-person visit, no lone volunteer, blocked
   * candidates) that dispatch's hard filters read; reading them is `person.read`.
   */
  'dispatch.visit-prefs': ['dispatcher', 'supervisor'],
  // --- end issue 9 ---
  /** Search, verify and export the audit trail. */
  'audit.read': ['auditor'],
  /** Time bank and donations (issue 11): see timebank/timebank-permissions.ts. */
  ...TIMEBANK_PERMISSIONS,
} as const satisfies Record<string, readonly StaffRole[]>;
export type Permission = keyof typeof PERMISSIONS;

/**
 * Whether a role, or any of several roles (a user may hold more than one), holds `permission`.
 * @example may(actor.roles, 'person.read')
 */
export function may(role: StaffRole | readonly StaffRole[], permission: Permission): boolean {
  const allowed = PERMISSIONS[permission] as readonly StaffRole[];
  return (typeof role === 'string' ? [role] : role).some((r) => allowed.includes(r));
}
