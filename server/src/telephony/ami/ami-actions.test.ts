/**
 * Action building, error codes and frame parsing: the pure edges of the AMI adapter.
 */
import { loadAmiFixture } from '../../../test/support/ami-fixtures';
import { DEFAULT_DIALPLAN, originateAction, queueAddAction, queuePauseAction, queueRemoveAction } from './ami-actions';
import { parseAmiFrame, rawActionId, splitAmiFrames, withActionId } from './ami-frame';
import { amiErrorCode, TelephonyError } from './ami.errors';

const request = { requestId: 'req-1', agentExtension: '8001', toNumber: '13800138000', callerId: 'Anxin <4008001234>' };

describe('AMI actions', () => {
  it('when a click-to-call is built, then the agent leg rings first and the number is dialled in the outbound context', () => {
    const action = originateAction({ ...request, variables: { ANXIN_TICKET: 'T-1' }, timeoutMs: 20_000 }, { ...DEFAULT_DIALPLAN, outboundContext: 'customer-dial' });
    expect(action).toEqual({
      action: 'Originate', actionid: 'req-1', channel: 'Local/8001@agents', context: 'customer-dial', exten: '13800138000',
      priority: '1', callerid: 'Anxin <4008001234>', async: 'true', timeout: '20000', variable: { ANXIN_TICKET: 'T-1' },
    });
  });

  it('when agents are WebRTC endpoints, then the configured patterns name PJSIP devices', () => {
    const dialplan = { ...DEFAULT_DIALPLAN, originateChannel: 'PJSIP/{ext}', memberInterface: 'PJSIP/{ext}' };
    expect(originateAction(request, dialplan).channel).toBe('PJSIP/8001');
    expect(queueAddAction('hotline-webrtc', '8001', 'Agent 8001', dialplan)).toEqual({
      action: 'QueueAdd', queue: 'hotline-webrtc', interface: 'PJSIP/8001', membername: 'Agent 8001',
    });
  });

  it('when queue actions are built with the default pattern, then the interface is Local/<ext>@agents/n', () => {
    expect(queueRemoveAction('hotline', '8003', DEFAULT_DIALPLAN)).toEqual({ action: 'QueueRemove', queue: 'hotline', interface: 'Local/8003@agents/n' });
    expect(queuePauseAction('hotline', '8003', true, 'lunch', DEFAULT_DIALPLAN)).toEqual({
      action: 'QueuePause', queue: 'hotline', interface: 'Local/8003@agents/n', paused: 'true', reason: 'lunch',
    });
    expect(queuePauseAction(undefined, '8003', false, 'lunch', DEFAULT_DIALPLAN)).toEqual({
      action: 'QueuePause', interface: 'Local/8003@agents/n', paused: 'false',
    });
  });

  it.each([
    ['a CR/LF in the caller id', { ...request, callerId: 'x\r\nAction: Hangup' }],
    ['a number with letters', { ...request, toNumber: '1380013800a' }],
    ['an extension with a slash', { ...request, agentExtension: '8001/../x' }],
    ['a variable value with a newline', { ...request, variables: { A: 'b\nc' } }],
  ])('when a request has %s, then it is rejected before anything is sent', (_what, bad) => {
    expect(() => originateAction(bad, DEFAULT_DIALPLAN)).toThrow(expect.objectContaining({ code: 'rejected', name: 'TelephonyError' }));
  });
});

describe('amiErrorCode', () => {
  // The error messages Asterisk 20 actually sent, read from the recordings.
  const errors = new Map(
    [...loadAmiFixture('ami-errors').frames, ...loadAmiFixture('ami-errors-bad-login').frames]
      .filter((f) => f.raw.startsWith('Response: Error'))
      .map((f) => [parseAmiFrame(f.raw).message as string, f]),
  );

  it.each([
    ['Invalid/unknown command: NoSuchAction. Use Action: ListCommands to show available commands.', 'rejected'],
    ['Extension does not exist.', 'not-found'],
    ['Unable to remove interface: Not there', 'not-found'],
    ['Interface not found', 'not-found'],
    ['Missing action in request', 'rejected'],
    ['Authentication failed', 'unauthorized'],
  ])('when Asterisk answers "%s", then the code is %s', (message, code) => {
    expect(errors.has(message)).toBe(true);
    expect(amiErrorCode(message)).toBe(code);
  });

  it('when the error is a TelephonyError, then it carries its code', () => {
    const error = new TelephonyError('temporary', 'AMI is down');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('temporary');
  });
});

describe('AMI frames', () => {
  it('when a VarSet frame is parsed, then keys are lower-cased and Variable becomes an object, as asterisk-manager does', () => {
    const raw = loadAmiFixture('sos-device-call').frames.find((f) => f.raw.includes('Variable: QUEUE_PRIO'))!.raw;
    expect(parseAmiFrame(raw)).toEqual(expect.objectContaining({ event: 'VarSet', variable: { QUEUE_PRIO: '' }, value: '10', linkedid: '1795346189.0' }));
  });

  it('when frames are split from a stream, then the unfinished rest is kept', () => {
    expect(splitAmiFrames('Action: Ping\r\nActionID: 1\r\n\r\nAction: Lo')).toEqual({ frames: ['Action: Ping\r\nActionID: 1\r\n\r\n'], rest: 'Action: Lo' });
  });

  it('when an ActionID is replaced, then every other byte stays as recorded', () => {
    const raw = 'Response: Success\r\nActionID: a2\r\nMessage: Originate successfully queued\r\n\r\n';
    expect(withActionId(raw, 'req-9')).toBe(raw.replace('a2', 'req-9'));
    expect(rawActionId(raw)).toBe('a2');
  });
});
