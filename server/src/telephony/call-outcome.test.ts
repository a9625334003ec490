/** Q.850 causes and dial statuses → outbound call outcomes. */
import { outcomeOfCause, outcomeOfDialStatus } from './call-outcome';

describe('outcomeOfCause', () => {
  it.each([
    [17, 'busy'],
    [18, 'no_answer'],
    [19, 'no_answer'],
    [21, 'rejected'],
    [1, 'unreachable'],
    [3, 'unreachable'],
    [20, 'unreachable'],
    [27, 'unreachable'],
    [34, 'unreachable'],
    [38, 'unreachable'],
    [41, 'unreachable'],
    [50, 'failed'],
    [127, 'failed'],
  ])('when the cause is %d, then the outcome is %s', (cause, outcome) => {
    expect(outcomeOfCause(cause)).toBe(outcome);
  });

  it.each([[0], [16], [31], [undefined]])('when the cause is %s (no verdict), then there is no outcome', (cause) => {
    expect(outcomeOfCause(cause)).toBeUndefined();
  });
});

describe('outcomeOfDialStatus', () => {
  it.each([
    ['ANSWER', 'answered'],
    ['busy', 'busy'],
    ['NOANSWER', 'no_answer'],
    ['CANCEL', 'no_answer'],
    ['CONGESTION', 'unreachable'],
    ['CHANUNAVAIL', 'unreachable'],
    ['CONTINUE', undefined],
    [undefined, undefined],
  ])('when the dial status is %s, then the outcome is %s', (status, outcome) => {
    expect(outcomeOfDialStatus(status)).toBe(outcome);
  });
});
