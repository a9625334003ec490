import type { Actor } from '../auth/auth.service';
import type { DialAccepted } from '../calls/click-to-call.service';

/** What dispatch's voice offers need from click-to-call (`calls/click-to-call.service.ts`, wired in `app.ts`). */
export interface VoiceDialPort {
  /** Throws `telephony/not-configured` or `validation/invalid` when this actor cannot place a call now. */
  assertCanDial(actor: Actor): void;
  /** Ring the actor's extension, then the number (resolved by the server), linked to the work order. */
  dialResolved(actor: Actor, input: { e164: string; ticketId: string }): Promise<DialAccepted>;
}
