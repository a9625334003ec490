/**
 * Time-bank numbers for people: coins from integer ledger units (1 coin = 100 units), money from fen, and a
 * CSV file built in the browser from rows already on screen. Pure.
 */

/** Units per coin, as the ledger counts them (`UNITS_PER_COIN` in dispatch/src/ledger). */
export const UNITS_PER_COIN = 100;

/** Coins from ledger units, at most two decimals. @example formatCoins(1250, 'zh-CN') // '12.5' */
export function formatCoins(units: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(units / UNITS_PER_COIN);
}

/** Ledger units from coins typed by a person ('1.5' → 150); null when it is not a positive amount. */
export function unitsFromCoins(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  const units = Math.round(Number(trimmed) * UNITS_PER_COIN);
  return units > 0 && Number.isSafeInteger(units) ? units : null;
}

/** Signed ledger units from coins typed for an adjustment ('-2.5' → -250); null when zero or malformed. */
export function signedUnitsFromCoins(text: string): number | null {
  const trimmed = text.trim().replace(/^＋|^\+/, '').replace(/^－/, '-');
  const negative = trimmed.startsWith('-');
  const units = unitsFromCoins(negative ? trimmed.slice(1) : trimmed);
  return units === null ? null : negative ? -units : units;
}

/** Yuan from fen. @example formatFen(123456, 'zh-CN') // '¥1,234.56' */
export function formatFen(fen: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency: 'CNY' }).format(fen / 100);
}

/** Fen from yuan typed by a person ('12.5' → 1250); null when it is not a positive amount. */
export function fenFromYuan(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  const fen = Math.round(Number(trimmed) * 100);
  return fen > 0 && Number.isSafeInteger(fen) ? fen : null;
}

/**
 * RFC 4180 CSV text (CRLF, quoted where needed), with a leading `'` on cells a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@` followed by a letter).
 * @example toCsv([['区', '发放'], ['测试区', 12]]) // '区,发放\r\n测试区,12\r\n'
 */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Offer a text as a file download (UTF-8 with a BOM, so spreadsheet programs read the Chinese right). */
export function saveText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
