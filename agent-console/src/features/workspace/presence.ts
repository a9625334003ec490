import type { Ack, PresenceState, PresenceView } from '../../api/wire';
import { acceptPresence, getSocket } from '../../realtime/connection';

/** Ask the server to change the agent's presence (`presence:set`, ack envelope, 8 s deadline). */
export async function setPresence(state: PresenceState, reason?: string): Promise<PresenceView> {
  const socket = getSocket();
  if (!socket?.connected) throw new Error('offline');
  const res = (await socket.timeout(8000).emitWithAck('presence:set', { state, reason: reason || undefined })) as Ack<PresenceView>;
  if (!res.ok) throw Object.assign(new Error(res.message), { code: res.code });
  acceptPresence(res.data);
  return res.data;
}
