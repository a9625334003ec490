import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured logger with secrets and personal identifiers redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'secret',
        '*.secret',
        'token',
        '*.token',
        'req.headers.authorization',
        'req.headers.cookie',
        'idNumber',
        '*.idNumber',
        'certificateNumber',
        '*.certificateNumber',
      ],
      censor: '[redacted]',
    },
  });
}
