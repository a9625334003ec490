import { z } from 'zod';
import { coins, ledgerSettings, ROUNDING_MODES, type LedgerSettings } from '../../../dispatch/src/ledger';

/**
 * The time bank's policy as configuration (validated at start with the rest of the environment): how worked
 * minutes become coins, the caps, expiry, and whether goods can be bought with coins.
 */
export const timebankEnv = {
  /** Units credited per hour worked (100 = 1 hour is 1 coin). */
  TIMEBANK_UNITS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(100),
  TIMEBANK_ROUNDING_STEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  TIMEBANK_ROUNDING_MODE: z.enum(ROUNDING_MODES).default('down'),
  TIMEBANK_MAX_MINUTES_PER_JOB: z.coerce.number().int().min(1).max(24 * 60).default(720),
  /** Most coins credited to one account per calendar year; unset: no annual cap. */
  TIMEBANK_ANNUAL_CAP_COINS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** Most coins credited to one account ever (`0`: no lifetime cap). */
  TIMEBANK_LIFETIME_CAP_COINS: z.coerce.number().int().min(0).max(10_000_000).default(1500),
  /** Coins expire this many months after they were credited; unset: never. */
  TIMEBANK_EXPIRY_MONTHS: z.coerce.number().int().min(1).max(600).optional(),
  /** Policy switch: coins may buy goods (services can always be ordered). */
  TIMEBANK_GOODS_REDEMPTION: z.enum(['on', 'off']).default('on'),
  /** Public sign-ups (and volunteer link exchanges) per client address per hour. */
  TIMEBANK_SIGNUPS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(5),
};

type TimebankEnv = z.infer<z.ZodObject<typeof timebankEnv>>;

/** The ledger's settings from the parsed configuration (throws on values the rules reject). */
export function ledgerSettingsFrom(env: TimebankEnv): LedgerSettings {
  return ledgerSettings({
    unitsPerHour: env.TIMEBANK_UNITS_PER_HOUR,
    rounding: { stepMinutes: env.TIMEBANK_ROUNDING_STEP_MINUTES, mode: env.TIMEBANK_ROUNDING_MODE },
    maxMinutesPerJob: env.TIMEBANK_MAX_MINUTES_PER_JOB,
    annualCapUnits: env.TIMEBANK_ANNUAL_CAP_COINS === undefined ? null : coins(env.TIMEBANK_ANNUAL_CAP_COINS),
    lifetimeCapUnits: env.TIMEBANK_LIFETIME_CAP_COINS === 0 ? null : coins(env.TIMEBANK_LIFETIME_CAP_COINS),
    expiryMonths: env.TIMEBANK_EXPIRY_MONTHS ?? null,
    goodsRedemptionEnabled: env.TIMEBANK_GOODS_REDEMPTION === 'on',
  });
}
