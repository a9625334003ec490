import { api } from '../../api/endpoints';
import type { SoftphoneFailure, SoftphoneSettings } from '../../api/wire';
import { createStore } from '../../state/store';
import { liveCalls } from '../../realtime/live-calls';
import type { SoftphoneEngine } from './softphone-engine';

export type SoftphonePhase = 'loading' | 'off' | 'connecting' | 'registered' | 'unregistered' | 'disconnected' | 'error';

export interface SoftphoneCall {
  state: 'ringing' | 'active' | 'held';
  remote: string;
  muted: boolean;
  /** `Date.now()` when the call was answered (drives the timer). */
  startedAt: number | null;
}

export interface SoftphoneState {
  settings: SoftphoneSettings | null;
  phase: SoftphonePhase;
  /** An i18n key (`softphone.micDenied`) or a plain message. */
  error: string | null;
  call: SoftphoneCall | null;
  /** The last user-visible outcome of an action (i18n key + values), for the status line. */
  notice: { key: string; values?: Record<string, string> } | null;
  /** Why it is not registered (cleared once registered). */
  failure: SoftphoneFailure | null;
}

export const softphone = createStore<SoftphoneState>({ settings: null, phase: 'loading', error: null, call: null, notice: null, failure: null });

/**
 * A configured softphone that tried and is not registered: the agent cannot take calls on it. `connecting`
 * counts once a failure was seen (a reconnect loop), not on the first connect.
 */
export function softphoneDown(s: SoftphoneState): boolean {
  if (!s.settings?.configured || s.phase === 'registered' || s.phase === 'loading' || s.phase === 'off') return false;
  return s.phase !== 'connecting' || s.failure !== null;
}

let engine: SoftphoneEngine | null = null;
/**
 * Bumped by every start and stop. A start that finds it changed after one of its awaits was overtaken (the
 * user signed out, or signed in again, meanwhile): it stops what it made. Without this, two SIP user agents
 * registered the same extension from one tab, each pushing out the other's contact, and a call could ring the
 * one the buttons no longer drive.
 */
let generation = 0;
/** An incoming INVITE this soon after our own click-to-call is that call ringing back: answer it. */
const AUTO_ANSWER_WINDOW_MS = 30_000;

const patch = (p: Partial<SoftphoneState>) => softphone.set((s) => ({ ...s, ...p }));
const patchCall = (p: Partial<SoftphoneCall>) => softphone.set((s) => (s.call ? { ...s, call: { ...s.call, ...p } } : s));

/** Load the settings and, when a PBX is configured, the SIP.js engine; register. Never rejects. */
export async function startSoftphone(): Promise<void> {
  const mine = ++generation;
  const current = () => mine === generation;
  patch({ phase: 'loading', error: null, failure: null });
  let settings: SoftphoneSettings;
  try {
    settings = await api.softphoneSettings();
  } catch (err) {
    if (current()) patch({ phase: 'error', error: (err as Error).message });
    return;
  }
  if (!current()) return;
  if (!settings.configured) return patch({ settings, phase: 'off' });
  patch({ settings, phase: 'connecting' });
  try {
    const { SoftphoneEngine } = await import('./softphone-engine');
    if (!current()) return;
    // An engine that was stopped or overtaken must not move the store any more.
    const live = () => engine === made;
    const made: SoftphoneEngine = new SoftphoneEngine(settings, {
      phase: (phase) => live() && patch(phase === 'registered' ? { phase, failure: null } : { phase }),
      failed: (failure) => live() && patch({ failure }),
      incoming: (remote) => {
        if (!live()) return;
        patch({ call: { state: 'ringing', remote, muted: false, startedAt: null }, notice: null });
        const dialing = liveCalls.get().dialing;
        if (dialing && Date.now() - dialing.at < AUTO_ANSWER_WINDOW_MS) void answer();
      },
      established: () => live() && patchCall({ state: 'active', startedAt: Date.now() }),
      ended: () => live() && patch({ call: null }),
      held: (held) => live() && patchCall({ state: held ? 'held' : 'active' }),
    });
    engine = made;
    await made.start();
    if (!current()) await made.stop().catch(() => undefined); // stopped while registering
  } catch (err) {
    // The engine rejects when its WebSocket cannot connect; a REGISTER refusal was reported as it came.
    if (current()) patch({ phase: 'error', error: (err as Error).message, failure: softphone.get().failure ?? 'transport' });
  }
}

export async function stopSoftphone(): Promise<void> {
  generation++;
  const e = engine;
  engine = null;
  patch({ call: null, phase: 'loading', settings: null, failure: null });
  await e?.stop().catch(() => undefined);
}

/** What a microphone failure means for the agent, as an i18n key. */
function micError(err: unknown): string | null {
  if (!window.isSecureContext) return 'softphone.insecure';
  switch ((err as { name?: string })?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'softphone.micDenied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'softphone.micMissing';
    case 'NotReadableError':
    case 'AbortError':
      return 'softphone.micBusy';
    default:
      return null;
  }
}

/** Whether the softphone can answer right now (registered and ringing). */
export function canAnswer(): boolean {
  return !!engine && softphone.get().call?.state === 'ringing';
}

export async function answer(): Promise<boolean> {
  if (!canAnswer()) return false;
  try {
    await engine!.answer();
    patch({ error: null });
    return true;
  } catch (err) {
    patch({ error: micError(err) ?? (err as Error).message });
    return false;
  }
}

export async function hangup(): Promise<boolean> {
  if (!engine || !softphone.get().call) return false;
  await engine.hangup().catch((err: Error) => patch({ error: err.message }));
  return true;
}

export async function toggleHold(): Promise<void> {
  const call = softphone.get().call;
  if (!engine || !call || call.state === 'ringing') return;
  await engine.setHold(call.state !== 'held').catch((err: Error) => patch({ error: err.message }));
}

export function toggleMute(): void {
  const call = softphone.get().call;
  if (!engine || !call) return;
  engine.setMute(!call.muted);
  patchCall({ muted: !call.muted });
}

export async function sendDtmf(tone: string): Promise<void> {
  if (!engine || softphone.get().call?.state !== 'active') return;
  await engine.dtmf(tone).then(() => patch({ notice: { key: 'softphone.dtmfSent', values: { tone } } }), (err: Error) => patch({ error: err.message }));
}

export async function transfer(target: string): Promise<void> {
  const s = softphone.get();
  if (!engine || !s.call || !s.settings?.configured) return;
  await engine.transfer(target, s.settings.domain).then(() => patch({ notice: { key: 'softphone.transferDone', values: { target } } }), (err: Error) => patch({ error: err.message }));
}
