import type { TFunction } from 'i18next';
import type { CallOutcome } from '../../api/wire';

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

/** `hh:mm` in Asia/Shanghai time. @example clockTime('2026-11-22T04:05:00Z', 'zh-CN') // '12:05' */
export function clockTime(iso: string, language: string): string {
  let f = clockFormatters.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
    clockFormatters.set(language, f);
  }
  return f.format(new Date(iso));
}

interface EndedCall {
  outcome: CallOutcome | null;
  endedAfter: string | null;
  endedBefore: string | null;
}

/**
 * How a call ended, for the call views: the outbound outcome (忙线, 无法接通 …), and for a call that ended while the
 * server was away from the PBX the window it ended in — its exact end is unknown and never made up.
 * @example callEndNotes(t, call, 'zh-CN') // ['已接通'] or ['结束于 12:05–12:09 之间（服务器重连期间）']
 */
export function callEndNotes(t: TFunction, call: EndedCall, language: string): string[] {
  const notes: string[] = [];
  if (call.outcome) notes.push(t(`callOutcome.${call.outcome}`));
  if (call.endedAfter && call.endedBefore) {
    notes.push(t('calls.endedWithin', { from: clockTime(call.endedAfter, language), to: clockTime(call.endedBefore, language) }));
  }
  return notes;
}
