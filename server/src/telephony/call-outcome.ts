/**
 * What became of an outbound call, from the customer's side: Q.850 hangup causes and dial statuses mapped to
 * an outcome. Pure; vendor-neutral (the causes are the ISDN/Q.850 codes Asterisk and carriers report).
 */

export const CALL_OUTCOMES = ['answered', 'busy', 'no_answer', 'unreachable', 'rejected', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Causes that say the customer's phone or network could not be reached (number, route, network, congestion). */
const UNREACHABLE = new Set([
  1, // unallocated (unassigned) number
  2, // no route to specified transit network
  3, // no route to destination
  20, // subscriber absent (phone off / out of coverage)
  22, // number changed
  27, // destination out of order
  28, // invalid number format
  34, // no circuit/channel available (also what Asterisk reports for a trunk it cannot reach)
  38, // network out of order
  41, // temporary failure
  42, // switching equipment congestion
]);

/** Causes that carry no verdict: normal clearing, normal unspecified, and Asterisk's 0 (not set). */
const NEUTRAL = new Set([0, 16, 31]);

/**
 * The outcome a failure cause stands for; undefined for a cause that says nothing (0, 16 normal clearing,
 * 31 normal unspecified) or no cause at all.
 *
 * @example outcomeOfCause(17) // 'busy'
 * @example outcomeOfCause(3) // 'unreachable'
 */
export function outcomeOfCause(cause: number | undefined): Exclude<CallOutcome, 'answered'> | undefined {
  if (cause === undefined || NEUTRAL.has(cause)) return undefined;
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19) return 'no_answer';
  if (cause === 21) return 'rejected';
  return UNREACHABLE.has(cause) ? 'unreachable' : 'failed';
}

/**
 * The outcome an Asterisk `DialStatus` stands for (DialEnd, `${DIALSTATUS}`); undefined for statuses with no
 * verdict of their own (e.g. `CONTINUE`).
 */
export function outcomeOfDialStatus(status: string | undefined): CallOutcome | undefined {
  switch (status?.toUpperCase()) {
    case 'ANSWER':
      return 'answered';
    case 'BUSY':
      return 'busy';
    case 'NOANSWER':
    case 'CANCEL':
      return 'no_answer';
    case 'CONGESTION':
    case 'CHANUNAVAIL':
      return 'unreachable';
    default:
      return undefined;
  }
}
