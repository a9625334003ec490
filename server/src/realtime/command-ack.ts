import { ZodError } from 'zod';
import type { Logger } from '../config/logger';
import { AppError } from '../shared/app-error';
import { findControlCharacters } from '../shared/control-characters';
import type { Ack } from './realtime-events';

/**
 * Run a socket command and answer its ack with the envelope: `{ok:true,data}` or `{ok:false,code,message}`.
 * The `payload` the client sent is checked first: a control character anywhere in it (same rule as HTTP
 * JSON bodies, see `shared/control-characters.ts`) answers `validation/invalid` and the work never runs.
 * AppErrors keep their code; zod failures are `validation/invalid`; anything else (a throw or a rejection)
 * is logged and `internal`. A missing ack function (a client that did not ask for one) is tolerated.
 * @example socket.on('presence:set', (payload, ack) => runCommand(log, ack, () => presence.set(actor, payload.state), payload));
 */
/**
 * The ack of a command that takes no payload: its last argument, whatever a client sent before it (a client
 * that sends a payload anyway still gets its answer).
 */
export function lastAck(args: unknown[]): unknown {
  return args[args.length - 1];
}

export function runCommand<T>(log: Logger, ack: unknown, work: () => Promise<T>, payload?: unknown): void {
  const reply = typeof ack === 'function' ? (ack as (res: Ack<T>) => void) : () => undefined;
  const hit = typeof payload === 'function' ? null : findControlCharacters(payload, 'payload', 'text');
  if (hit) {
    reply({ ok: false, code: 'validation/invalid', message: `命令参数含有不允许的控制字符，位置：${hit.path}` });
    return;
  }
  Promise.resolve()
    .then(work)
    .then((data) => reply({ ok: true, data }))
    .catch((err: unknown) => {
      if (err instanceof AppError) return reply({ ok: false, code: err.code, message: err.message });
      if (err instanceof ZodError) return reply({ ok: false, code: 'validation/invalid', message: err.issues.map((i) => i.message).join('; ') });
      log.error({ err }, 'socket command failed');
      reply({ ok: false, code: 'internal', message: '服务器内部错误' });
    })
    .catch((err: unknown) => log.error({ err }, 'socket command ack failed'));
}
