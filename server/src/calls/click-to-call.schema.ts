import { z } from 'zod';

/**
 * `POST /api/calls/click-to-call`: dial `number` from the agent's own extension. `personId` and `ticketId`
 * say whom the call is about: the call is linked to them once the PBX has placed it.
 */
export const clickToCallSchema = z
  .object({
    number: z.string().trim().min(3).max(30),
    personId: z.string().uuid().optional(),
    ticketId: z.string().uuid().optional(),
  })
  .strict();
export type ClickToCallInput = z.infer<typeof clickToCallSchema>;
