import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../i18n';
import { CheckboxField, RadioGroup } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { HotkeyTable } from '../../app/HotkeyHelp';
import { href } from '../../app/router';
import { announce } from '../../state/announcer';
import { prefs } from '../../state/prefs';
import { useStore } from '../../state/store';
import { chime, startSiren, stopSiren } from '../sos/alarm-sound';

/** Language, large-text mode, sound alerts, and the keyboard shortcuts. */
export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const p = useStore(prefs);
  const setLanguage = (language: Language) => {
    prefs.set((x) => ({ ...x, language }));
    void i18n.changeLanguage(language);
  };
  const test = () => {
    chime();
    startSiren();
    window.setTimeout(stopSiren, 2500);
  };
  return (
    <div className="narrow">
      <PageHeading>{t('settings.title')}</PageHeading>
      <section className="panel" aria-labelledby="prefs-title">
        <h2 id="prefs-title" className="panel__title">{t('settings.title')}</h2>
        <RadioGroup legend={t('settings.language')} name="language" value={p.language} onChange={setLanguage}
          options={LANGUAGES.map((l) => ({ value: l, label: l === 'zh-CN' ? '简体中文' : 'English' }))} />
        <CheckboxField label={t('settings.largeText')} hint={t('settings.largeTextHint')} checked={p.largeText}
          onChange={(e) => { prefs.set((x) => ({ ...x, largeText: e.target.checked })); announce(t('settings.saved')); }} />
        <CheckboxField label={t('settings.sound')} hint={t('settings.soundHint')} checked={p.sound}
          onChange={(e) => { prefs.set((x) => ({ ...x, sound: e.target.checked })); announce(t('settings.saved')); }} />
        <button type="button" className="btn" onClick={test}>{t('settings.testSound')}</button>
      </section>
      <section className="panel" aria-labelledby="account-title">
        <h2 id="account-title" className="panel__title">{t('password.account')}</h2>
        <a className="btn" href={href('/settings/password')}>{t('password.title')}</a>{' '}
        <a className="btn" href={href('/settings/totp')}>{t('totp.settingsLink')}</a>
      </section>
      <section className="panel" aria-labelledby="hotkeys-title">
        <h2 id="hotkeys-title" className="panel__title">{t('hotkeys.title')}</h2>
        <HotkeyTable />
      </section>
    </div>
  );
}
