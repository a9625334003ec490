/**
 * The console softphone's registration against the shipped pjsip.conf on a real Asterisk: the password the
 * server hands an agent (GET /api/softphone/settings) is the one `npm run pbx:agents` writes, and a browser
 * REGISTER over the WebSocket from the PBX's own host reaches the agent endpoint (not the sipp ip match).
 */
import { loadConfig } from '../../src/config/config';
import { agentSections } from '../../src/softphone/pjsip-agents.cli';
import { softphoneSettings } from '../../src/softphone/softphone-settings';
import { liveAsteriskAvailable, startLiveAsterisk, type LiveAsterisk } from './live-asterisk';
import { registerOverWebSocket } from './sip-ws-register';

const SECRET = 'pbx-test-sip-secret-0123456789';
let pbx: LiveAsterisk;

beforeAll(async () => {
  const available = liveAsteriskAvailable();
  if (!available.ok) throw new Error(`live-PBX suite cannot run: ${available.why}`);
  const password = /password=(\S+)/.exec(agentSections(SECRET, '8001'))![1];
  pbx = await startLiveAsterisk({ apiUrl: 'http://127.0.0.1:9', agentPasswords: { '8001': password } });
});

afterAll(async () => {
  await pbx?.stop();
});

describe('softphone registration on the shipped PBX configuration', () => {
  it('when an agent registers over WebSocket from the PBX host with the password the server hands out, then Asterisk accepts it', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SIP_WSS_URL: `ws://127.0.0.1:${pbx.httpPort}/ws`, SIP_DOMAIN: '127.0.0.1', SIP_SECRET: SECRET });
    const settings = softphoneSettings(config, '8001');
    if (!settings.configured) throw new Error('softphone not configured');
    let contacts = '';
    const result = await registerOverWebSocket(settings.wssUrl, settings.domain, '8001', settings.authorizationPassword!, () => (contacts = pbx.rx('pjsip show contacts')));
    expect(result).toEqual({ status: 200, reason: 'OK' });
    expect(contacts).toMatch(/8001\/sip:8001@/);
  });

  it('when the password is wrong, then Asterisk refuses the registration', async () => {
    const result = await registerOverWebSocket(`ws://127.0.0.1:${pbx.httpPort}/ws`, '127.0.0.1', '8001', 'not-the-password');
    expect(result.status).toBe(401);
  });
});
