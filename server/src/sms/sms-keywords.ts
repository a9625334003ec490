/**
 * Does a text ask for emergency help? Pure. Matches SOS / 救命 / 求救 / 救救我 / 紧急求助 / 急救 / 报警 and
 * "HELP" anywhere, full-width forms included; "平安" / "没事" replies are not SOS.
 *
 * @example isSosText('ＳＯＳ') // true
 * @example isSosText('我想咨询一下补贴') // false
 */
export function isSosText(body: string): boolean {
  const text = body.normalize('NFKC').trim().toLowerCase();
  if (!text) return false;
  return /\bsos\b|\bhelp\b|救命|求救|救救|紧急求助|急救|快来人|报警/.test(text);
}

/** Replies meaning "I am fine" to an SOS text. */
export function isSafeReply(body: string): boolean {
  return /^(平安|安全|没事|没事了|我没事|误按|按错了|ok|好的)[。.!！]*$/i.test(body.normalize('NFKC').trim());
}
