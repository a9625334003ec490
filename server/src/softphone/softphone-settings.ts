import { createHmac } from 'node:crypto';
import type { Config } from '../config/config';

/** What the console's SIP.js softphone needs to register, or why it cannot. */
export type SoftphoneSettings =
  | {
      configured: true;
      wssUrl: string;
      domain: string;
      extension: string;
      /** `sip:8001@pbx.example.org` */
      aor: string;
      authorizationUsername: string;
      /** Null when SIP_SECRET is unset: Asterisk must then accept the endpoint without a password. */
      authorizationPassword: string | null;
      iceServers: string[];
    }
  | { configured: false; reason: SoftphoneUnavailable; extension: string | null };

export const SOFTPHONE_UNAVAILABLE = ['no_pbx', 'no_extension'] as const;
export type SoftphoneUnavailable = (typeof SOFTPHONE_UNAVAILABLE)[number];

type SipConfig = Pick<Config, 'SIP_WSS_URL' | 'SIP_DOMAIN' | 'SIP_SECRET' | 'SIP_ICE_SERVERS'>;

/**
 * The SIP password of an agent endpoint: the first 24 hex digits of HMAC-SHA256(SIP_SECRET, extension).
 * The PBX side computes the same with `printf 8001 | openssl dgst -sha256 -hmac "$SIP_SECRET" | cut -c1-24`
 * (the digest is the last field of openssl's output).
 *
 * @example sipPassword('a-long-shared-secret', '8001') // → 24 hex characters
 */
export function sipPassword(secret: string, extension: string): string {
  return createHmac('sha256', secret).update(extension).digest('hex').slice(0, 24);
}

/**
 * Settings for one agent's softphone. Pure.
 * @example softphoneSettings({ SIP_WSS_URL: 'wss://pbx:8089/ws' }, '8001') // { configured: true, aor: 'sip:8001@pbx', … }
 */
export function softphoneSettings(config: SipConfig, extension: string | null): SoftphoneSettings {
  if (!config.SIP_WSS_URL) return { configured: false, reason: 'no_pbx', extension };
  if (!extension) return { configured: false, reason: 'no_extension', extension: null };
  const domain = config.SIP_DOMAIN ?? new URL(config.SIP_WSS_URL).hostname;
  return {
    configured: true,
    wssUrl: config.SIP_WSS_URL,
    domain,
    extension,
    aor: `sip:${extension}@${domain}`,
    authorizationUsername: extension,
    authorizationPassword: config.SIP_SECRET ? sipPassword(config.SIP_SECRET, extension) : null,
    iceServers: config.SIP_ICE_SERVERS ? config.SIP_ICE_SERVERS.split(',') : [],
  };
}
