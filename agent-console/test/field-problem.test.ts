/**
 * The field page's reading of server refusals: every dead link gets its own page, a wrong PIN says the attempts
 * left, an ended session goes back to the PIN, and nothing shows the server's raw text.
 */
import i18next, { type TFunction } from 'i18next';
import { ApiError } from '../src/api/http';
import { fieldProblem } from '../src/features/field/field-problem';
import { fieldState } from '../src/features/field/field-state';
import { fieldTokenOf } from '../src/features/field/field-link';
import { dispatchZhCN } from '../src/i18n/dispatch.zh-CN';
import { zhCN } from '../src/i18n/zh-CN';

let t: TFunction;
beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: { ...zhCN, ...dispatchZhCN } } }, lng: 'zh-CN', interpolation: { escapeValue: false }, initAsync: false });
  t = i18n.t;
});

describe('fieldProblem', () => {
  it.each([
    [new ApiError(404, 'field/link-invalid', 'no such token'), { kind: 'gone', text: '找不到这个链接。请检查短信中的链接是否完整。' }],
    [new ApiError(410, 'field/link-expired', 'x', { reason: 'dispatcher' }), { kind: 'gone', text: '邀约已过期或已被撤回，无需处理。如有疑问请联系派单员。' }],
    [new ApiError(410, 'field/link-expired', 'x', { reason: 'taken_by_other' }), { kind: 'gone', text: '此任务已由其他人接单，谢谢您。' }],
    [new ApiError(423, 'field/pin-locked', 'x'), { kind: 'gone', text: '验证码错误次数过多，此链接已锁定。请联系派单员。' }],
    [new ApiError(401, 'field/pin-wrong', 'x', { attemptsLeft: 3 }), { kind: 'pin', text: '验证码不正确，还可以再试 3 次。' }],
    [new ApiError(401, 'field/pin-wrong', 'x'), { kind: 'pin', text: '验证码不正确，请重新输入。' }],
    [new ApiError(401, 'field/session-invalid', 'x'), { kind: 'session', text: '页面已过期，请重新输入验证码。' }],
    [new ApiError(409, 'dispatch/invalid-transition', 'x', { reason: 'offer_withdrawn' }), { kind: 'gone', text: '邀约已过期或已被撤回，无需处理。如有疑问请联系派单员。' }],
    [new ApiError(409, 'dispatch/invalid-transition', 'x', { reason: 'already_accepted' }), { kind: 'message', text: '任务当前状态下不能这样操作，页面已刷新。', retry: false }],
    [new ApiError(400, 'validation/invalid', 'reason: Too small', [{ path: 'reason', message: 'Too small' }]), { kind: 'message', text: '填写的内容不正确，请检查后重试。', retry: false }],
    [new ApiError(0, 'network', 'Failed to fetch'), { kind: 'message', text: '网络连接失败，请检查网络后重试。', retry: true }],
    [new ApiError(500, 'internal', 'TypeError: x is undefined'), { kind: 'message', text: '系统暂时出了问题，请稍后重试。', retry: true }],
    [new Error('boom'), { kind: 'message', text: '系统暂时出了问题，请稍后重试。', retry: true }],
  ])('when the server answers %p, then the page shows %p', (err, problem) => {
    expect(fieldProblem(t, err)).toEqual(problem);
  });
});

describe('fieldState and fieldTokenOf', () => {
  it.each([
    [{ offerStatus: 'open', jobStatus: 'offering' }, 'offered'],
    [{ offerStatus: 'declined', jobStatus: 'offering' }, 'declined'],
    [{ offerStatus: 'timed_out', jobStatus: 'with_dispatcher' }, 'expired'],
    [{ offerStatus: 'withdrawn', jobStatus: 'assigned' }, 'withdrawn'],
    [{ offerStatus: 'accepted', jobStatus: 'assigned' }, 'accepted'],
    [{ offerStatus: 'accepted', jobStatus: 'on_site' }, 'on_site'],
  ] as const)('when the offer and job are %p, then the worker sees %p', (view, state) => {
    expect(fieldState(view)).toBe(state);
  });

  it.each([
    [{ pathname: '/', hash: '#/f/abc_DEF-123' }, 'abc_DEF-123'],
    [{ pathname: '/f/abc123', hash: '' }, 'abc123'],
    [{ pathname: '/', hash: '#/dispatch' }, null],
    [{ pathname: '/', hash: '' }, null],
  ])('when the console opens at %p, then the field token is %p', (location, token) => {
    expect(fieldTokenOf(location)).toBe(token);
  });
});
