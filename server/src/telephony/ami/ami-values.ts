/**
 * Small pure conversions from AMI values to canonical ones: timestamps, agent extensions, member states.
 */
import type { AgentDeviceState, AgentStateChanged } from '../telephony-events';

/**
 * The instant of an AMI `Timestamp` header (`epoch.micros`), to the millisecond, without float rounding.
 *
 * @example atFromTimestamp('1795346132.665735') // → 2026-11-22T11:15:32.665Z
 */
export function atFromTimestamp(timestamp: string | undefined): Date | undefined {
  const match = timestamp ? /^(\d+)(?:\.(\d+))?$/.exec(timestamp) : null;
  if (!match) return undefined;
  const millis = Number(((match[2] ?? '') + '000').slice(0, 3));
  return new Date(Number(match[1]) * 1000 + millis);
}

/**
 * The agent extension of a queue member interface: `Local/8001@agents/n`, `Local/8001@agents` and
 * `PJSIP/8001` all give `8001`.
 *
 * @example extensionFromInterface('Local/8001@agents/n') // → '8001'
 */
export function extensionFromInterface(iface: string): string | undefined {
  const local = /^Local\/([^@/;]+)@/i.exec(iface);
  if (local) return local[1];
  const device = /^[A-Za-z0-9_]+\/([^/@;]+)$/.exec(iface);
  return device?.[1];
}

/**
 * The agent extension of a channel name: `Local/8001@agents-00000000;1` and `PJSIP/8001-00000001` give `8001`.
 * Only meaningful for channels known to be agent legs (a trunk channel would give its endpoint name).
 *
 * @example extensionFromChannel('PJSIP/8001-00000001') // → '8001'
 */
export function extensionFromChannel(channel: string): string | undefined {
  const local = /^Local\/([^@/;]+)@[^;]*-[0-9a-f]+;[12]$/i.exec(channel);
  if (local) return local[1];
  const device = /^[A-Za-z0-9_]+\/(.+)-[0-9a-f]+$/i.exec(channel);
  return device?.[1];
}

/**
 * Whether a channel is the agent's own side of an agent leg: the `;2` half of `Local/<ext>@…` (the half that
 * runs the agent's dialplan) or the agent's device channel `PJSIP/<ext>-…`.
 */
export function isAgentSideChannel(channel: string, agentExtension: string): boolean {
  if (/^Local\//i.test(channel)) return channel.endsWith(';2') && extensionFromChannel(channel) === agentExtension;
  return extensionFromChannel(channel) === agentExtension;
}

/** `<unknown>` and empty values become undefined. */
export function known(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === '<unknown>' ? undefined : value;
}

/** A dialled number if the value looks like one (`s` or `8001@agents` do not). */
export function dialledNumber(exten: string | undefined): string | undefined {
  return exten && /^\+?\d+$/.test(exten) ? exten : undefined;
}

/** Whole seconds between two instants, rounded. */
export function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}

/** `HH:MM:SS` (CoreShowChannel `Duration`) in seconds. */
export function durationSeconds(duration: string | undefined): number | undefined {
  const match = duration ? /^(\d+):(\d{2}):(\d{2})$/.exec(duration) : null;
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : undefined;
}

/**
 * Asterisk device state numbers (queue member `Status`) to our agent states:
 * 0 unknown and 1 not-in-use → available; 2 in-use, 3 busy, 8 on-hold → in_use; 6 ringing, 7 ring-in-use →
 * ringing; 4 invalid, 5 unavailable → unavailable.
 */
export function deviceState(status: number | undefined): AgentDeviceState {
  switch (status) {
    case 2:
    case 3:
    case 8:
      return 'in_use';
    case 6:
    case 7:
      return 'ringing';
    case 4:
    case 5:
      return 'unavailable';
    default:
      return 'available';
  }
}

/** Fields of a queue member as the member events and the QueueStatus list item both give them. */
export interface MemberFields {
  queue: string;
  iface: string;
  memberName?: string;
  status?: number;
  paused?: string;
  pausedReason?: string;
  member: boolean;
}

/**
 * The canonical agent state of a queue member. A paused member is `paused` whatever its device says.
 *
 * @example agentStateOf({ queue: 'hotline', iface: 'PJSIP/8001', status: 6, paused: '0', member: true }, at)
 * // → { type: 'agent.state', agentExtension: '8001', state: 'ringing', paused: false, … }
 */
export function agentStateOf(fields: MemberFields, at: Date): AgentStateChanged | undefined {
  const agentExtension = extensionFromInterface(fields.iface);
  if (!agentExtension) return undefined;
  const paused = fields.paused === '1' || fields.paused?.toLowerCase() === 'true';
  const event: AgentStateChanged = {
    type: 'agent.state',
    vendor: 'asterisk',
    at,
    queue: fields.queue,
    agentExtension,
    state: paused ? 'paused' : deviceState(fields.status),
    paused,
    member: fields.member,
  };
  if (known(fields.memberName)) event.memberName = fields.memberName;
  if (paused && known(fields.pausedReason)) event.pausedReason = fields.pausedReason;
  return event;
}
