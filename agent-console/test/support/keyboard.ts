/**
 * Keyboard-only helpers for browser tests: describe the focused element (label | tag | accessible text) and
 * Tab (or Shift+Tab) until it matches.
 */
import type { Page } from 'playwright-core';

/** `label|TAG|aria-label or text` of the focused element (the label of a radio includes its legend). */
export function focused(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const e = document.activeElement;
    if (!e) return '';
    const label = e.labels && e.labels[0] ? e.labels[0].textContent.trim() : '';
    const legend = e.closest('fieldset') && e.type === 'radio' ? e.closest('fieldset').querySelector('legend').textContent.trim() + ':' : '';
    return legend + label + '|' + e.tagName + '|' + (e.getAttribute('aria-label') || (e.textContent || '').trim()).slice(0, 120);
  })()`) as Promise<string>;
}

/** Press Tab (Shift+Tab with `back`) until the focused element matches; at most `max` presses. */
export async function tabTo(page: Page, match: RegExp, opts: { back?: boolean; max?: number } = {}): Promise<void> {
  for (let i = 0; i < (opts.max ?? 80); i++) {
    if (match.test(await focused(page))) return;
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await focused(page)}`);
}
