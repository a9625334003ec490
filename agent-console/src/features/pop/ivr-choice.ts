import type { TFunction } from 'i18next';

/**
 * What the caller's IVR choice means, for the pop and the call history. A pressed key reads
 * "按键 3（紧急求助）"; a choice the PBX made for the caller (`known`: a recognised number skips the menu)
 * reads as its meaning alone, never as the raw token. A choice the console has no text for keeps its token.
 *
 * @example ivrChoiceText(t, '3') // '按键 3（紧急求助）'
 * @example ivrChoiceText(t, 'known') // '已识别来电，跳过菜单'
 */
export function ivrChoiceText(t: TFunction, choice: string): string {
  const token = t(`ivrToken.${choice}`, { defaultValue: '' });
  if (token) return token;
  return t('pop.ivrChoice', { choice, meaning: t(`ivrMeaning.${choice}`, { defaultValue: '—' }) });
}
