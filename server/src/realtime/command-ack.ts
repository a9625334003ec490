import { ZodError } from 'zod';
import type { Logger } from '../config/logger';
import { AppError } from '../shared/app-error';
import type { Ack } from './realtime-events';

/**
 * Run a socket command and answer its ack with the envelope: `{ok:true,data}` or `{ok:false,code,message}`.
 * AppErrors keep their code; zod failures are `validation/invalid`; anything else is logged and `internal`.
 * A missing ack function (a client that did not ask for one) is tolerated.
 * @example socket.on('presence:set', (payload, ack) => runCommand(log, ack, () => presence.set(actor, payload.state)));
 */
export function runCommand<T>(log: Logger, ack: unknown, work: () => Promise<T>): void {
  const reply = typeof ack === 'function' ? (ack as (res: Ack<T>) => void) : () => undefined;
  work()
    .then((data) => reply({ ok: true, data }))
    .catch((err: unknown) => {
      if (err instanceof AppError) return reply({ ok: false, code: err.code, message: err.message });
      if (err instanceof ZodError) return reply({ ok: false, code: 'validation/invalid', message: err.issues.map((i) => i.message).join('; ') });
      log.error({ err }, 'socket command failed');
      reply({ ok: false, code: 'internal', message: '服务器内部错误' });
    });
}
