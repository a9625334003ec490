/**
 * What a caller hears when they phone the Twilio number. Anxin does not take voice calls through Twilio
 * (agents answer calls in the Asterisk queue only): the caller is told the hotline number and the call ends,
 * so no call waits in a queue that nobody serves. An SOS device calling it has raised its SOS already (the
 * order, the alert and the escalation chain run as for any SOS); it hears that help is on the way. Pure.
 */
import { twiml } from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type { IvrFlow } from '../../../ivr/src/flow.schema';

export type DeclinedVoiceCaller = 'caller' | 'sos_device';

/** "4008001234" → "4 0 0 8 0 0 1 2 3 4": spoken digit by digit, not as a large number. */
export function spokenDigits(number: string): string {
  return [...number.replace(/[^0-9]/g, '')].join(' ');
}

/**
 * The TwiML answer for every voice webhook: one sentence (in the flow's voice and language), then hang up.
 * @example declinedVoiceTwiml(flow, '4008001234', 'caller')
 * // <Response><Say …>本号码只接收短信，不接听电话。请拨打安心热线 4 0 0 8 0 0 1 2 3 4 …</Say><Hangup/></Response>
 */
export function declinedVoiceTwiml(flow: IvrFlow, hotlineNumber: string, caller: DeclinedVoiceCaller): string {
  const response = new twiml.VoiceResponse();
  const attributes = { voice: flow.tts.voice as VoiceResponse.SayAttributes['voice'], language: flow.tts.language as VoiceResponse.SayAttributes['language'] };
  const hotline = spokenDigits(hotlineNumber);
  const text = caller === 'sos_device'
    ? `您的紧急求助已收到，工作人员会马上与您和您的紧急联系人联系。需要通话请拨打安心热线 ${hotline}。`
    : `本号码只接收短信，不接听电话。请拨打安心热线 ${hotline}，或向本号码发送短信。`;
  response.say(attributes, text);
  response.hangup();
  return response.toString();
}
