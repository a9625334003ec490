import { z } from 'zod';
import { PRESENCE_STATES } from './agent-presence';

/** `PUT /api/agents/me/presence` and the `presence:set` socket command. */
export const setPresenceSchema = z
  .object({
    state: z.enum(PRESENCE_STATES),
    reason: z.string().trim().max(60, '原因最多 60 个字').optional(),
  })
  .strict();
export type SetPresenceInput = z.infer<typeof setPresenceSchema>;
