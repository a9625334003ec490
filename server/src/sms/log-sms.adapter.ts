import type { Logger } from '../config/logger';
import { maskPhone } from '../persons/phone-number';
import type { OutboundSms, SmsPort, SmsReceipt } from './sms.port';

/**
 * The SMS port when no carrier is configured: every message is written to the log (number masked) and
 * counts as sent, so the outbox, the timeline and the tests behave as in production.
 */
export class LogSmsAdapter implements SmsPort {
  readonly kind = 'log' as const;

  constructor(private readonly log: Logger) {}

  async send(sms: OutboundSms): Promise<SmsReceipt> {
    this.log.info({ to: maskPhone(sms.to), chars: sms.body.length, idempotencyKey: sms.idempotencyKey, body: sms.body }, 'SMS (log only: no Twilio credentials)');
    return { providerRef: `log:${sms.idempotencyKey}`.slice(0, 100) };
  }
}
