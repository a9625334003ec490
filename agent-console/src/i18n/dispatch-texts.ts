import i18next from 'i18next';
import { dispatchEn } from './dispatch.en';
import { dispatchZhCN } from './dispatch.zh-CN';

/**
 * Add the dispatch texts (board, people screens, field page) to i18next. Called by those pages' modules when
 * their lazy chunk loads, so the texts stay out of the console's initial bundle. Idempotent.
 * @example registerDispatchTexts(); // then t('dispatch.title') === '派单台'
 */
export function registerDispatchTexts(): void {
  if (i18next.exists('dispatch.title', { lng: 'zh-CN' })) return;
  i18next.addResourceBundle('zh-CN', 'translation', dispatchZhCN, true, false);
  i18next.addResourceBundle('en', 'translation', dispatchEn, true, false);
}
