/**
 * What the console tells the server about its softphone, and which words say why it is not registered:
 * REGISTER answers mapped to failures, the report for each softphone state, a text for every failure.
 */
import { SOFTPHONE_FAILURES as SERVER_FAILURES } from '../../server/src/agents/agent-presence';
import { SOFTPHONE_FAILURES, type SoftphoneSettings } from '../src/api/wire';
import { failureOf } from '../src/features/softphone/softphone-failure';
import { reportOf } from '../src/features/softphone/softphone-report';
import type { SoftphoneState } from '../src/features/softphone/softphone-store';
import { en } from '../src/i18n/en';
import { zhCN } from '../src/i18n/zh-CN';

const configured: SoftphoneSettings = { configured: true, wssUrl: 'wss://pbx.example.org:8089/ws', domain: 'pbx.example.org', extension: '8001', aor: 'sip:8001@pbx.example.org', authorizationUsername: '8001', authorizationPassword: 'x', iceServers: [] };
const state = (p: Partial<SoftphoneState>): SoftphoneState => ({ settings: configured, phase: 'connecting', error: null, call: null, notice: null, failure: null, ...p });

describe('softphone status', () => {
  it.each([
    [403, 'forbidden'],
    [401, 'auth_failed'],
    [407, 'auth_failed'],
    [404, 'not_found'],
    [408, 'timeout'],
    [503, 'server_error'],
    [488, 'unknown'],
  ] as const)('when REGISTER is answered %i, then the failure is %s', (status, failure) => {
    expect(failureOf(status)).toBe(failure);
  });

  it.each([
    ['registered', state({ phase: 'registered' }), { registered: true }],
    ['first connecting', state({ phase: 'connecting' }), null],
    ['reconnecting after a failure', state({ phase: 'connecting', failure: 'transport' }), { registered: false, reason: 'transport' }],
    ['refused with 403', state({ phase: 'unregistered', failure: 'forbidden' }), { registered: false, reason: 'forbidden' }],
    ['unregistered without a known reason', state({ phase: 'unregistered' }), { registered: false, reason: 'unknown' }],
    ['not configured (desk phone)', state({ settings: { configured: false, reason: 'no_pbx', extension: '8001' }, phase: 'off' }), null],
  ] as const)('when the softphone is %s, then the server is told %j', (_what, s, report) => {
    expect(reportOf(s)).toEqual(report);
  });

  it('when the server knows a failure, then the console knows the same list and has a text for each in zh-CN and English', () => {
    expect([...SOFTPHONE_FAILURES]).toEqual([...SERVER_FAILURES]);
    for (const f of SOFTPHONE_FAILURES) {
      expect(zhCN.softphone.why[f]).toMatch(/^未注册：/);
      expect(en.softphone.why[f]).toMatch(/^Not registered: /);
      expect({ [f]: [zhCN.presence.noPhoneReason[f], en.presence.noPhoneReason[f]].every((text) => text.trim().length > 0) }).toEqual({ [f]: true });
    }
  });
});
