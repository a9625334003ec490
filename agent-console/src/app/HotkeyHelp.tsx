import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../components/Dialog';
import { HOTKEYS, registerCommand } from './hotkeys';

/** The shortcut list (settings page and the Alt+/ dialog). */
export function HotkeyTable() {
  const { t } = useTranslation();
  return (
    <>
      <p>{t('hotkeys.intro')}</p>
      <table className="table table--compact">
        <caption className="visually-hidden">{t('hotkeys.title')}</caption>
        <thead><tr><th scope="col">{t('hotkeys.title')}</th><th scope="col">{t('app.hotkeys')}</th></tr></thead>
        <tbody>
          {HOTKEYS.map((h) => (
            <tr key={h.command}><th scope="row">{t(h.label)}</th><td><kbd>{h.keys}</kbd></td></tr>
          ))}
          <tr><th scope="row">{t('hotkeys.saveAlt')}</th><td><kbd>Ctrl+Enter</kbd></td></tr>
          <tr><th scope="row">{t('hotkeys.nav')}</th><td><kbd>Alt+1</kbd> … <kbd>Alt+5</kbd></td></tr>
        </tbody>
      </table>
    </>
  );
}

/** Alt+/ opens the shortcut list from anywhere. */
export function HotkeyHelp() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  useEffect(() => registerCommand('help', () => setOpen(true)), []);
  return (
    <>
      <button type="button" className="btn btn--ghost btn--small" onClick={() => setOpen(true)} aria-keyshortcuts="Alt+/">
        {t('app.hotkeys')} <kbd>Alt+/</kbd>
      </button>
      <Dialog open={open} title={t('hotkeys.title')} onClose={() => setOpen(false)}>
        <HotkeyTable />
      </Dialog>
    </>
  );
}
