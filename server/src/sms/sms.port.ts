/**
 * Sending a text message, vendor-neutral. The outbox calls it; nothing else talks to an SMS carrier.
 */

export interface OutboundSms {
  /** E.164 (`+8613800138000`). */
  to: string;
  body: string;
  /** Stable per message: a carrier that supports idempotency uses it; others ignore it. */
  idempotencyKey: string;
}

export interface SmsReceipt {
  /** The carrier's id of the message (Twilio `SM…`), `log:<key>` for the log adapter. */
  providerRef: string;
}

/** temporary → retry with backoff; rejected → never retry (bad number, opted out); unauthorized → configuration. */
export const SMS_ERROR_CODES = ['temporary', 'rejected', 'unauthorized', 'unknown'] as const;
export type SmsErrorCode = (typeof SMS_ERROR_CODES)[number];

export class SmsError extends Error {
  constructor(
    readonly code: SmsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SmsError';
  }
}

export interface SmsPort {
  /** `twilio` or `log` (no credentials: messages are only logged). */
  readonly kind: 'twilio' | 'log';
  /** Resolves once the carrier accepted the message; rejects with {@link SmsError}. */
  send(sms: OutboundSms): Promise<SmsReceipt>;
}
