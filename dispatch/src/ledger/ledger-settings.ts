/**
 * The time bank's policy as data: how worked minutes become coins, caps, expiry, which relatives may
 * receive transfers, whether goods can be bought with coins. Pure; the server loads it from config.
 */

/** Every amount in the ledger is an integer count of units; one coin is 100 units (no floating point). */
export const UNITS_PER_COIN = 100;

/** Units for a whole number of coins. @example coins(1500) // 150000 */
export function coins(n: number): number {
  return Math.round(n * UNITS_PER_COIN);
}

export const ROUNDING_MODES = ['down', 'nearest', 'up'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

export interface RoundingRule {
  /** Worked minutes are rounded to a multiple of this (1 = exact minutes, 30 = half hours). */
  stepMinutes: number;
  mode: RoundingMode;
}

/** Relations (as the person register records them) that count as direct relatives for transfers. */
export const DEFAULT_DIRECT_RELATIONS = ['配偶', '父母', '子女', '祖父母', '外祖父母', '孙子女', '外孙子女'] as const;

export interface LedgerSettings {
  /** Units credited per hour worked: 100 = 1 hour is 1 coin. */
  unitsPerHour: number;
  rounding: RoundingRule;
  /** A job or an attendance longer than this is refused, not credited (a forgotten check-out is reviewed by staff). */
  maxMinutesPerJob: number;
  /** Most units credited to one account in one calendar year (earnings, credit adjustments, transfers in); null: no cap. */
  annualCapUnits: number | null;
  /** Most units credited to one account ever, counted the same way; null: no cap. */
  lifetimeCapUnits: number | null;
  /** Coins expire this many calendar months after they were credited (oldest spent first); null: never. */
  expiryMonths: number | null;
  /** Relations allowed to receive (and give back) transfers. */
  directRelations: readonly string[];
  /** Policy switch: coins may buy goods in the shop (services can always be ordered). */
  goodsRedemptionEnabled: boolean;
  /** Offset of the federation's calendar from UTC (Asia/Shanghai: +480, no daylight saving). */
  utcOffsetMinutes: number;
}

export const DEFAULT_LEDGER_SETTINGS: LedgerSettings = {
  unitsPerHour: UNITS_PER_COIN,
  rounding: { stepMinutes: 30, mode: 'down' },
  maxMinutesPerJob: 12 * 60,
  annualCapUnits: null,
  lifetimeCapUnits: coins(1500),
  expiryMonths: null,
  directRelations: DEFAULT_DIRECT_RELATIONS,
  goodsRedemptionEnabled: true,
  utcOffsetMinutes: 480,
};

/**
 * Settings with defaults filled in; throws on values that would break the rules (fail at startup, not
 * in the middle of crediting someone).
 * @example ledgerSettings({ rounding: { stepMinutes: 15, mode: 'nearest' } })
 */
export function ledgerSettings(overrides: Partial<LedgerSettings> = {}): LedgerSettings {
  const s: LedgerSettings = { ...DEFAULT_LEDGER_SETTINGS, ...overrides };
  const positiveInt = (n: number) => Number.isSafeInteger(n) && n > 0;
  const problems: string[] = [];
  if (!positiveInt(s.unitsPerHour)) problems.push('unitsPerHour must be a positive integer');
  if (!positiveInt(s.rounding.stepMinutes) || s.rounding.stepMinutes > 24 * 60) problems.push('rounding.stepMinutes must be an integer from 1 to 1440');
  if (!ROUNDING_MODES.includes(s.rounding.mode)) problems.push(`rounding.mode must be one of ${ROUNDING_MODES.join(', ')}`);
  if (!positiveInt(s.maxMinutesPerJob)) problems.push('maxMinutesPerJob must be a positive integer');
  if (s.annualCapUnits !== null && !positiveInt(s.annualCapUnits)) problems.push('annualCapUnits must be a positive integer or null');
  if (s.lifetimeCapUnits !== null && !positiveInt(s.lifetimeCapUnits)) problems.push('lifetimeCapUnits must be a positive integer or null');
  if (s.expiryMonths !== null && !positiveInt(s.expiryMonths)) problems.push('expiryMonths must be a positive integer or null');
  if (!Number.isInteger(s.utcOffsetMinutes) || Math.abs(s.utcOffsetMinutes) > 14 * 60) problems.push('utcOffsetMinutes must be an integer within ±840');
  if (problems.length > 0) throw new Error(`Invalid time-bank settings: ${problems.join('; ')}`);
  return s;
}

/** The calendar year of an instant in the federation's time zone. */
export function calendarYear(at: Date, settings: Pick<LedgerSettings, 'utcOffsetMinutes'>): number {
  return new Date(at.getTime() + settings.utcOffsetMinutes * 60_000).getUTCFullYear();
}

/**
 * The instants a calendar year of the federation starts and ends (end exclusive): an entry at `at` lies in
 * `year` when `start <= at < end`, exactly when `calendarYear(at) === year`.
 * @example calendarYearBounds(2026, { utcOffsetMinutes: 480 }).start // 2025-12-31T16:00:00.000Z
 */
export function calendarYearBounds(year: number, settings: Pick<LedgerSettings, 'utcOffsetMinutes'>): { start: Date; end: Date } {
  const offsetMs = settings.utcOffsetMinutes * 60_000;
  return { start: new Date(Date.UTC(year, 0, 1) - offsetMs), end: new Date(Date.UTC(year + 1, 0, 1) - offsetMs) };
}

/**
 * The instant `months` calendar months after `at` in the federation's time zone; a day missing in the
 * target month is clamped to its last day (31 January + 1 month = 28/29 February).
 */
export function addCalendarMonths(at: Date, months: number, settings: Pick<LedgerSettings, 'utcOffsetMinutes'>): Date {
  const offsetMs = settings.utcOffsetMinutes * 60_000;
  const local = new Date(at.getTime() + offsetMs);
  const target = new Date(local.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(local.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(local.getUTCDate(), lastDay));
  return new Date(target.getTime() - offsetMs);
}
