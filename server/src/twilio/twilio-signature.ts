import type { RequestHandler } from 'express';
import twilio from 'twilio';

/**
 * Checks `X-Twilio-Signature` with the twilio library (`validateRequest`): 400 without the header, 403 when
 * it does not match. The signed URL is the public one Twilio called: `publicBaseUrl` + the request path
 * (set it behind a proxy or TLS terminator), else what this request says (protocol + Host).
 *
 * @example router.use(twilioSignature(config.TWILIO_AUTH_TOKEN, config.TWILIO_WEBHOOK_BASE_URL));
 */
export function twilioSignature(authToken: string, publicBaseUrl?: string): RequestHandler {
  const base = publicBaseUrl?.replace(/\/+$/, '');
  return (req, res, next) => {
    const signature = req.header('x-twilio-signature');
    if (!signature) {
      res.status(400).type('text/plain').send('missing X-Twilio-Signature');
      return;
    }
    const url = `${base ?? `${req.protocol}://${req.get('host')}`}${req.originalUrl}`;
    const params = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    if (!twilio.validateRequest(authToken, signature, url, params)) {
      res.status(403).type('text/plain').send('Twilio signature check failed');
      return;
    }
    next();
  };
}
