/**
 * The time bank's permissions (spread into `auth/permissions.ts`, the one role policy). Dispatchers and
 * supervisors run volunteers, activities and redemptions; supervisors alone the catalogue, corrections (a
 * second supervisor approves), the federation's view and donations. Agents, admins, security admins and
 * auditors hold none of them; a volunteer sees only their own statement, through the volunteer portal.
 */
export const TIMEBANK_PERMISSIONS = {
  'timebank.read': ['dispatcher', 'supervisor'],
  'timebank.volunteers': ['dispatcher', 'supervisor'],
  'timebank.activities': ['dispatcher', 'supervisor'],
  'timebank.redeem': ['dispatcher', 'supervisor'],
  'timebank.shop': ['supervisor'],
  'timebank.corrections': ['supervisor'],
  'timebank.federation': ['supervisor'],
  'donation.manage': ['supervisor'],
} as const;
