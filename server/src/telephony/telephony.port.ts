import type { TelephonyEvent } from './telephony-events';

/** Adapter health as the health endpoint and the console banner show it. */
export type TelephonyState = 'up' | 'down' | 'connecting' | 'not_configured';

export interface OriginateRequest {
  /** Our own request id; comes back on the `call.originated` event. */
  requestId: string;
  agentExtension: string;
  /**
   * A dialable channel to ring first instead of the agent's (`Local/sos-callback@agents` for automatic SOS
   * callbacks): such a call must not depend on how agents are reached (`ASTERISK_MEMBER_INTERFACE`).
   */
  channel?: string;
  toNumber: string;
  callerId: string;
  variables?: Record<string, string>;
  timeoutMs?: number;
}

/** Errors an adapter reports, vendor-neutral. */
export type TelephonyErrorCode = 'temporary' | 'rejected' | 'not-found' | 'unauthorized' | 'unknown';

/**
 * What the domain may ask of a PBX. Adapters implement it; nothing else imports a vendor library.
 */
export interface TelephonyPort {
  readonly state: TelephonyState;
  start(): Promise<void>;
  close(): Promise<void>;
  onEvent(listener: (event: TelephonyEvent) => void): void;
  /** `since`: when the adapter entered this state (for `down`: when the PBX was lost). */
  onStateChange(listener: (state: TelephonyState, since: Date) => void): void;
  /** When the current state began. */
  readonly stateSince: Date;
  originate(req: OriginateRequest): Promise<void>;
  hangup(channel: string): Promise<void>;
  queueAdd(queue: string, agentExtension: string, memberName?: string): Promise<void>;
  queueRemove(queue: string, agentExtension: string): Promise<void>;
  queuePause(queue: string | undefined, agentExtension: string, paused: boolean, reason?: string): Promise<void>;
}
