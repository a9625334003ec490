/**
 * Inbound scenarios: each recording replayed through the pure tracker must give exactly these canonical call
 * events (times are the AMI Timestamp headers, UTC, on 2026-11-22).
 */
import type { TelephonyEvent } from '../telephony-events';
import { inboundMessages, loadAmiFixture } from '../../../test/support/ami-fixtures';
import { AmiCallTracker } from './ami.mapper';

const at = (time: string): Date => new Date(`2026-11-22T${time}Z`);
const base = (type: string, time: string, callKey: string) => ({ type, vendor: 'asterisk', at: at(time), callKey });
const DID = '4008001234';

type Extra = Record<string, unknown>;
const offered = (time: string, key: string, from: string, name: string, channel: string, extra: Extra = {}) => ({
  ...base('call.offered', time, key), direction: 'inbound', fromNumber: from, fromName: name, toNumber: DID, queue: 'hotline', priority: 0, channel, ...extra,
});
const ringing = (time: string, key: string, ext: string, from: string, queue = 'hotline') => ({
  ...base('call.ringing', time, key), queue, agentExtension: ext, memberName: `Agent ${ext}`, fromNumber: from,
});
const answered = (time: string, key: string, ext: string, hold: number, queue = 'hotline') => ({
  ...base('call.answered', time, key), agentExtension: ext, queue, holdSeconds: hold,
});
const ended = (time: string, key: string, reason: string, cause: number, talk: number, hold: number, ext?: string) => ({
  ...base('call.ended', time, key), reason, hangupCause: cause, talkSeconds: talk, holdSeconds: hold, ...(ext ? { agentExtension: ext } : {}),
});

function replay(name: string): TelephonyEvent[] {
  const tracker = new AmiCallTracker();
  const events = inboundMessages(loadAmiFixture(name)).flatMap((m) => tracker.handle(m));
  expect(tracker.openCalls).toBe(0);
  return events.filter((e) => e.type !== 'agent.state');
}

const T = 'PJSIP/trunk-00000000';
const burstCallers = ['1795346265.0', '1795346265.1', '1795346266.2', '1795346266.5', '1795346266.6', '1795346266.7', '1795346266.8', '1795346267.9', '1795346267.10', '1795346267.13'];
const burst = (i: number) => [burstCallers[i - 1]!, `138001380${String(i).padStart(2, '0')}`, `Caller ${String(i).padStart(2, '0')}`, `PJSIP/trunk-${String(i - 1).padStart(8, '0')}`] as const;

const CASES: Array<[string, unknown[]]> = [
  ['inbound-answered-caller-hangup', [
    offered('11:15:33.166', '1795346132.0', '13800138000', 'Test', T),
    ringing('11:15:33.167', '1795346132.0', '8001', '13800138000'),
    answered('11:15:34.168', '1795346132.0', '8001', 1),
    ended('11:15:35.674', '1795346132.0', 'caller_hangup', 16, 1, 1, '8001'),
  ]],
  ['inbound-answered-agent-hangup', [
    offered('11:15:41.934', '1795346141.0', '13800138000', 'Test', T),
    ringing('11:15:41.934', '1795346141.0', '8001', '13800138000'),
    answered('11:15:42.936', '1795346141.0', '8001', 1),
    ended('11:15:49.443', '1795346141.0', 'agent_hangup', 16, 7, 1, '8001'),
  ]],
  ['inbound-abandoned', [
    offered('11:15:55.959', '1795346155.0', '13800138000', 'Test', T),
    ended('11:15:58.466', '1795346155.0', 'abandoned', 0, 0, 3),
  ]],
  ['ivr-choice', [
    { ...base('ivr.choice', '11:16:06.177', '1795346164.0'), choice: '3', fromNumber: '13800138000' },
    offered('11:16:06.177', '1795346164.0', '13800138000', 'Test', T, { toNumber: '4008009999' }),
    ringing('11:16:06.177', '1795346164.0', '8001', '13800138000'),
    answered('11:16:07.179', '1795346164.0', '8001', 1),
    ended('11:16:11.181', '1795346164.0', 'caller_hangup', 16, 4, 1, '8001'),
  ]],
  ['ivr-choice-rfc2833', [
    { ...base('ivr.choice', '11:16:18.580', '1795346176.0'), choice: '3', fromNumber: '13800138000' },
    offered('11:16:18.580', '1795346176.0', '13800138000', 'Test', T, { toNumber: '4008009999' }),
    ringing('11:16:18.580', '1795346176.0', '8001', '13800138000'),
    answered('11:16:19.582', '1795346176.0', '8001', 1),
    ended('11:16:23.445', '1795346176.0', 'caller_hangup', 16, 4, 1, '8001'),
  ]],
  ['sos-device-call', [
    { ...base('sos.raised', '11:16:29.501', '1795346189.0'), fromNumber: '13900000001', deviceId: 'pendant-0001' },
    offered('11:16:30.002', '1795346189.0', '13900000001', 'SOS Pendant', T, { priority: 10 }),
    ringing('11:16:30.003', '1795346189.0', '8001', '13900000001'),
    answered('11:16:31.004', '1795346189.0', '8001', 1),
    ended('11:16:34.509', '1795346189.0', 'caller_hangup', 16, 4, 1, '8001'),
  ]],
  ['sos-device-call-queue-jump', [
    offered('11:16:41.757', '1795346201.0', '13800138000', 'Test', T),
    { ...base('sos.raised', '11:16:43.369', '1795346203.1'), fromNumber: '13900000001', deviceId: 'pendant-0001' },
    offered('11:16:43.870', '1795346203.1', '13900000001', 'SOS Pendant', 'PJSIP/trunk-00000001', { priority: 10 }),
    ringing('11:16:44.870', '1795346203.1', '8001', '13900000001'),
    answered('11:16:45.872', '1795346203.1', '8001', 2),
    ringing('11:16:46.762', '1795346201.0', '8002', '13800138000'),
    answered('11:16:47.763', '1795346201.0', '8002', 6),
    ended('11:16:52.376', '1795346203.1', 'agent_hangup', 16, 7, 2, '8001'),
    ended('11:16:54.268', '1795346201.0', 'agent_hangup', 16, 7, 6, '8002'),
  ]],
  ['webrtc-agent-call', [
    offered('12:03:14.006', '1795348993.0', '13800138000', 'Test', T, { toNumber: '4008007777', queue: 'hotline-webrtc' }),
    ringing('12:03:14.009', '1795348993.0', '8001', '13800138000', 'hotline-webrtc'),
    answered('12:03:15.197', '1795348993.0', '8001', 1, 'hotline-webrtc'),
    ended('12:03:23.513', '1795348993.0', 'caller_hangup', 16, 8, 1, '8001'),
  ]],
  ['webrtc-agent-call-agent-hangup', [
    offered('12:03:32.459', '1795349011.0', '13800138000', 'Test', T, { toNumber: '4008007777', queue: 'hotline-webrtc' }),
    ringing('12:03:32.463', '1795349011.0', '8001', '13800138000', 'hotline-webrtc'),
    answered('12:03:33.662', '1795349011.0', '8001', 1, 'hotline-webrtc'),
    ended('12:03:43.684', '1795349011.0', 'agent_hangup', 16, 10, 1, '8001'),
  ]],
  ['concurrent-burst', [
    offered('11:17:46.246', ...burst(1)),
    ringing('11:17:46.248', burst(1)[0], '8001', burst(1)[1]),
    offered('11:17:46.445', ...burst(2)),
    offered('11:17:46.646', ...burst(3)),
    offered('11:17:46.845', ...burst(4)),
    offered('11:17:47.045', ...burst(5)),
    offered('11:17:47.246', ...burst(6)),
    answered('11:17:47.249', burst(1)[0], '8001', 1),
    ringing('11:17:47.445', burst(2)[0], '8002', burst(2)[1]),
    offered('11:17:47.446', ...burst(7)),
    offered('11:17:47.645', ...burst(8)),
    offered('11:17:47.846', ...burst(9)),
    offered('11:17:48.045', ...burst(10)),
    answered('11:17:48.447', burst(2)[0], '8002', 2),
    ended('11:17:53.756', burst(1)[0], 'agent_hangup', 16, 6, 1, '8001'),
    ringing('11:17:54.653', burst(3)[0], '8001', burst(3)[1]),
    ended('11:17:54.954', burst(2)[0], 'agent_hangup', 16, 6, 2, '8002'),
    answered('11:17:55.655', burst(3)[0], '8001', 9),
    ringing('11:17:55.853', burst(4)[0], '8002', burst(4)[1]),
    ended('11:17:56.154', burst(3)[0], 'caller_hangup', 16, 1, 9, '8001'),
    ended('11:17:56.348', burst(4)[0], 'abandoned', 0, 0, 10),
    ended('11:17:56.548', burst(5)[0], 'abandoned', 0, 0, 9),
    ended('11:17:56.750', burst(6)[0], 'abandoned', 0, 0, 9),
    ended('11:17:56.949', burst(7)[0], 'abandoned', 0, 0, 9),
    ended('11:17:57.148', burst(8)[0], 'abandoned', 0, 0, 10),
    ended('11:17:57.352', burst(9)[0], 'abandoned', 0, 0, 10),
    ended('11:17:57.548', burst(10)[0], 'abandoned', 0, 0, 9),
  ]],
];

describe('AmiCallTracker on the inbound recordings', () => {
  it.each(CASES)('when %s is replayed, then exactly these call events come out', (name, expected) => {
    expect(replay(name)).toEqual(expected);
  });

  it('when ten calls interleave, then each gets one offer and one end under its own Linkedid', () => {
    const events = replay('concurrent-burst');
    for (const key of burstCallers) {
      expect(events.filter((e) => e.type === 'call.offered' && e.callKey === key)).toHaveLength(1);
      expect(events.filter((e) => e.type === 'call.ended' && e.callKey === key)).toHaveLength(1);
    }
  });
});
