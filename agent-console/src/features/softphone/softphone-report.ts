import type { Ack, PresenceView } from '../../api/wire';
import { acceptPresence, connection, getSocket } from '../../realtime/connection';
import { softphone, softphoneDown, type SoftphoneState } from './softphone-store';

type Report = { registered: true } | { registered: false; reason: NonNullable<SoftphoneState['failure']> };

/** What the server should know of this softphone now, or null (not configured, or still connecting). */
export function reportOf(s: SoftphoneState): Report | null {
  if (s.settings?.configured && s.phase === 'registered') return { registered: true };
  if (softphoneDown(s)) return { registered: false, reason: s.failure ?? 'unknown' };
  return null;
}

/**
 * Wait this long for the state to settle before reporting: SIP.js turns `unregistered` just before it hands
 * over the refusal that says why (403 …), and a reconnect loop should not flap the queue.
 */
const SETTLE_MS = 300;

/**
 * Tell the server whether this agent's softphone is registered (`softphone:status`), so an available agent
 * whose phone cannot ring is paused in the queue. Sent when it changes and again on every socket connect.
 * Returns the unsubscribe function.
 */
export function reportSoftphoneStatus(): () => void {
  let sent: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    clearTimeout(timer);
    timer = setTimeout(sendNow, SETTLE_MS);
  };
  const sendNow = () => {
    const report = reportOf(softphone.get());
    const socket = getSocket();
    if (!report || !socket?.connected) return;
    const key = JSON.stringify(report);
    if (key === sent) return;
    sent = key;
    socket.timeout(8000).emit('softphone:status', report, (err: Error | null, res: Ack<PresenceView>) => {
      if (err || !res.ok) sent = null; // try again on the next change or connect
      else acceptPresence(res.data);
    });
  };
  let socketUp = connection.get().socket === 'up';
  const offConnection = connection.subscribe(() => {
    const up = connection.get().socket === 'up';
    if (up && !socketUp) sent = null; // a new connection (maybe another node): say it again
    socketUp = up;
    send();
  });
  const offSoftphone = softphone.subscribe(send);
  send();
  return () => {
    clearTimeout(timer);
    offConnection();
    offSoftphone();
  };
}
