/**
 * The shipped Asterisk configuration (`docker/asterisk/`) on a real Asterisk 20: it loads without errors,
 * and the settings a real run found wrong stay right.
 */
import { liveAsteriskAvailable, startLiveAsterisk, type LiveAsterisk } from './live-asterisk';

let pbx: LiveAsterisk;

beforeAll(async () => {
  const available = liveAsteriskAvailable();
  if (!available.ok) throw new Error(`live-PBX suite cannot run: ${available.why}`);
  pbx = await startLiveAsterisk({ apiUrl: 'http://127.0.0.1:9' });
});

afterAll(async () => {
  await pbx?.stop();
});

describe('shipped Asterisk configuration', () => {
  it('when Asterisk loads it, then it logs no ERROR but the unreachable placeholder carrier', () => {
    expect(pbx.unexpectedErrors()).toEqual([]);
    expect(pbx.log()).not.toMatch(/Unable to load config file/);
    expect(pbx.log()).not.toMatch(/No music on hold classes configured/);
  });

  it('when a browser registers from the PBX host, then the endpoint is found by username before the sipp ip match', () => {
    expect(pbx.rx('pjsip show settings')).toMatch(/endpoint_identifier_order\s*:\s*username,ip,anonymous,header,auth_username/);
  });

  it('when an agent endpoint negotiates, then ulaw and alaw come before pass-through opus', () => {
    expect(pbx.rx('pjsip show endpoint 8001')).toMatch(/allow\s*:\s*\(ulaw\|alaw\|opus\)/);
  });

  it('when WSS is configured, then the TLS listener is up with the lab certificate', () => {
    const status = pbx.rx('http show status');
    expect(status).toMatch(/HTTPS Server Enabled and Bound to 127\.0\.0\.1:\d+/);
    expect(status).toContain('/ws');
  });

  it('when the hotline queue plays hold music, then the default class has a file', () => {
    expect(pbx.rx('moh show classes')).toMatch(/Class: default/);
    expect(pbx.rx('moh show files')).toMatch(/hold-tone/);
  });

  it('when the dialplan loads, then the generated IVR and the SOS callback are there', () => {
    expect(pbx.rx('dialplan show anxin-hotline-entry')).toMatch(/UserEvent\(AnxinSos/);
    expect(pbx.rx('dialplan show sos-callback@agents')).toMatch(/sos-callback/);
  });
});
