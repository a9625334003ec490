/**
 * Twilio voice webhook parameters → our canonical telephony events. Pure. Twilio voice calls are not taken
 * (see twilio-voice.twiml.ts); the only event left is `sos.raised` when a registered SOS device calls.
 */
import { z } from 'zod';
import { stripControlCharacters } from '../shared/control-characters';
import type { SosRaised } from '../telephony/telephony-events';

const oneLine = (s: string): string => stripControlCharacters(s);

export const voiceParamsSchema = z
  .object({
    CallSid: z.string().regex(/^CA[0-9A-Za-z]{32}$/, 'CallSid'),
    // Caller numbers reach the call log and the console: control characters are dropped, never refused.
    From: z.string().max(40).transform(oneLine).default(''),
    To: z.string().max(40).transform(oneLine).default(''),
  })
  .passthrough();
export type VoiceParams = z.infer<typeof voiceParamsSchema>;

const base = (p: VoiceParams, at: Date) => ({ vendor: 'twilio' as const, callKey: p.CallSid, at });

export function sosRaisedEvent(p: VoiceParams, deviceSerial: string, at: Date): SosRaised {
  return { ...base(p, at), type: 'sos.raised', fromNumber: p.From, ...(deviceSerial ? { deviceId: deviceSerial } : {}) };
}
