import type { Logger } from '../config/logger';
import { LogSmsAdapter } from './log-sms.adapter';
import type { SmsPort } from './sms.port';
import { BaseUrlRequestClient } from './twilio-base-url.client';
import { TwilioSmsAdapter } from './twilio-sms.adapter';

export interface SmsConfig {
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_SMS_FROM?: string;
  TWILIO_API_BASE_URL?: string;
}

/** Twilio when account, token and sender are configured; otherwise messages go to the log. */
export function createSms(config: SmsConfig, log: Logger): SmsPort {
  const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_SMS_FROM: from } = config;
  if (!sid || !token || !from) return new LogSmsAdapter(log.child({ module: 'sms' }));
  const httpClient = config.TWILIO_API_BASE_URL ? new BaseUrlRequestClient(config.TWILIO_API_BASE_URL) : undefined;
  return new TwilioSmsAdapter({ accountSid: sid, authToken: token, from, httpClient });
}
