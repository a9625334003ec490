import { z } from 'zod';

const uuid = z.string().uuid();

/**
 * `POST /api/calls/click-to-call`: whom to dial, by id, so the browser never needs the number —
 * a person's phone (`personId` + `phoneId`), a contact (`contactId`), the other party of a logged call
 * (`callId`, a call-back) or a work order's caller (`ticketId` alone). `ticketId` next to a target links the
 * call to that order. A typed `number` is only for roles holding `call.dial-number` (an unknown caller's
 * call-back, a number given on the phone).
 */
export const clickToCallSchema = z.union([
  z.object({ personId: uuid, phoneId: uuid, ticketId: uuid.optional() }).strict(),
  z.object({ contactId: uuid, ticketId: uuid.optional() }).strict(),
  z.object({ callId: uuid, ticketId: uuid.optional() }).strict(),
  z.object({ ticketId: uuid }).strict(),
  z.object({ number: z.string().trim().min(3).max(30), personId: uuid.optional(), ticketId: uuid.optional() }).strict(),
]);
export type ClickToCallInput = z.infer<typeof clickToCallSchema>;
