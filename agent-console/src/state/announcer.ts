import { createStore } from './store';

export interface Announcement {
  id: number;
  text: string;
  politeness: 'polite' | 'assertive';
}

let seq = 0;

/** Messages for the screen-reader live regions (rendered by `<LiveRegions/>`). */
export const announcements = createStore<{ polite: Announcement | null; assertive: Announcement | null }>({ polite: null, assertive: null });

/**
 * Say something to screen-reader users. Assertive interrupts (SOS, failures); polite waits its turn.
 * @example announce(t('pop.announce', { name }), 'polite');
 */
export function announce(text: string, politeness: 'polite' | 'assertive' = 'polite'): void {
  const a = { id: ++seq, text, politeness };
  announcements.set((prev) => ({ ...prev, [politeness]: a }));
}
