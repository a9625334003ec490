/**
 * zod schemas for the AMI events the mapper reads, in the shape `asterisk-manager` delivers them
 * (lower-cased keys, string values). Each schema names only the fields the mapper uses, every one of
 * them seen in the recordings under `server/test/fixtures/ami/`; other fields are stripped.
 */
import { z } from 'zod';
import { stripControlCharacters } from '../../shared/control-characters';

/**
 * Every AMI value the mapper reads, with control characters stripped: caller ids and names come from SIP
 * peers and UserEvent fields from the dialplan, and all of them end up in the call log and on screens.
 */
const text = z.string().transform((value) => stripControlCharacters(value));
const int = z
  .string()
  .regex(/^-?\d+$/, 'not an integer')
  .transform(Number);

/** Fields every channel event carries (Newchannel, Hangup, QueueCallerJoin, AgentCalled, …). */
const channelFields = {
  timestamp: text.optional(),
  channel: text,
  calleridnum: text.optional(),
  calleridname: text.optional(),
  exten: text.optional(),
  uniqueid: text,
  linkedid: text,
};

export const newchannelSchema = z.object(channelFields);

export const hangupSchema = z.object({ ...channelFields, cause: int.optional() });

export const hangupRequestSchema = z.object(channelFields);

export const varSetSchema = z.object({
  ...channelFields,
  variable: z.union([text, z.record(z.string(), z.string())]),
  value: text.optional(),
});

export const userEventSchema = z.object({
  ...channelFields,
  userevent: text,
  choice: text.optional(),
  callerid: text.optional(),
  device: text.optional(),
});

export const queueCallerJoinSchema = z.object({ ...channelFields, queue: text });

export const queueCallerLeaveSchema = z.object({ ...channelFields, queue: text });

export const queueCallerAbandonSchema = z.object({ ...channelFields, queue: text, holdtime: int.optional() });

export const agentCalledSchema = z.object({
  ...channelFields,
  destchannel: text.optional(),
  destuniqueid: text.optional(),
  queue: text,
  interface: text,
  membername: text.optional(),
});

export const agentConnectSchema = z.object({
  ...channelFields,
  queue: text,
  interface: text,
  membername: text.optional(),
  holdtime: int.optional(),
});

export const agentCompleteSchema = z.object({
  ...channelFields,
  queue: text,
  interface: text,
  holdtime: int.optional(),
  talktime: int.optional(),
  reason: text.optional(),
});

export const dialEndSchema = z.object({
  timestamp: text.optional(),
  channel: text.optional(),
  uniqueid: text.optional(),
  linkedid: text.optional(),
  destchannel: text.optional(),
  destuniqueid: text.optional(),
  destlinkedid: text.optional(),
  dialstatus: text,
});

export const originateResponseSchema = z.object({
  timestamp: text.optional(),
  actionid: text,
  response: text,
  channel: text.optional(),
  exten: text.optional(),
  reason: int.optional(),
  uniqueid: text.optional(),
});

/** QueueMemberAdded / QueueMemberPause / QueueMemberStatus / QueueMemberRemoved. */
export const queueMemberEventSchema = z.object({
  timestamp: text.optional(),
  queue: text,
  membername: text.optional(),
  interface: text,
  status: int.optional(),
  paused: text.optional(),
  pausedreason: text.optional(),
});

/** The `QueueMember` list item of a QueueStatus response (no Timestamp; `Name`/`Location`). */
export const queueMemberItemSchema = z.object({
  queue: text,
  name: text.optional(),
  location: text,
  status: int.optional(),
  paused: text.optional(),
  pausedreason: text.optional(),
});

/** The `QueueEntry` list item of a QueueStatus response: one waiting caller. */
export const queueEntryItemSchema = z.object({
  queue: text,
  channel: text,
  uniqueid: text,
  calleridnum: text.optional(),
  wait: int.optional(),
  priority: int.optional(),
});

/** The `CoreShowChannel` list item of a CoreShowChannels response. */
export const coreShowChannelSchema = z.object({
  channel: text,
  calleridnum: text.optional(),
  exten: text.optional(),
  uniqueid: text,
  linkedid: text,
  application: text.optional(),
  applicationdata: text.optional(),
  duration: text.optional(),
  bridgeid: text.optional(),
});

export type CoreShowChannelItem = z.infer<typeof coreShowChannelSchema>;
export type QueueEntryItem = z.infer<typeof queueEntryItemSchema>;
export type QueueMemberEvent = z.infer<typeof queueMemberEventSchema>;
export type NewchannelEvent = z.infer<typeof newchannelSchema>;
export type HangupEvent = z.infer<typeof hangupSchema>;
export type VarSetEvent = z.infer<typeof varSetSchema>;
export type UserEventEvent = z.infer<typeof userEventSchema>;
export type QueueCallerJoinEvent = z.infer<typeof queueCallerJoinSchema>;
export type AgentCalledEvent = z.infer<typeof agentCalledSchema>;
export type AgentConnectEvent = z.infer<typeof agentConnectSchema>;
export type DialEndEvent = z.infer<typeof dialEndSchema>;
export type OriginateResponseEvent = z.infer<typeof originateResponseSchema>;
