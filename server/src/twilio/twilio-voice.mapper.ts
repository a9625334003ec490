/**
 * Twilio voice webhook parameters → our canonical telephony events. Pure. The Twilio adapter decides
 * nothing: the IVR flow says where the caller goes; these events tell the call log and the SOS module.
 */
import { z } from 'zod';
import { stripControlCharacters } from '../shared/control-characters';
import type { CallOffered, IvrChoice, SosRaised } from '../telephony/telephony-events';

const oneLine = (s: string): string => stripControlCharacters(s);

export const voiceParamsSchema = z
  .object({
    CallSid: z.string().regex(/^CA[0-9A-Za-z]{32}$/, 'CallSid'),
    // Caller numbers reach the call log and the console: control characters are dropped, never refused.
    From: z.string().max(40).transform(oneLine).default(''),
    To: z.string().max(40).transform(oneLine).default(''),
    Digits: z.string().max(20).transform(oneLine).optional(),
  })
  .passthrough();
export type VoiceParams = z.infer<typeof voiceParamsSchema>;

export const gatherQuerySchema = z.object({
  node: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/).default('welcome'),
  attempt: z.coerce.number().int().min(1).max(10).default(1),
});

const base = (p: VoiceParams, at: Date) => ({ vendor: 'twilio' as const, callKey: p.CallSid, at });

/** The caller was put into `queue` (`priority` 10 for SOS devices). */
export function offeredEvent(p: VoiceParams, queue: string, priority: number, at: Date): CallOffered {
  return { ...base(p, at), type: 'call.offered', direction: 'inbound', fromNumber: p.From, toNumber: p.To, queue, priority, channel: `twilio/${p.CallSid}` };
}

export function ivrChoiceEvent(p: VoiceParams, choice: string, at: Date): IvrChoice {
  return { ...base(p, at), type: 'ivr.choice', choice, fromNumber: p.From };
}

export function sosRaisedEvent(p: VoiceParams, deviceSerial: string, at: Date): SosRaised {
  return { ...base(p, at), type: 'sos.raised', fromNumber: p.From, ...(deviceSerial ? { deviceId: deviceSerial } : {}) };
}
