/**
 * Accounts of the time-coin ledger. An account id is a string with a kind prefix, so a stored entry row
 * says by itself whose account it moved: `volunteer:<volunteerId>`, `person:<personId>` (a volunteer's
 * relative who receives coins) and the federation's system accounts. Pure.
 */

/** The federation's accounts: coins are issued from `issuer` (the only account allowed below zero). */
export const SYSTEM_ACCOUNTS = {
  /** Issues every earned coin; its balance is minus the coins issued (net of reversals). */
  issuer: 'system:issuer',
  /** Receives coins redeemed for goods in the shop. */
  shop: 'system:shop',
  /** Receives coins redeemed for a service (a life-service work order). */
  service: 'system:service',
  /** The mutual-aid pool (互助池): donated coins that fund services for people in need. */
  pool: 'system:mutual-aid-pool',
  /** Receives coins that expired under the expiry rule. */
  expired: 'system:expired',
} as const;

export type SystemAccountId = (typeof SYSTEM_ACCOUNTS)[keyof typeof SYSTEM_ACCOUNTS];
export type AccountId = string;

export const ACCOUNT_KINDS = ['issuer', 'shop', 'service', 'pool', 'expired', 'volunteer', 'person'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** A volunteer's own account. @example volunteerAccount('v-17') // 'volunteer:v-17' */
export function volunteerAccount(volunteerId: string): AccountId {
  return `volunteer:${volunteerId}`;
}

/** The account of a person who is not a volunteer (a relative coins were transferred to). */
export function personAccount(personId: string): AccountId {
  return `person:${personId}`;
}

const SYSTEM_KIND: Record<string, AccountKind> = {
  [SYSTEM_ACCOUNTS.issuer]: 'issuer',
  [SYSTEM_ACCOUNTS.shop]: 'shop',
  [SYSTEM_ACCOUNTS.service]: 'service',
  [SYSTEM_ACCOUNTS.pool]: 'pool',
  [SYSTEM_ACCOUNTS.expired]: 'expired',
};

/**
 * The kind of an account id, or null when the id is not one the ledger knows.
 * @example accountKind('volunteer:v-17') // 'volunteer'
 */
export function accountKind(accountId: AccountId): AccountKind | null {
  const system = SYSTEM_KIND[accountId];
  if (system) return system;
  const match = /^(volunteer|person):[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.exec(accountId);
  if (!match) return null;
  return match[1] as 'volunteer' | 'person';
}

/** A volunteer's or a relative's account: holds coins, earns, redeems, transfers, donates, expires. */
export function isMemberAccount(accountId: AccountId): boolean {
  const kind = accountKind(accountId);
  return kind === 'volunteer' || kind === 'person';
}
