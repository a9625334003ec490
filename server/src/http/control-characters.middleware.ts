import type { RequestHandler } from 'express';
import { AppError } from '../shared/app-error';
import { findControlCharacters, hasControlCharacters, type ControlCharacterHit } from '../shared/control-characters';

/**
 * Refuses a request whose query string, path (and so every path parameter) or JSON body holds a control
 * character (see `shared/control-characters.ts` for which): 400 `validation/control-characters`, with the
 * place named in `details`, before any route or the database sees it. TAB, LF, CR (and U+2028/2029) are
 * allowed in JSON body strings only. Mount after the JSON parser and before the routes; the public
 * endpoints mounted earlier (device alarms, Twilio, IVR) clean their free text themselves instead, because
 * an SOS or an SMS is never refused for its text.
 *
 * @example app.use(express.json()); app.use(rejectControlCharacters()); app.use('/api/tickets', ticketRoutes(...));
 */
export function rejectControlCharacters(): RequestHandler {
  return (req, _res, next) => {
    const segments = req.path.split('/');
    for (const [i, segment] of segments.entries()) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw new AppError('validation/invalid', '请求路径的编码不正确', [{ path: `path.${i}`, message: '百分号编码不完整' }]);
      }
      if (hasControlCharacters(decoded)) refuse({ path: `path.${i}` });
    }
    const inQuery = findControlCharacters(req.query, 'query', 'line');
    if (inQuery) refuse(inQuery);
    if (req.body !== undefined && req.body !== null && typeof req.body !== 'function' && !Buffer.isBuffer(req.body)) {
      const inBody = findControlCharacters(req.body, 'body', 'text');
      if (inBody) refuse(inBody);
    }
    next();
  };
}

function refuse(hit: ControlCharacterHit): never {
  throw new AppError('validation/control-characters', `请求中含有不允许的控制字符（如 NUL、ESC 或不可见字符），位置：${hit.path}。请删除后重试。`, [
    { path: hit.path, message: '含有不允许的控制字符' },
  ]);
}
