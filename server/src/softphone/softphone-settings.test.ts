import { createHmac } from 'node:crypto';
import { sipPassword, softphoneSettings } from './softphone-settings';

describe('softphoneSettings', () => {
  it('when no SIP_WSS_URL is configured, then the softphone says there is no PBX', () => {
    expect(softphoneSettings({}, '8001')).toEqual({ configured: false, reason: 'no_pbx', extension: '8001' });
  });

  it('when the user has no extension, then the softphone says so', () => {
    expect(softphoneSettings({ SIP_WSS_URL: 'wss://pbx.example.org:8089/ws' }, null)).toEqual({ configured: false, reason: 'no_extension', extension: null });
  });

  it('when configured, then the AOR uses the WSS host as domain unless SIP_DOMAIN is set', () => {
    const a = softphoneSettings({ SIP_WSS_URL: 'wss://pbx.example.org:8089/ws' }, '8001');
    expect(a).toMatchObject({ configured: true, domain: 'pbx.example.org', aor: 'sip:8001@pbx.example.org', authorizationUsername: '8001', authorizationPassword: null, iceServers: [] });
    const b = softphoneSettings({ SIP_WSS_URL: 'wss://10.0.0.5:8089/ws', SIP_DOMAIN: 'hotline.local', SIP_ICE_SERVERS: 'stun:stun.example.org:3478,turn:turn.example.org' }, '8002');
    expect(b).toMatchObject({ aor: 'sip:8002@hotline.local', iceServers: ['stun:stun.example.org:3478', 'turn:turn.example.org'] });
  });

  it('when SIP_SECRET is set, then each extension gets its own password, the HMAC openssl prints', () => {
    const secret = 'a-long-shared-secret-for-sip';
    const s = softphoneSettings({ SIP_WSS_URL: 'wss://pbx/ws', SIP_SECRET: secret }, '8001');
    expect(s.configured && s.authorizationPassword).toBe(createHmac('sha256', secret).update('8001').digest('hex').slice(0, 24));
    expect(sipPassword(secret, '8001')).not.toBe(sipPassword(secret, '8002'));
    expect(sipPassword(secret, '8001')).toMatch(/^[0-9a-f]{24}$/);
  });
});
