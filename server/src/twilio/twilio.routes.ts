import express, { Router, type Response } from 'express';
import { twiml } from 'twilio';
import { afterInput, entryStep, type IvrStep } from '../../../ivr/src/flow-engine';
import type { IvrFlow } from '../../../ivr/src/flow.schema';
import { SOS_QUEUE_PRIORITY } from '../../../ivr/src/flow.schema';
import { renderFailOpenTwiml, renderTwiml } from '../../../ivr/src/render-twiml';
import type { Logger } from '../config/logger';
import type { CallerLookup } from '../ivr/caller-lookup.service';
import type { Clock } from '../shared/clock';
import { stripControlCharacters } from '../shared/control-characters';
import type { InboundSmsService } from '../sms/inbound-sms.service';
import type { TelephonyEvent } from '../telephony/telephony-events';
import { twilioSignature } from './twilio-signature';
import { gatherQuerySchema, ivrChoiceEvent, offeredEvent, sosRaisedEvent, voiceParamsSchema, type VoiceParams } from './twilio-voice.mapper';

export interface TwilioRoutesDeps {
  authToken: string;
  publicBaseUrl?: string;
  flow: IvrFlow;
  lookup: CallerLookup;
  inboundSms: InboundSmsService;
  /** Canonical events for the call log and the SOS module. */
  emit: (event: TelephonyEvent) => void;
  clock: Clock;
  log: Logger;
}

const links = { gather: (node: string, attempt: number) => `/twilio/gather?node=${node}&attempt=${attempt}` };

/**
 * Twilio webhooks (form-encoded, signed): `/twilio/voice` (a call arrives), `/twilio/gather` (a key was
 * pressed), `/twilio/sms` (a text arrives). Voice answers TwiML for the IVR flow; any failure answers TwiML
 * that puts the caller into the queue (fail open). Texts are answered with a TwiML `<Message>`.
 */
export function twilioRoutes(deps: TwilioRoutesDeps): Router {
  const r = Router();
  r.use(express.urlencoded({ extended: false, limit: '64kb' }), twilioSignature(deps.authToken, deps.publicBaseUrl));

  const answer = (res: Response, p: VoiceParams, step: IvrStep) => {
    const at = deps.clock.now();
    if (step.kind === 'sos') deps.emit(offeredEvent(p, deps.flow.sos.queue, SOS_QUEUE_PRIORITY, at));
    if (step.kind === 'queue') {
      deps.emit(ivrChoiceEvent(p, step.node.choice, at));
      deps.emit(offeredEvent(p, step.node.queue, step.node.priority, at));
    }
    res.type('text/xml').send(renderTwiml(deps.flow, step, links));
  };
  const failOpen = (res: Response, err: unknown, where: string) => {
    deps.log.error({ err, where }, 'Twilio voice webhook failed: caller sent to the queue');
    res.type('text/xml').send(renderFailOpenTwiml(deps.flow));
  };

  r.post('/voice', async (req, res) => {
    try {
      const p = voiceParamsSchema.parse(req.body);
      const caller = await deps.lookup.classify(p.From);
      if (caller.kind === 'sos') deps.emit(sosRaisedEvent(p, caller.deviceSerial, deps.clock.now()));
      answer(res, p, entryStep(deps.flow, { sos: caller.kind === 'sos', known: caller.kind === 'known' }));
    } catch (err) {
      failOpen(res, err, 'voice');
    }
  });

  r.post('/gather', (req, res) => {
    try {
      const p = voiceParamsSchema.parse(req.body);
      const q = gatherQuerySchema.parse(req.query);
      answer(res, p, afterInput(deps.flow, q.node, q.attempt, p.Digits));
    } catch (err) {
      failOpen(res, err, 'gather');
    }
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
