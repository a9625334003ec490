import { useTranslation } from 'react-i18next';
import { prefs } from '../state/prefs';

/** One button: 中文 ⇄ English. Its label is in the other language, marked with `lang` for screen readers. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <button type="button" className="btn btn--ghost btn--small" lang={next} aria-label={t('app.languageSwitchLabel')} data-testid="language-switch"
      onClick={() => { prefs.set((p) => ({ ...p, language: next })); void i18n.changeLanguage(next); }}>
      <span aria-hidden="true">⇄ </span>{t('app.languageSwitch')}
    </button>
  );
}
