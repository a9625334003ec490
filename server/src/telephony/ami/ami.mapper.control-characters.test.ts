/**
 * Control characters in AMI values (a caller id set by a SIP peer, a UserEvent field from the dialplan) are
 * stripped before they reach the call log. The traffic is the recordings in server/test/fixtures/ami with
 * characters injected into recorded values: no event shape is made up.
 */
import { parseAmiFrame } from './ami-frame';
import { loadAmiFixture, type AmiFixture } from '../../../test/support/ami-fixtures';
import type { TelephonyEvent } from '../telephony-events';
import { AmiCallTracker } from './ami.mapper';

/** The `in` frames with each `[pattern, replacement]` applied to the raw text. */
function injected(fixture: AmiFixture, edits: Array<[RegExp, string]>): ReturnType<typeof parseAmiFrame>[] {
  return fixture.frames
    .filter((f) => f.dir === 'in' && !f.raw.startsWith('Asterisk Call Manager'))
    .map((f) => parseAmiFrame(edits.reduce((raw, [re, to]) => raw.replace(re, to), f.raw)));
}

const replay = (frames: ReturnType<typeof parseAmiFrame>[]): TelephonyEvent[] => {
  const tracker = new AmiCallTracker();
  return frames.flatMap((m) => tracker.handle(m)).filter((e) => e.type !== 'agent.state');
};
const clean = (name: string) => replay(injected(loadAmiFixture(name), []));

describe('AMI values with control characters', () => {
  it('when the caller id number and name hold NUL, ESC and C1 characters, then the call events carry them stripped', () => {
    const frames = injected(loadAmiFixture('inbound-answered-caller-hangup'), [
      [/CallerIDNum: 13800138000\r\n/g, 'CallerIDNum: 1380013\u00008000\u0007\r\n'],
      [/CallerIDName: Test\r\n/g, 'CallerIDName: \u001bTe\u0085st\uFEFF\r\n'],
    ]);
    const events = replay(frames);
    expect(events).toEqual(clean('inbound-answered-caller-hangup'));
    expect(events.find((e) => e.type === 'call.offered')).toMatchObject({ fromNumber: '13800138000', fromName: 'Test' });
  });

  it('when an AnxinIvr UserEvent has control characters in its name, Choice and CallerID, then the IVR choice is still read, clean', () => {
    const frames = injected(loadAmiFixture('ivr-choice'), [
      [/UserEvent: AnxinIvr\r\n/, 'UserEvent: Anxin\u0000Ivr\r\n'],
      [/Choice: 3\r\n/, 'Choice: \u001b3\r\n'],
      [/CallerID: 13800138000\r\n/, 'CallerID: 13800138000\u0000\r\n'],
    ]);
    const events = replay(frames);
    expect(events).toEqual(clean('ivr-choice'));
    expect(events[0]).toMatchObject({ type: 'ivr.choice', choice: '3', fromNumber: '13800138000' });
  });

  it('when an AnxinSos UserEvent names its device with a control character, then the SOS is raised for the clean serial', () => {
    const frames = injected(loadAmiFixture('sos-device-call'), [[/Device: pendant-0001\r\n/, 'Device: pendant\u0000-0001\u009b\r\n']]);
    const events = replay(frames);
    expect(events).toEqual(clean('sos-device-call'));
    expect(events[0]).toMatchObject({ type: 'sos.raised', deviceId: 'pendant-0001' });
  });
});
