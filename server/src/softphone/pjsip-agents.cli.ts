/**
 * Print the pjsip.conf sections of agent endpoints with the SIP password the server hands each softphone,
 * so nobody derives them by hand:
 *
 *   SIP_SECRET=… npm run pbx:agents -- 8001 8002 8003
 *
 * Paste the output over the `[NNNN](agent-endpoint)` / `(agent-auth)` / `(agent-aor)` blocks of
 * `docker/asterisk/pjsip.conf` (same templates).
 */
import { sipPassword } from './softphone-settings';

const EXTENSION = /^[0-9]{2,10}$/;

/**
 * The three sections of one agent, using the templates of the shipped pjsip.conf.
 * @example agentSections('a-long-shared-secret', '8001') // '[8001](agent-endpoint)\n…password=<24 hex>\n…'
 */
export function agentSections(secret: string, extension: string): string {
  if (!EXTENSION.test(extension)) throw new Error(`not an extension: ${JSON.stringify(extension)} (2–10 digits)`);
  return [
    `[${extension}](agent-endpoint)`,
    `auth=${extension}`,
    `aors=${extension}`,
    `callerid="Agent ${extension}" <${extension}>`,
    `[${extension}](agent-auth)`,
    `username=${extension}`,
    `password=${sipPassword(secret, extension)}`,
    `[${extension}](agent-aor)`,
    '',
  ].join('\n');
}

if (require.main === module) {
  const secret = process.env.SIP_SECRET;
  const extensions = process.argv.slice(2);
  if (!secret || secret.length < 16 || extensions.length === 0) {
    process.stderr.write('usage: SIP_SECRET=<the server\'s SIP_SECRET, ≥ 16 characters> npm run pbx:agents -- 8001 8002 …\n');
    process.exit(2);
  }
  try {
    process.stdout.write(`; Agent endpoints for Anxin (passwords derived from SIP_SECRET, as GET /api/softphone/settings gives them)\n\n${extensions.map((e) => agentSections(secret, e)).join('\n')}`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}
