/**
 * TwiML for one IVR step (Twilio voice webhooks), in Mandarin, built with the official twilio builder.
 * The webhook answers each step; `flow-engine.ts` decides which step comes next.
 */
import { twiml } from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type { IvrFlow, IvrPrompt, QueueNode } from './flow.schema';
import type { IvrStep } from './flow-engine';

export interface TwimlLinks {
  /** Absolute or relative URL Twilio posts the key press of menu `nodeId`, attempt `attempt` to. */
  gather(nodeId: string, attempt: number): string;
}

interface Sayer {
  say(attributes: VoiceResponse.SayAttributes, message: string): VoiceResponse.Say;
}

/** The flow's voice and language are free strings in the file; Twilio checks them when it speaks. */
function say(target: Sayer, flow: IvrFlow, prompt: IvrPrompt): void {
  const attributes = { voice: flow.tts.voice as VoiceResponse.SayAttributes['voice'], language: flow.tts.language as VoiceResponse.SayAttributes['language'] };
  if (prompt.rate === 'slow') target.say(attributes, '').prosody({ rate: 'slow' }, prompt.text);
  else target.say(attributes, prompt.text);
}

function enqueue(response: twiml.VoiceResponse, flow: IvrFlow, name: string, prompt: IvrPrompt | undefined): void {
  if (prompt) say(response, flow, prompt);
  response.enqueue(name);
}

/**
 * The TwiML document for `step`.
 * @example renderTwiml(flow, entryStep(flow, { sos: false, known: false }), { gather: (n, a) => `/twilio/gather?node=${n}&attempt=${a}` })
 * // <?xml …?><Response><Gather input="dtmf" numDigits="1" …><Say voice="Polly.Zhiyu" language="cmn-CN">您好…</Say></Gather></Response>
 */
export function renderTwiml(flow: IvrFlow, step: IvrStep, links: TwimlLinks): string {
  const response = new twiml.VoiceResponse();
  switch (step.kind) {
    case 'sos':
      enqueue(response, flow, flow.sos.twilioQueue, flow.sos.prompt);
      break;
    case 'queue':
      enqueue(response, flow, step.node.queue, step.node.prompt);
      break;
    case 'menu': {
      if (step.invalid && step.node.invalidPrompt) say(response, flow, step.node.invalidPrompt);
      const gather = response.gather({
        input: ['dtmf'],
        numDigits: 1,
        timeout: step.node.timeoutSeconds,
        action: links.gather(step.nodeId, step.attempt),
        method: 'POST',
        actionOnEmptyResult: true,
      });
      say(gather, flow, step.node.prompt);
      break;
    }
  }
  return response.toString();
}

/** The queue a silent caller ends up in: where every call goes when anything fails (fail open). */
export function failOpenQueue(flow: IvrFlow): QueueNode {
  let node = flow.nodes[flow.start];
  for (let hops = 0; node?.type === 'menu' && hops < 50; hops++) node = flow.nodes[node.noInput];
  if (node?.type !== 'queue') throw new Error(`IVR flow "${flow.id}": no queue at the end of the no-input path`);
  return node;
}

/** TwiML that sends the caller straight to the fail-open queue (server error, unknown state). */
export function renderFailOpenTwiml(flow: IvrFlow): string {
  const response = new twiml.VoiceResponse();
  say(response, flow, { text: '正在为您转接人工服务，请稍候。', sound: 'anxin/transfer-agent', rate: 'normal' });
  response.enqueue(failOpenQueue(flow).queue);
  return response.toString();
}
