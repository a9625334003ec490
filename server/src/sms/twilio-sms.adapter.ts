import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { OutboundSms, SmsPort, SmsReceipt } from './sms.port';
import { smsErrorFromTwilio } from './twilio-sms.mapper';

export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** Sender: a Twilio number (E.164) or a Messaging Service SID (`MG…`). */
  from: string;
  /** Where the REST requests go (tests: a local server through a rewriting client). */
  httpClient?: RequestClient;
  /** Per-request timeout, ms (default 10 s). */
  timeoutMs?: number;
}

/**
 * The SMS port on Twilio's official client. Twilio's own 429 retry is off: the outbox retries with
 * backoff and keeps the attempts on record.
 */
export class TwilioSmsAdapter implements SmsPort {
  readonly kind = 'twilio' as const;
  private readonly client: ReturnType<typeof twilio>;

  constructor(private readonly options: TwilioSmsOptions) {
    this.client = twilio(options.accountSid, options.authToken, { httpClient: options.httpClient, autoRetry: false, timeout: options.timeoutMs ?? 10_000 });
  }

  async send(sms: OutboundSms): Promise<SmsReceipt> {
    const sender = this.options.from.startsWith('MG') ? { messagingServiceSid: this.options.from } : { from: this.options.from };
    try {
      const message = await this.client.messages.create({ to: sms.to, body: sms.body, ...sender });
      return { providerRef: message.sid };
    } catch (err) {
      throw smsErrorFromTwilio(err);
    }
  }
}
