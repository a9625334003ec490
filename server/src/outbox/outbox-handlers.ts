import { telephonyCode } from '../telephony/telephony-failure';
import type { TelephonyPort } from '../telephony/telephony.port';
import { SmsError, type SmsPort } from '../sms/sms.port';
import type { CallPayload, SmsPayload } from './outbox.entity';
import { DeliveryError, type OutboxHandler } from './outbox.worker';

/** `sms` messages through the SMS port; carrier failures keep their code (temporary → retry). */
export function smsHandler(sms: SmsPort): OutboxHandler {
  return async (message) => {
    const payload = message.payload as SmsPayload;
    try {
      return await sms.send({ to: payload.to, body: payload.body, idempotencyKey: message.idempotencyKey });
    } catch (err) {
      if (err instanceof SmsError) throw new DeliveryError(err.code, err.message);
      throw err;
    }
  };
}

export interface CallHandlerOptions {
  /** The dialplan extension that queues the callback (see extensions_anxin.conf). */
  callbackExtension: string;
  /** Its context: the callback is originated as `Local/<callbackExtension>@<callbackContext>`. */
  callbackContext: string;
  /** Caller id shown to the person called, e.g. `安心热线 <4008001234>`. */
  callerId: string;
}

/**
 * `call` messages as PBX originates. The originate's request id is derived from the message id, so a
 * retried delivery is recognisable in the call log.
 */
export function callHandler(telephony: TelephonyPort, opts: CallHandlerOptions): OutboxHandler {
  return async (message) => {
    const payload = message.payload as CallPayload;
    const requestId = `anxin-ob-${message.id}-${message.attempts}`;
    try {
      const channel = `Local/${opts.callbackExtension}@${opts.callbackContext}`;
      await telephony.originate({ requestId, agentExtension: opts.callbackExtension, channel, toNumber: payload.toNumber, callerId: opts.callerId, variables: payload.variables });
      return { providerRef: requestId };
    } catch (err) {
      const code = telephonyCode(err);
      if (!code) throw err;
      throw new DeliveryError(code === 'not-found' ? 'rejected' : code, (err as Error).message);
    }
  };
}
