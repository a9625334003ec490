/**
 * What the SOS module tells the rest of the system (domain events, emitted after commit). The realtime
 * hub turns them into `sos:*` notices for agents and supervisors.
 */
import type { SosSource, SosStatus } from './sos-incident.entity';

/** The alert: sound + flash + text on every console that may take it. */
export interface SosAlert {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  source: SosSource;
  /** `button`, `fall`, `smoke`, `call`, `sms` … */
  alarmType: string;
  personId: string | null;
  personName: string | null;
  /** The number the SOS came from, masked (`139****0001`). */
  fromMasked: string | null;
  deviceSerial: string | null;
  silent: boolean;
  /** A further press while the person's SOS is still open: same order, alert again. */
  repeat: boolean;
  raisedAt: string;
  /** When the automatic callback starts if nobody acknowledges. */
  escalatesAt: string | null;
  /** A further press of an SOS someone already took: recorded on its order, not a new alarm. */
  acknowledgedAt: string | null;
}

/**
 * A call from an SOS device is linked to its SOS order (the first press or a further one): the console
 * opens that order from the call's pop instead of a new order form. `status` is the SOS's as of the link;
 * not `active` means someone took it already (the ringing call is not a new alarm).
 */
export interface SosCallLinked {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  callId: string;
  status: SosStatus;
}

export interface SosEscalated {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  /** 1-based step number and the chain length. */
  step: number;
  steps: number;
  key: string;
  title: string;
  at: string;
  nextAt: string | null;
}

export interface SosAcknowledged {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  byUserId: string | null;
  byName: string;
  how: 'console' | 'call_answered';
  at: string;
}

export interface SosClosed {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  outcome: 'resolved' | 'false_alarm' | 'cancelled';
  at: string;
}
