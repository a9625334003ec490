/**
 * Queue member states: AMI member events (QueueMemberAdded / Pause / Status / Removed, and the QueueMember
 * item of a QueueStatus list) → `agent.state`, emitted only when something an agent's console shows changed.
 * Pure.
 */
import type { AgentStateChanged } from '../telephony-events';
import { amiString, type AmiMessage } from './ami-frame';
import { queueMemberEventSchema, queueMemberItemSchema } from './ami.schemas';
import { agentStateOf } from './ami-values';

/** AMI event names (lower-cased) that describe a queue member. */
export const MEMBER_EVENT_NAMES: ReadonlySet<string> = new Set([
  'queuememberadded',
  'queuememberpause',
  'queuememberstatus',
  'queuememberremoved',
  'queuemember',
]);

/**
 * The agent state a member event describes; `undefined` with a reason when the frame is malformed.
 *
 * @example memberStateOf(queueMemberPauseEvent, at) // → { state: { type: 'agent.state', state: 'paused', … } }
 */
export function memberStateOf(message: AmiMessage, at: Date): { state?: AgentStateChanged; problem?: string } {
  const name = amiString(message, 'event')?.toLowerCase();
  if (name === 'queuemember') {
    const parsed = queueMemberItemSchema.safeParse(message);
    if (!parsed.success) return { problem: parsed.error.message };
    const e = parsed.data;
    const fields = { queue: e.queue, iface: e.location, memberName: e.name, status: e.status, paused: e.paused };
    return { state: agentStateOf({ ...fields, pausedReason: e.pausedreason, member: true }, at) };
  }
  const parsed = queueMemberEventSchema.safeParse(message);
  if (!parsed.success) return { problem: parsed.error.message };
  const e = parsed.data;
  const fields = { queue: e.queue, iface: e.interface, memberName: e.membername, status: e.status, paused: e.paused };
  return { state: agentStateOf({ ...fields, pausedReason: e.pausedreason, member: name !== 'queuememberremoved' }, at) };
}

/** The last state told per queue member, so unchanged states are not repeated. */
export class MemberStates {
  private readonly last = new Map<string, AgentStateChanged>();

  /** Records the state; returns true when it differs from the last one told for that member. */
  changed(state: AgentStateChanged): boolean {
    const key = `${state.queue}|${state.agentExtension}`;
    const previous = this.last.get(key);
    const same =
      previous !== undefined &&
      previous.state === state.state &&
      previous.paused === state.paused &&
      previous.pausedReason === state.pausedReason &&
      previous.member === state.member &&
      previous.memberName === state.memberName;
    this.last.set(key, state);
    return !same;
  }

  /** Takes a snapshot's members as the new baseline (nothing is emitted for them). */
  baseline(members: readonly AgentStateChanged[]): void {
    for (const member of members) this.last.set(`${member.queue}|${member.agentExtension}`, member);
  }
}
