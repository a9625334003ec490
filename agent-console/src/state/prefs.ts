import type { Language } from '../i18n';
import { createStore } from './store';

export interface Prefs {
  language: Language;
  largeText: boolean;
  sound: boolean;
}

const KEY = 'anxin.console.prefs';
const DEFAULTS: Prefs = { language: 'zh-CN', largeText: false, sound: true };

function load(): Prefs {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Prefs>;
    return {
      language: raw.language === 'en' ? 'en' : 'zh-CN',
      largeText: raw.largeText === true,
      sound: raw.sound !== false,
    };
  } catch {
    return DEFAULTS;
  }
}

/** Per-browser preferences: language, large-text mode, sound alerts. Persisted in localStorage. */
export const prefs = createStore<Prefs>(load());

prefs.subscribe(() => {
  const p = prefs.get();
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    /* private mode: preferences last for this tab only */
  }
  document.documentElement.classList.toggle('large-text', p.largeText);
});
document.documentElement.classList.toggle('large-text', prefs.get().largeText);
