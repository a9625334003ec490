import { z } from 'zod';
import { PRESENCE_STATES, SOFTPHONE_FAILURES } from './agent-presence';

/** `PUT /api/agents/me/presence` and the `presence:set` socket command. */
export const setPresenceSchema = z
  .object({
    state: z.enum(PRESENCE_STATES),
    reason: z.string().trim().max(60, '原因最多 60 个字').optional(),
  })
  .strict();
export type SetPresenceInput = z.infer<typeof setPresenceSchema>;

/** The `softphone:status` socket command: registered, or not and why (a reason only when not registered). */
export const softphoneStatusSchema = z.discriminatedUnion('registered', [
  z.object({ registered: z.literal(true) }).strict(),
  z.object({ registered: z.literal(false), reason: z.enum(SOFTPHONE_FAILURES) }).strict(),
]);
export type SoftphoneStatusInput = z.infer<typeof softphoneStatusSchema>;
