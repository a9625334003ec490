import { AppError } from '../shared/app-error';
import type { TelephonyErrorCode } from './telephony.port';

/**
 * The vendor-neutral code of an adapter failure (adapters throw errors carrying a `TelephonyErrorCode`),
 * or null for anything else.
 * @example telephonyCode(new TelephonyError('not-found', 'Interface not found')) // 'not-found'
 */
export function telephonyCode(err: unknown): TelephonyErrorCode | null {
  const code = (err as { code?: unknown } | null)?.code;
  const name = (err as { name?: unknown } | null)?.name;
  if (name !== 'TelephonyError' || typeof code !== 'string') return null;
  return (['temporary', 'rejected', 'not-found', 'unauthorized', 'unknown'] as const).find((c) => c === code) ?? null;
}

/**
 * An adapter failure as the AppError transports know: `temporary` (PBX down, no answer in time) → 503,
 * anything the PBX refused → 502. Errors that are not adapter failures pass through unchanged.
 */
export function toAppError(err: unknown, what: string): unknown {
  const code = telephonyCode(err);
  if (!code) return err;
  if (code === 'temporary') return new AppError('telephony/temporary', `电话系统暂不可用，${what}未完成，请稍后重试`);
  return new AppError('telephony/rejected', `电话系统拒绝了${what}（${code}）`, { telephonyCode: code });
}
