/**
 * "One unauthenticated request kills the process": malformed socket.io handshakes (bad cookies, bad and huge
 * tokens, auth payloads of the wrong type, oversized headers) are refused, and the server still answers.
 */
import net from 'node:net';
import { io as ioClient } from 'socket.io-client';
import { connectSocket, connected, login, makeDistricts, makeUser, startTestApp, type RunningApp, type TestSocket } from './support/test-app';

let t: RunningApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  const tree = await makeDistricts(t.ds);
  token = await login(t.baseUrl, (await makeUser(t.ds, 'agent', tree.district)).username);
});
afterAll(() => t.close());

async function stillServing(): Promise<void> {
  expect((await fetch(`${t.baseUrl}/api/health`)).status).toBe(200);
  const good = await connectSocket(t.baseUrl, token);
  const who = await good.timeout(5000).emitWithAck('session:whoami');
  expect(who.ok).toBe(true);
  good.disconnect();
}

/** The connect_error message of a handshake (socket.io-client in Node sends extraHeaders on both transports). */
async function refusal(opts: { transport: 'polling' | 'websocket'; headers?: Record<string, string>; auth?: unknown }): Promise<string> {
  const socket: TestSocket = ioClient(t.baseUrl, { transports: [opts.transport], extraHeaders: opts.headers, auth: opts.auth as Record<string, unknown>, reconnection: false, forceNew: true });
  try {
    await connected(socket);
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  } finally {
    socket.disconnect();
  }
}

/** Raw engine.io over HTTP polling: open, send one socket.io packet, read the answer. */
async function rawPolling(packet: string, headers: Record<string, string> = {}): Promise<string> {
  const open = await fetch(`${t.baseUrl}/socket.io/?EIO=4&transport=polling`, { headers });
  const body = await open.text();
  const sid = (JSON.parse(body.slice(1)) as { sid: string }).sid;
  const url = `${t.baseUrl}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  const post = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' }, body: packet });
  if (post.status !== 200) return `post ${post.status}`;
  return (await fetch(url, { headers })).text();
}

describe('socket handshake: malformed input never kills the server', () => {
  const origin = () => ({ origin: t.baseUrl });

  it.each([
    ['anxin_session=%ZZ'],
    ['anxin_session=%E0%A4%A'],
    ['anxin_session='],
    ['anxin_session'],
    ['=; ;;anxin_session=%; a=%ZZ'],
    ['anxin_session="%ZZ"'],
    [`anxin_session=${'%ZZ'.repeat(2000)}`],
    [`anxin_session=${'a'.repeat(7000)}`],
  ])('when the cookie is %p, then the handshake is refused and the server still answers', async (cookie) => {
    for (const transport of ['polling', 'websocket'] as const) {
      expect(await refusal({ transport, headers: { cookie, ...origin() } })).toBe('auth/unauthenticated');
    }
    await stillServing();
  });

  it.each([[{ token: 123 }], [{ token: { $ne: null } }], [{ token: ['a'] }], [{ token: '' }], [{ token: 'x'.repeat(10_000) }], [{ token: 'not-a-session' }], [{ token: null }], [{}]])(
    'when auth is %p, then the handshake is refused and the server still answers',
    async (auth) => {
      expect(await refusal({ transport: 'websocket', auth })).toBe('auth/unauthenticated');
      await stillServing();
    },
  );

  it.each([['40"a string"'], ['40[1,2,3]'], ['40123'], ['40{"token":{"toString":1}}'], ['40{not json'], ['4'], ['49'], ['40{"token":"%ZZ"}'], ['2probe'], ['\u0000\u0001']])(
    'when the raw connect packet is %p, then no crash and the server still answers',
    async (packet) => {
      const answer = await rawPolling(packet, { cookie: 'anxin_session=%ZZ', ...origin() });
      expect(answer).not.toContain('"sid":"'.concat('x')); // any answer (refusal, close) but an answer
      await stillServing();
    },
  );

  it('when a handshake carries oversized headers, then it gets 431 or is closed, and the server still answers', async () => {
    const answer = await new Promise<string>((resolve) => {
      const sock = net.connect(Number(new URL(t.baseUrl).port), '127.0.0.1', () => {
        sock.write(`GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: anxin_session=${'%ZZ'.repeat(40_000)}\r\nX-Big: ${'b'.repeat(100_000)}\r\n\r\n`);
      });
      let data = '';
      sock.on('data', (d) => (data += d));
      sock.on('error', () => resolve(data || 'closed'));
      sock.on('close', () => resolve(data || 'closed'));
    });
    expect(answer === 'closed' || answer.startsWith('HTTP/1.1 431')).toBe(true);
    await stillServing();
  });

  it('when a browser sends the session cookie from a foreign origin, then the socket is refused', async () => {
    expect(await refusal({ transport: 'polling', headers: { cookie: `anxin_session=${token}`, origin: 'https://evil.example' } })).not.toBe('connected');
    expect(await refusal({ transport: 'websocket', headers: { cookie: `anxin_session=${token}`, origin: 'https://evil.example' } })).not.toBe('connected');
  });

  it('when the session cookie comes without any Origin, then the socket is refused (a client without Origin needs a token in auth)', async () => {
    expect(await refusal({ transport: 'websocket', headers: { cookie: `anxin_session=${token}` } })).toBe('auth/unauthenticated');
  });

  it('when the session cookie comes from the console origin, then the socket connects', async () => {
    expect(await refusal({ transport: 'websocket', headers: { cookie: `anxin_session=${encodeURIComponent(token)}`, ...origin() } })).toBe('connected');
  });

  it('when a command handler gets payloads of every wrong type, then each is answered and the server still answers', async () => {
    const socket = await connectSocket(t.baseUrl, token);
    for (const payload of [null, 1, 'x', [], { state: { $gt: 1 } }, { state: 'x'.repeat(50_000) }]) {
      const res = await socket.timeout(5000).emitWithAck('presence:set', payload as never);
      expect(res.ok).toBe(false);
    }
    socket.disconnect();
    await stillServing();
  });
});
