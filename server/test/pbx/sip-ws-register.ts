/**
 * A minimal SIP-over-WebSocket REGISTER with digest authentication (RFC 7118, RFC 2617 MD5), as a browser
 * softphone sends it: enough to prove an agent endpoint of the shipped pjsip.conf accepts the password the
 * server hands the console, over the WebSocket listener on the PBX's own host.
 */
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * Register `extension` at `wsUrl`; resolves with the final status (200 when registered). `whileRegistered`
 * runs before the WebSocket closes (Asterisk drops a WS contact with its connection).
 */
export async function registerOverWebSocket(wsUrl: string, domain: string, extension: string, password: string, whileRegistered?: () => unknown): Promise<{ status: number; reason: string }> {
  const ws = new WebSocket(wsUrl, 'sip', { rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const callId = randomBytes(8).toString('hex');
  const tag = randomBytes(4).toString('hex');
  const host = `${randomBytes(4).toString('hex')}.invalid`;
  const request = (cseq: number, authorization?: string) =>
    [
      `REGISTER sip:${domain} SIP/2.0`,
      `Via: SIP/2.0/WS ${host};branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      'Max-Forwards: 70',
      `To: <sip:${extension}@${domain}>`,
      `From: <sip:${extension}@${domain}>;tag=${tag}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${extension}@${host};transport=ws>;expires=60`,
      ...(authorization ? [`Authorization: ${authorization}`] : []),
      'Expires: 60',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  const next = () => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no SIP response within 5 s')), 5000);
    const onMessage = (data: WebSocket.RawData) => {
      const text = data.toString();
      if (!text.startsWith('SIP/2.0 ') || /^SIP\/2\.0 1\d\d/.test(text)) return; // a request (OPTIONS qualify) or provisional
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(text);
    };
    ws.on('message', onMessage);
  });
  const statusOf = (response: string) => {
    const [, code, reason] = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)/.exec(response) ?? [];
    return { status: Number(code), reason: reason ?? '' };
  };
  try {
    ws.send(request(1));
    const challenge = await next();
    if (statusOf(challenge).status !== 401) return statusOf(challenge);
    const header = /WWW-Authenticate:\s*Digest ([^\r\n]+)/i.exec(challenge)?.[1] ?? '';
    const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(header)?.[1] ?? '';
    const realm = param('realm');
    const nonce = param('nonce');
    const uri = `sip:${domain}`;
    const qop = /qop="([^"]*)"/.exec(header)?.[1]?.split(',')[0]?.trim();
    const ha1 = md5(`${extension}:${realm}:${password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const cnonce = randomBytes(8).toString('hex');
    const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    const opaque = param('opaque');
    const auth = `Digest username="${extension}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5${qop ? `, qop=${qop}, nc=00000001, cnonce="${cnonce}"` : ''}${opaque ? `, opaque="${opaque}"` : ''}`;
    ws.send(request(2, auth));
    const final = statusOf(await next());
    if (final.status === 200) await whileRegistered?.();
    return final;
  } finally {
    ws.close();
  }
}
