import { isSafeReply, isSosText } from './sms-keywords';
import { smsErrorFromTwilio } from './twilio-sms.mapper';

describe('isSosText', () => {
  it.each([
    ['SOS', true],
    ['sos 我摔倒了', true],
    ['ＳＯＳ', true],
    ['救命', true],
    ['快来人，我起不来了', true],
    ['紧急求助', true],
    ['Help', true],
    ['我想咨询一下残疾人补贴', false],
    ['平安', false],
    ['', false],
    ['sosa', false],
  ])('when the text is %j, then SOS is %p', (text, sos) => {
    expect(isSosText(text)).toBe(sos);
  });

  it.each([['平安', true], ['我没事。', true], ['误按', true], ['没事了！', true], ['我不太好', false]])('when the reply is %j, then "safe" is %p', (text, safe) => {
    expect(isSafeReply(text)).toBe(safe);
  });
});

describe('smsErrorFromTwilio', () => {
  it.each<[string, unknown, string]>([
    ['a 500', { status: 500, message: 'Internal' }, 'temporary'],
    ['a 503', { status: 503, message: 'Unavailable' }, 'temporary'],
    ['a 429', { status: 429, code: 20429, message: 'Too Many Requests' }, 'temporary'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'temporary'],
    ['a 401', { status: 401, code: 20003, message: 'Authenticate' }, 'unauthorized'],
    ['an invalid number', { status: 400, code: 21211, message: "The 'To' number is not valid" }, 'rejected'],
    ['an opted-out number', { status: 400, code: 21610, message: 'unsubscribed' }, 'rejected'],
    ['something else', new Error('weird'), 'unknown'],
  ])('when Twilio fails with %s, then the code is %s', (_what, err, code) => {
    expect(smsErrorFromTwilio(err).code).toBe(code);
  });

  it('when Twilio gives its error code, then the message keeps it', () => {
    expect(smsErrorFromTwilio({ status: 400, code: 21211, message: 'Invalid To' }).message).toBe('Invalid To (Twilio 21211)');
  });
});
