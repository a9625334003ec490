import type { SoftphoneFailure } from '../../api/wire';

/**
 * The failure a REGISTER answer means. Pure.
 * @example failureOf(403) // 'forbidden'
 */
export function failureOf(status: number): SoftphoneFailure {
  if (status === 403) return 'forbidden';
  if (status === 401 || status === 407) return 'auth_failed';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server_error';
  return 'unknown';
}
