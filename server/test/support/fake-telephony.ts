import type { TelephonyEvent } from '../../src/telephony/telephony-events';
import type { OriginateRequest, TelephonyPort, TelephonyState } from '../../src/telephony/telephony.port';

/**
 * A PBX stand-in for tests that only need the port's behaviour (originates recorded, events pushed by the
 * test). Tests of the AMI adapter itself replay recorded traffic instead.
 */
export class FakeTelephony implements TelephonyPort {
  state: TelephonyState = 'up';
  readonly originates: OriginateRequest[] = [];
  /** Set to make the next originates fail with this adapter error code. */
  failWith: 'temporary' | 'rejected' | null = null;
  private readonly listeners: Array<(event: TelephonyEvent) => void> = [];

  async start(): Promise<void> {}
  async close(): Promise<void> {}
  onEvent(listener: (event: TelephonyEvent) => void): void {
    this.listeners.push(listener);
  }
  onStateChange(): void {}
  async originate(req: OriginateRequest): Promise<void> {
    if (this.failWith) throw Object.assign(new Error(`fake ${this.failWith}`), { name: 'TelephonyError', code: this.failWith });
    this.originates.push(req);
  }
  async hangup(): Promise<void> {}
  async queueAdd(): Promise<void> {}
  async queueRemove(): Promise<void> {}
  async queuePause(): Promise<void> {}

  /** Deliver an event as the adapter would. */
  push(event: TelephonyEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
