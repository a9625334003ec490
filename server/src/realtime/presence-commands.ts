import type { AgentPresenceService } from '../agents/agent-presence.service';
import { setPresenceSchema, softphoneStatusSchema } from '../agents/agent-presence.schema';
import type { Logger } from '../config/logger';
import { AppError } from '../shared/app-error';
import { lastAck, runCommand } from './command-ack';
import { rooms } from './realtime-events';
import type { RealtimeHub } from './realtime-hub';

const MAY_SET_PRESENCE = new Set(['agent', 'supervisor']);

/**
 * Socket commands `presence:get` / `presence:set` / `softphone:status` (ack envelopes) and the
 * `agent:presence-changed` notice, which goes to the agent's own sockets (every tab) and to supervisors.
 */
export function registerPresenceCommands(hub: RealtimeHub, presence: AgentPresenceService, log: Logger): void {
  hub.addCommands((socket) => {
    const { actor } = socket.data;
    const guard = () => {
      if (!actor.roles.some((r) => MAY_SET_PRESENCE.has(r))) throw new AppError('auth/forbidden', '只有坐席和班长有坐席状态');
    };
    socket.on('presence:get', (...args: unknown[]) => runCommand(log, lastAck(args), async () => (guard(), presence.get(actor))));
    socket.on('presence:set', (payload, ack) =>
      runCommand(log, ack, async () => {
        guard();
        const { state, reason } = setPresenceSchema.parse(payload ?? {});
        return presence.set(actor, state, reason);
      }, payload),
    );
    socket.on('softphone:status', (payload, ack) =>
      runCommand(log, ack, async () => {
        guard();
        return presence.setSoftphone(actor, softphoneStatusSchema.parse(payload ?? {}));
      }, payload),
    );
  });
  presence.onChange((view) => hub.io.to([rooms.user(view.userId), rooms.role('supervisor')]).emit('agent:presence-changed', view));
}
