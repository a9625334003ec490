/**
 * Vendor failures in the port's small code set. An AMI action error arrives as a `Response: Error` frame
 * whose `Message` is all we get; the messages below are the ones the recordings show (ami-errors*.jsonl)
 * plus Asterisk's permission message.
 */
import type { TelephonyErrorCode } from '../telephony.port';

/** The one error an adapter throws: a vendor-neutral code and a message for the logs. */
export class TelephonyError extends Error {
  constructor(
    readonly code: TelephonyErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TelephonyError';
  }
}

const RULES: Array<[RegExp, TelephonyErrorCode]> = [
  // "Authentication failed", "Permission denied"
  [/authentication|permission denied|not allowed/i, 'unauthorized'],
  // "Extension does not exist.", "Unable to remove interface: Not there", "Interface not found", "No such channel"
  [/does not exist|not found|not there|no such/i, 'not-found'],
  // "Invalid/unknown command: …", "Missing action in request", "Unable to add interface: Already there"
  [/invalid|unknown command|missing|already there|required/i, 'rejected'],
];

/**
 * The code for an AMI `Response: Error` message; anything unrecognised is `rejected` (Asterisk refused the
 * request; retrying the same request will not help).
 *
 * @example amiErrorCode('Interface not found') // → 'not-found'
 */
export function amiErrorCode(message: string | undefined): TelephonyErrorCode {
  for (const [pattern, code] of RULES) if (message && pattern.test(message)) return code;
  return 'rejected';
}
