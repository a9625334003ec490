import { normalizePhone } from '../persons/phone-number';

/** A registered, not retired SOS device with a SIM number. */
export interface SosDeviceRow {
  e164: string;
  serial: string;
}

const SAFE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The AstDB `sos` family as Asterisk CLI commands, one per line: `database deltree sos`, then
 * `database put sos <number> <serial>` per device. The key is the number as the trunk presents it
 * (`CALLERID(num)`): national digits (13900000001, 057188888888). Anything that could not be a safe CLI word
 * is left out (the server lookup still answers for it). Pure: same rows, same text, sorted.
 *
 * @example astdbCommands([{ e164: '+8613900000001', serial: 'pendant-0001' }])
 * // 'database deltree sos\ndatabase put sos 13900000001 pendant-0001\n'
 */
export function astdbCommands(rows: readonly SosDeviceRow[]): string {
  const lines = new Set<string>();
  for (const row of rows) {
    const national = normalizePhone(row.e164)?.national;
    if (!national || !/^\d{5,15}$/.test(national) || !SAFE.test(row.serial)) continue;
    lines.add(`database put sos ${national} ${row.serial}`);
  }
  return ['database deltree sos', ...[...lines].sort()].join('\n') + '\n';
}
