import fs from 'node:fs';
import path from 'node:path';

export const MIN_PASSWORD_LENGTH = 12;

/** Why a password is refused (the console translates `auth.password.<reason>`). */
export type PasswordProblemReason = 'too-short' | 'common' | 'is-username' | 'unchanged';

export interface PasswordProblem {
  reason: PasswordProblemReason;
  message: string;
}

/**
 * The bundled list of common and breached-style passwords (`common-passwords.txt`, lower case, one a line,
 * `#` comments), read once on first use. The build copies it beside the compiled file; a missing list is an
 * error, never an empty list.
 */
let common: ReadonlySet<string> | null = null;
function commonPasswords(): ReadonlySet<string> {
  if (common) return common;
  const file = path.join(__dirname, 'common-passwords.txt');
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  common = new Set(lines.map((l) => l.trim().toLowerCase()).filter((l) => l && !l.startsWith('#')));
  return common;
}

/**
 * The password policy, applied to every password set or changed (own change, a security admin's create or
 * reset): at least {@link MIN_PASSWORD_LENGTH} characters, not in the common-password list (compared in
 * lower case, NFKC), not containing the username, and not the current password.
 * @returns null when acceptable.
 * @example passwordProblem('password1234', 'li.na') // { reason: 'common', … }
 */
export function passwordProblem(next: string, username: string, current?: string): PasswordProblem | null {
  if ([...next].length < MIN_PASSWORD_LENGTH) return { reason: 'too-short', message: `密码至少 ${MIN_PASSWORD_LENGTH} 个字符` };
  const folded = next.normalize('NFKC').toLowerCase();
  if (commonPasswords().has(folded)) return { reason: 'common', message: '密码过于常见，容易被猜中，请换一个' };
  if (username && folded.includes(username.normalize('NFKC').toLowerCase())) return { reason: 'is-username', message: '密码不能包含用户名' };
  if (current !== undefined && next === current) return { reason: 'unchanged', message: '新密码不能与当前密码相同' };
  return null;
}
