import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import type { Clock } from '../shared/clock';
import { AmiAdapter } from './ami/ami.adapter';
import type { TelephonyPort } from './telephony.port';

/** The PBX adapter the configuration asks for, or null when none is configured (telephony off). */
export function createTelephony(config: Config, log: Logger, clock: Clock): TelephonyPort | null {
  if (!config.ASTERISK_AMI_URL) return null;
  const memberInterface = config.ASTERISK_MEMBER_INTERFACE;
  return new AmiAdapter({
    connection: config.ASTERISK_AMI_URL,
    logger: log,
    clock,
    dialplan: {
      memberInterface,
      // Ring the agent on the same technology their queue membership uses.
      originateChannel: memberInterface.replace(/\/n$/, ''),
      outboundContext: config.ASTERISK_OUTBOUND_CONTEXT,
    },
    reconnect: { initialDelayMs: config.ASTERISK_RECONNECT_INITIAL_MS, maxDelayMs: config.ASTERISK_RECONNECT_MAX_MS },
  });
}
