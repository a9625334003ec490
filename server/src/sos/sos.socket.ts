import { z } from 'zod';
import type { Logger } from '../config/logger';
import { runCommand } from '../realtime/command-ack';
import type { RealtimeHub } from '../realtime/realtime-hub';
import type { SosService } from './sos.service';

const acknowledgeSchema = z.object({ sosId: z.string().uuid('sosId 必须是 UUID'), note: z.string().trim().max(500).optional() }).strict();

/** Socket command `sos:acknowledge` (the console's "acknowledge SOS" hotkey), ack envelope. */
export function registerSosCommands(hub: RealtimeHub, sos: SosService, log: Logger): void {
  hub.addCommands((socket) => {
    const { actor } = socket.data;
    socket.on('sos:acknowledge', (payload, ack) =>
      runCommand(log, ack, async () => {
        const { sosId, note } = acknowledgeSchema.parse(payload ?? {});
        const view = await sos.acknowledge(actor, sosId, note);
        return { sosId: view.id, status: view.status, ticketNumber: view.ticketNumber };
      }, payload),
    );
  });
}
