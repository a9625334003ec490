/**
 * Builds the `calls.snapshot` event from the list responses the adapter asks for after each (re)connect:
 * `CoreShowChannels` (every channel, grouped into calls by Linkedid) and `QueueStatus` (members and waiting
 * callers). Pure, no I/O.
 */
import type { ActiveCall, AgentStateChanged, CallsSnapshot } from '../telephony-events';
import { amiString, type AmiMessage } from './ami-frame';
import {
  coreShowChannelSchema,
  queueEntryItemSchema,
  queueMemberItemSchema,
  type CoreShowChannelItem,
  type QueueEntryItem,
} from './ami.schemas';
import { agentStateOf, dialledNumber, durationSeconds, extensionFromChannel, known } from './ami-values';

function eventName(message: AmiMessage): string {
  return (amiString(message, 'event') ?? '').toLowerCase();
}

function itemsOf<T>(messages: readonly AmiMessage[], name: string, parse: (m: AmiMessage) => T | undefined): T[] {
  const items: T[] = [];
  for (const message of messages) {
    if (eventName(message) !== name) continue;
    const item = parse(message);
    if (item) items.push(item);
  }
  return items;
}

/** One call (all channels sharing a Linkedid) as an ActiveCall. */
function activeCallOf(channels: CoreShowChannelItem[], entries: Map<string, QueueEntryItem>): ActiveCall {
  const root = channels.find((c) => c.uniqueid === c.linkedid) ?? channels[0]!;
  const others = channels.filter((c) => c !== root);
  const bridgeId = known(root.bridgeid);
  const bridged = bridgeId ? others.filter((c) => c.bridgeid === bridgeId) : [];
  const entry = entries.get(root.uniqueid);
  const queueApp = root.application?.toLowerCase() === 'queue';
  const queue = entry?.queue ?? (queueApp ? root.applicationdata?.split(',')[0] || undefined : undefined);
  const agentExtension = bridged.map((c) => extensionFromChannel(c.channel)).find((ext) => ext !== undefined);

  let state: ActiveCall['state'];
  if (bridged.length > 0) state = 'bridged';
  else if (entry || queueApp) state = others.length > 0 ? 'ringing' : 'queued';
  else state = 'dialing';

  const call: ActiveCall = { callKey: root.linkedid, fromNumber: known(root.calleridnum) ?? '', state };
  const toNumber = dialledNumber(root.exten);
  if (toNumber) call.toNumber = toNumber;
  if (queue) call.queue = queue;
  if (agentExtension && state === 'bridged') call.agentExtension = agentExtension;
  const seconds = durationSeconds(root.duration);
  if (seconds !== undefined) call.durationSeconds = seconds;
  return call;
}

/**
 * The `calls.snapshot` event from the items of a CoreShowChannels and a QueueStatus response (the frames
 * between the `Response: Success` and the `…Complete` event; other frames are ignored, malformed items
 * skipped).
 *
 * A call is `bridged` when another channel shares the caller channel's BridgeId (its agent extension comes
 * from that channel's name), `ringing` when it waits in a queue while an agent leg exists, `queued` when it
 * only waits, and `dialing` otherwise (an originate in progress).
 *
 * @example
 * const snapshot = snapshotFromLists(coreShowChannelItems, queueStatusItems, clock.now());
 * // → { type: 'calls.snapshot', calls: [{ callKey: '1795346251.0', state: 'bridged', agentExtension: '8001', … }], members: [...] }
 */
export function snapshotFromLists(
  coreShowChannels: readonly AmiMessage[],
  queueStatusItems: readonly AmiMessage[],
  at: Date,
): CallsSnapshot {
  const channels = itemsOf(coreShowChannels, 'coreshowchannel', (m) => coreShowChannelSchema.safeParse(m).data);
  const entries = new Map(
    itemsOf(queueStatusItems, 'queueentry', (m) => queueEntryItemSchema.safeParse(m).data).map((e) => [e.uniqueid, e]),
  );
  const members = itemsOf(queueStatusItems, 'queuemember', (m): AgentStateChanged | undefined => {
    const item = queueMemberItemSchema.safeParse(m).data;
    if (!item) return undefined;
    const { queue, name, location, status, paused, pausedreason } = item;
    return agentStateOf({ queue, iface: location, memberName: name, status, paused, pausedReason: pausedreason, member: true }, at);
  });

  const byCall = new Map<string, CoreShowChannelItem[]>();
  for (const channel of channels) {
    const group = byCall.get(channel.linkedid) ?? [];
    group.push(channel);
    byCall.set(channel.linkedid, group);
  }
  const calls = [...byCall.values()].map((group) => activeCallOf(group, entries));
  return { type: 'calls.snapshot', vendor: 'asterisk', at, calls, members };
}
