import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';
import { careStatsEn, careStatsZh } from '../features/care/stats/care-stats.i18n';
import { campaignsEn, campaignsZh } from './campaigns';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * i18next with both languages bundled (they are small); zh-CN is the default and the fallback.
 * The document's `lang` follows the language so screen readers pick the right voice.
 */
export function initI18n(language: Language): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: { ...zhCN, careStats: careStatsZh, campaigns: campaignsZh } }, en: { translation: { ...en, careStats: careStatsEn, campaigns: campaignsEn } } },
    lng: language,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  const applyLang = (lng: string) => {
    document.documentElement.lang = lng;
    document.title = i18next.t('app.name');
  };
  applyLang(language);
  i18next.on('languageChanged', applyLang);
  return i18next;
}
