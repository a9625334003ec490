/**
 * Server errors in the console: every error code the server can send (`ERROR_CODES`) has a zh-CN and an
 * English text, and errorText / fieldErrors show those texts and field labels, never the validator's raw text.
 */
import i18next, { type TFunction } from 'i18next';
import { ERROR_CODES } from '../../server/src/shared/app-error';
import { ApiError } from '../src/api/http';
import { errorText, fieldErrors } from '../src/app/format';
import { en } from '../src/i18n/en';
import { zhCN } from '../src/i18n/zh-CN';

async function translator(lng: 'zh-CN' | 'en'): Promise<TFunction> {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false }, initAsync: false });
  return i18n.t;
}

describe('a text for every server error code', () => {
  it.each([
    ['zh-CN', zhCN.errors.codes as Record<string, string>],
    ['en', en.errors.codes as Record<string, string>],
  ])('when the server has an error code, then %s has a text for it (the list names any code without one)', (_lng, texts) => {
    const missing = ERROR_CODES.filter((code) => !texts[code]?.trim());
    expect({ missingTranslationFor: missing }).toEqual({ missingTranslationFor: [] });
    const stale = Object.keys(texts).filter((code) => !(ERROR_CODES as readonly string[]).includes(code));
    expect({ noSuchServerCode: stale }).toEqual({ noSuchServerCode: [] });
  });

  it('when a field has a label in zh-CN, then it has one in English', () => {
    expect(Object.keys(en.errors.fields).sort()).toEqual(Object.keys(zhCN.errors.fields).sort());
  });
});

describe('errorText and fieldErrors', () => {
  const zod = new ApiError(400, 'validation/invalid', '请求参数不正确', [
    { path: 'summary', message: 'Too small: expected string to have >=1 characters' },
    { path: 'phones.0.number', message: 'Invalid string: must match pattern /^\\+?\\d+$/' },
  ]);

  it('when a 400 names fields, then the text is the code\'s text with the fields by label, without the validator text', async () => {
    const zh = await translator('zh-CN');
    expect(errorText(zh, zod)).toBe('填写的内容不正确，请检查后重试。请检查：内容摘要、电话');
    const english = await translator('en');
    expect(errorText(english, zod)).toBe('Some of the input is not valid. Check it and try again. Please check: Summary, Phone');
    expect(errorText(zh, zod, { summary: '诉求' })).toContain('诉求');
    expect(errorText(zh, zod)).not.toMatch(/Too small|Invalid string/);
  });

  it('when field errors are shown next to fields, then each is a translated text keyed by the field path', async () => {
    const zh = await translator('zh-CN');
    expect(fieldErrors(zod, zh)).toEqual({ summary: '此项填写不正确，请检查。', 'phones.0.number': '此项填写不正确，请检查。' });
    const control = new ApiError(400, 'validation/control-characters', 'x', [{ path: 'body.summary', message: '含有不允许的控制字符' }]);
    expect(fieldErrors(control, zh)).toEqual({ summary: '此项含有不允许的控制字符，请删除后重试。' });
    expect(errorText(zh, control)).toBe('内容中含有不允许的控制字符或不可见字符，请删除后重试。请检查：内容摘要');
  });

  it.each([
    [new ApiError(403, 'auth/forbidden', 'Forbidden: requires role admin'), '您没有执行此操作的权限。'],
    [new ApiError(404, 'ticket/not-found', '工单 123 不存在'), '找不到该工单，或不在您的管辖范围内。'],
    [new ApiError(409, 'ticket/invalid-transition', 'cannot go from closed to accepted'), '工单当前状态下不能执行此操作，请刷新后重试。'],
    [new ApiError(401, 'auth/invalid-credentials', 'bad'), '用户名或密码不正确。'],
    [new ApiError(401, 'auth/unauthenticated', 'no session'), '请先登录。'],
    [new ApiError(500, 'internal', 'TypeError: x is undefined'), '服务器出错了，请稍后重试。如问题持续，请联系管理员。'],
    [new ApiError(502, 'http/502', 'Bad Gateway'), '服务器出错了，请稍后重试。如问题持续，请联系管理员。'],
    [new ApiError(418, 'some/future-code', 'raw text'), '操作未能完成（错误代码 some/future-code），请稍后重试或联系管理员。'],
    [new ApiError(0, 'network', 'Failed to fetch'), '无法连接服务器，请检查网络后重试。'],
  ])('when the server answers %p, then the console says %p', async (err, text) => {
    expect(errorText(await translator('zh-CN'), err)).toBe(text);
  });
});
