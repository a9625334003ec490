/**
 * The SIP.js half of the softphone, loaded lazily (it is the largest dependency and only agents with a PBX
 * need it). SessionManager registers over WSS and handles media; this class maps its callbacks onto the
 * console's softphone store and keeps one call at a time.
 */
import type { Session } from 'sip.js';
import { SessionManager } from 'sip.js/lib/platform/web';
import type { SoftphoneFailure, SoftphoneSettings } from '../../api/wire';
import { failureOf } from './softphone-failure';

export interface EngineEvents {
  phase(phase: 'connecting' | 'registered' | 'unregistered' | 'disconnected'): void;
  /** Why it is not registered: the WebSocket failed, or the PBX answered REGISTER with an error. */
  failed(reason: SoftphoneFailure): void;
  incoming(remote: string): void;
  established(): void;
  ended(): void;
  held(held: boolean): void;
}

type Configured = Extract<SoftphoneSettings, { configured: true }>;

export class SoftphoneEngine {
  private readonly manager: SessionManager;
  private session: Session | null = null;
  private readonly audio: HTMLAudioElement;

  constructor(settings: Configured, private readonly events: EngineEvents) {
    this.audio = document.createElement('audio');
    this.audio.autoplay = true;
    this.audio.hidden = true;
    document.body.append(this.audio);
    this.manager = new SessionManager(settings.wssUrl, {
      aor: settings.aor,
      media: { constraints: { audio: true, video: false }, remote: { audio: this.audio } },
      maxSimultaneousSessions: 1,
      reconnectionAttempts: 1000,
      reconnectionDelay: 5,
      registrationRetry: true,
      registrationRetryInterval: 10,
      userAgentOptions: {
        authorizationUsername: settings.authorizationUsername,
        authorizationPassword: settings.authorizationPassword ?? undefined,
        displayName: settings.extension,
        sessionDescriptionHandlerFactoryOptions: {
          peerConnectionConfiguration: { iceServers: settings.iceServers.map((urls) => ({ urls })) },
        },
      },
      delegate: {
        onServerConnect: () => events.phase('connecting'),
        onServerDisconnect: (error) => {
          if (error) events.failed('transport');
          events.phase('disconnected');
        },
        onRegistered: () => events.phase('registered'),
        onUnregistered: () => events.phase('unregistered'),
        onCallReceived: (session) => {
          this.session = session;
          events.incoming(session.remoteIdentity.displayName || session.remoteIdentity.uri.user || '');
        },
        onCallAnswered: () => events.established(),
        onCallHangup: (session) => {
          if (session === this.session) this.session = null;
          events.ended();
        },
        onCallHold: (_session, held) => events.held(held),
      },
    });
  }

  /** Connect and register. A WebSocket that cannot connect (PBX down, port closed, untrusted certificate) rejects. */
  async start(): Promise<void> {
    await this.manager.connect();
    await this.manager.register({ requestDelegate: { onReject: (response) => this.events.failed(failureOf(response.message.statusCode ?? 0)) } });
  }

  async stop(): Promise<void> {
    try {
      await this.manager.unregister();
    } finally {
      await this.manager.disconnect();
      this.audio.remove();
    }
  }

  /** Answer the ringing call; microphone errors propagate (the store explains them). */
  async answer(): Promise<void> {
    if (!this.session) throw new Error('no incoming call');
    await this.manager.answer(this.session);
  }

  async hangup(): Promise<void> {
    if (this.session) await this.manager.hangup(this.session);
  }

  async setHold(held: boolean): Promise<void> {
    if (!this.session) return;
    await (held ? this.manager.hold(this.session) : this.manager.unhold(this.session));
  }

  setMute(muted: boolean): void {
    if (!this.session) return;
    if (muted) this.manager.mute(this.session);
    else this.manager.unmute(this.session);
  }

  async dtmf(tone: string): Promise<void> {
    if (this.session) await this.manager.sendDTMF(this.session, tone);
  }

  /** Blind transfer (REFER) to an extension or a queue's number on the same domain. */
  async transfer(target: string, domain: string): Promise<void> {
    if (this.session) await this.manager.transfer(this.session, `sip:${target}@${domain}`);
  }
}
