/**
 * The AMI actions the adapter sends, built from our requests. Pure. Every value is checked first: a CR or LF in
 * a header value would let a caller inject AMI headers or whole actions.
 */
import type { OriginateRequest } from '../telephony.port';
import type { AmiAction } from './ami-connection';
import { TelephonyError } from './ami.errors';

/** How agents and customers are reached in this PBX's dialplan. `{ext}` stands for the agent extension. */
export interface AmiDialplan {
  /** Queue member interface, e.g. `Local/{ext}@agents/n` (default) or `PJSIP/{ext}` for WebRTC agents. */
  memberInterface: string;
  /** Channel an Originate rings first (the agent), e.g. `Local/{ext}@agents` (default) or `PJSIP/{ext}`. */
  originateChannel: string;
  /** Dialplan context in which the customer number is dialled once the agent answers. */
  outboundContext: string;
}

export const DEFAULT_DIALPLAN: AmiDialplan = {
  memberInterface: 'Local/{ext}@agents/n',
  originateChannel: 'Local/{ext}@agents',
  outboundContext: 'from-internal',
};

const EXTENSION = /^[A-Za-z0-9_.-]{1,40}$/;
const NUMBER = /^\+?[0-9*#]{1,32}$/;
const QUEUE = /^[A-Za-z0-9_.-]{1,80}$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function check(value: string, pattern: RegExp | 'line', what: string): string {
  const ok = pattern === 'line' ? !/[\r\n]/.test(value) && value.length <= 256 : pattern.test(value);
  if (!ok) throw new TelephonyError('rejected', `invalid ${what}: ${JSON.stringify(value.slice(0, 40))}`);
  return value;
}

/** Put the extension into a `{ext}` pattern. @example fillPattern('PJSIP/{ext}', '8001') // → 'PJSIP/8001' */
export function fillPattern(pattern: string, agentExtension: string): string {
  return pattern.split('{ext}').join(check(agentExtension, EXTENSION, 'agent extension'));
}

/**
 * Click-to-call: ring the agent first (`originateChannel`), then dial the customer number in
 * `outboundContext`; asynchronous, so the result comes later as an OriginateResponse carrying our ActionID.
 *
 * @example originateAction({ requestId: 'r1', agentExtension: '8001', toNumber: '13800138000', callerId: 'Anxin <4008001234>' }, DEFAULT_DIALPLAN)
 * // → { action: 'Originate', actionid: 'r1', channel: 'Local/8001@agents', context: 'from-internal', exten: '13800138000', … }
 */
export function originateAction(req: OriginateRequest, dialplan: AmiDialplan): AmiAction {
  const variable: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.variables ?? {})) {
    variable[check(name, VARIABLE, 'variable name')] = check(value, 'line', `value of ${name}`);
  }
  const action: AmiAction = {
    action: 'Originate',
    actionid: check(req.requestId, /^[A-Za-z0-9_.:-]{1,64}$/, 'request id'),
    channel: req.channel !== undefined ? check(req.channel, /^(Local|PJSIP)\/[A-Za-z0-9_.@-]{1,80}$/, 'channel') : fillPattern(dialplan.originateChannel, req.agentExtension),
    context: check(dialplan.outboundContext, QUEUE, 'outbound context'),
    exten: check(req.toNumber, NUMBER, 'number'),
    priority: '1',
    callerid: check(req.callerId, 'line', 'caller id'),
    async: 'true',
  };
  if (req.timeoutMs !== undefined) action.timeout = String(Math.max(1000, Math.round(req.timeoutMs)));
  if (Object.keys(variable).length > 0) action.variable = variable;
  return action;
}

/** Hang up one channel (as named by the PBX, e.g. `PJSIP/trunk-00000000`). */
export function hangupAction(channel: string): AmiAction {
  return { action: 'Hangup', channel: check(channel, /^[A-Za-z0-9_/@.;:+-]{1,128}$/, 'channel') };
}

/** Add an agent to a queue as a dynamic member. */
export function queueAddAction(queue: string, agentExtension: string, memberName: string | undefined, dialplan: AmiDialplan): AmiAction {
  const action: AmiAction = {
    action: 'QueueAdd',
    queue: check(queue, QUEUE, 'queue'),
    interface: fillPattern(dialplan.memberInterface, agentExtension),
  };
  if (memberName !== undefined) action.membername = check(memberName, 'line', 'member name');
  return action;
}

/** Remove an agent from a queue. */
export function queueRemoveAction(queue: string, agentExtension: string, dialplan: AmiDialplan): AmiAction {
  return { action: 'QueueRemove', queue: check(queue, QUEUE, 'queue'), interface: fillPattern(dialplan.memberInterface, agentExtension) };
}

/** Pause or unpause an agent in one queue, or in all queues when `queue` is undefined. */
export function queuePauseAction(
  queue: string | undefined,
  agentExtension: string,
  paused: boolean,
  reason: string | undefined,
  dialplan: AmiDialplan,
): AmiAction {
  const action: AmiAction = { action: 'QueuePause', interface: fillPattern(dialplan.memberInterface, agentExtension), paused: String(paused) };
  if (queue !== undefined) action.queue = check(queue, QUEUE, 'queue');
  if (reason !== undefined && paused) action.reason = check(reason, 'line', 'pause reason');
  return action;
}
