import express, { Router } from 'express';
import { twiml } from 'twilio';
import type { IvrFlow } from '../../../ivr/src/flow.schema';
import type { Logger } from '../config/logger';
import type { CallerLookup } from '../ivr/caller-lookup.service';
import type { Clock } from '../shared/clock';
import { stripControlCharacters } from '../shared/control-characters';
import type { InboundSmsService } from '../sms/inbound-sms.service';
import type { TelephonyEvent } from '../telephony/telephony-events';
import { twilioSignature } from './twilio-signature';
import { sosRaisedEvent, voiceParamsSchema } from './twilio-voice.mapper';
import { declinedVoiceTwiml } from './twilio-voice.twiml';

export interface TwilioRoutesDeps {
  authToken: string;
  publicBaseUrl?: string;
  /** Its voice and language speak the answer to a voice call. */
  flow: IvrFlow;
  /** The number callers are told to phone instead (HOTLINE_NUMBER). */
  hotlineNumber: string;
  lookup: CallerLookup;
  inboundSms: InboundSmsService;
  /** Canonical events for the SOS module (`sos.raised` when an SOS device calls). */
  emit: (event: TelephonyEvent) => void;
  clock: Clock;
  log: Logger;
}

/**
 * Twilio webhooks (form-encoded, signed). Twilio carries texts, not voice: `/twilio/sms` (a text arrives) is
 * answered with a TwiML `<Message>`. `/twilio/voice` answers every call with the hotline number to phone and
 * hangs up; no call row is opened, because no agent takes calls from Twilio. An SOS device calling it still
 * raises its SOS (P0 order, alert, escalation chain). `/twilio/gather` (the menu's key presses, from before
 * voice was withdrawn) answers the same.
 */
export function twilioRoutes(deps: TwilioRoutesDeps): Router {
  const r = Router();
  r.use(express.urlencoded({ extended: false, limit: '64kb' }), twilioSignature(deps.authToken, deps.publicBaseUrl));
  const declined = (caller: 'caller' | 'sos_device') => declinedVoiceTwiml(deps.flow, deps.hotlineNumber, caller);

  r.post('/voice', async (req, res) => {
    let caller: 'caller' | 'sos_device' = 'caller';
    try {
      const p = voiceParamsSchema.parse(req.body);
      const found = await deps.lookup.classify(p.From);
      if (found.kind === 'sos') {
        deps.emit(sosRaisedEvent(p, found.deviceSerial, deps.clock.now()));
        caller = 'sos_device';
      }
      deps.log.info({ twilioCallSid: p.CallSid, sos: caller === 'sos_device' }, 'Twilio voice call declined: caller told the hotline number');
    } catch (err) {
      deps.log.error({ err }, 'Twilio voice webhook failed: caller told the hotline number');
    }
    res.type('text/xml').send(declined(caller));
  });

  r.post('/gather', (_req, res) => {
    res.type('text/xml').send(declined('caller'));
  });

  r.post('/sms', async (req, res) => {
    const reply = new twiml.MessagingResponse();
    try {
      const body = req.body as Record<string, unknown>;
      const messageSid = String(body.MessageSid ?? body.SmsSid ?? '').slice(0, 64);
      if (!messageSid) throw new Error('no MessageSid');
      // An SMS is never refused for its text: control characters are dropped (line breaks kept in the body).
      const from = stripControlCharacters(String(body.From ?? ''));
      const text = stripControlCharacters(String(body.Body ?? ''), 'text');
      const result = await deps.inboundSms.handle({ messageSid: stripControlCharacters(messageSid), from, body: text });
      reply.message(result.reply);
    } catch (err) {
      deps.log.error({ err }, 'Twilio SMS webhook failed');
      reply.message('【安心热线】系统繁忙，您的短信未能处理，请稍后重发。紧急情况请拨打 120 / 110。');
    }
    res.type('text/xml').send(reply.toString());
  });
  return r;
}
