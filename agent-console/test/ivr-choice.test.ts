/**
 * The IVR choice in the pop: a pressed key shows with its meaning; the PBX's own choice for a recognised
 * caller (`known`) shows what it means, never the raw token.
 */
import i18next, { type TFunction } from 'i18next';
import { ivrChoiceText } from '../src/features/pop/ivr-choice';
import { en } from '../src/i18n/en';
import { zhCN } from '../src/i18n/zh-CN';

async function translator(lng: 'zh-CN' | 'en'): Promise<TFunction> {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false }, initAsync: false });
  return i18n.t;
}

describe('ivrChoiceText', () => {
  it.each([
    ['zh-CN', 'known', '已识别来电，跳过菜单'],
    ['en', 'known', 'Recognised caller, menu skipped'],
    ['zh-CN', '3', '按键 3（紧急求助）'],
    ['en', '0', 'Key 0 (operator)'],
    ['zh-CN', 'x9', '按键 x9（—）'],
  ] as const)('when the language is %s and the choice is %s, then the pop reads "%s"', async (lng, choice, text) => {
    expect(ivrChoiceText(await translator(lng), choice)).toBe(text);
  });

  it('when a choice is a PBX token, then no language shows the token itself', async () => {
    for (const lng of ['zh-CN', 'en'] as const) {
      const t = await translator(lng);
      for (const token of Object.keys(zhCN.ivrToken)) expect(ivrChoiceText(t, token)).not.toContain(token);
    }
  });
});
