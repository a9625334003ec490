import { loadConfig } from '../config/config';
import { agentSections } from './pjsip-agents.cli';
import { softphoneSettings } from './softphone-settings';

describe('pbx:agents', () => {
  it('when it prints an agent section, then its password is the one the server hands that softphone', () => {
    const config = loadConfig({ NODE_ENV: 'test', SIP_WSS_URL: 'wss://pbx.example.lan:8089/ws', SIP_SECRET: 'a-long-shared-secret-for-sip' });
    const settings = softphoneSettings(config, '8002');
    const section = agentSections('a-long-shared-secret-for-sip', '8002');
    expect(settings.configured && settings.authorizationPassword).toMatch(/^[0-9a-f]{24}$/);
    expect(section).toContain(`password=${settings.configured ? settings.authorizationPassword : 'none'}\n`);
    expect(section.split('\n').slice(0, 8)).toEqual([
      '[8002](agent-endpoint)',
      'auth=8002',
      'aors=8002',
      'callerid="Agent 8002" <8002>',
      '[8002](agent-auth)',
      'username=8002',
      expect.stringMatching(/^password=[0-9a-f]{24}$/),
      '[8002](agent-aor)',
    ]);
  });

  it('when an extension is not digits, then it refuses instead of writing a broken section', () => {
    expect(() => agentSections('a-long-shared-secret-for-sip', '80 01]')).toThrow(/not an extension/);
  });
});
