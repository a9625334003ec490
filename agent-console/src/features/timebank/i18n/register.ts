/**
 * The time bank's texts live in its lazy chunks, not in the console's initial bundle: importing this module
 * (each time-bank entry does) adds them under `timebank.*` to both languages.
 */
import i18next from 'i18next';
import { timebankEn } from './en';
import { timebankZh } from './zh-CN';

export function registerTimebankTexts(): void {
  if (i18next.exists('timebank.title', { lng: 'zh-CN' })) return;
  i18next.addResourceBundle('zh-CN', 'translation', { timebank: timebankZh }, true, false);
  i18next.addResourceBundle('en', 'translation', { timebank: timebankEn }, true, false);
}

registerTimebankTexts();
