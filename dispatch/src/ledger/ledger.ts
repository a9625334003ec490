/**
 * One entry point for every ledger operation: (state, command, settings, now) → the entries to append,
 * or a refusal with its reason code. Pure; the server appends the entries in one transaction.
 */
import { adjust, reverse, type Adjust, type Reverse } from './approvals';
import { earnForActivity, earnForJob, type ActivitySkip, type EarnForActivity, type EarnForJob } from './earning';
import { expire, type Expire } from './expiry';
import type { LedgerOutcome } from './ledger-refusal';
import type { LedgerSettings } from './ledger-settings';
import type { LedgerState } from './ledger-state';
import { donate, redeem, refund, transfer, type Donate, type Redeem, type Refund, type Transfer } from './movements';

export type LedgerCommand = EarnForJob | EarnForActivity | Redeem | Transfer | Donate | Refund | Adjust | Reverse | Expire;

/**
 * Decides one command against the ledger.
 * @example
 * const outcome = applyLedgerCommand(state, { type: 'donate', transactionId: 'd1', from: 'volunteer:v1', units: 100 }, settings, now);
 * if (outcome.ok) await repo.append(outcome.entries); else throw new AppError(outcome.code);
 */
export function applyLedgerCommand(
  state: LedgerState,
  command: LedgerCommand,
  settings: LedgerSettings,
  now: Date,
): LedgerOutcome & { skipped?: ActivitySkip[] } {
  switch (command.type) {
    case 'earn_job':
      return earnForJob(state, command, settings, now);
    case 'earn_activity':
      return earnForActivity(state, command, settings, now);
    case 'redeem':
      return redeem(state, command, settings, now);
    case 'transfer':
      return transfer(state, command, settings, now);
    case 'donate':
      return donate(state, command, settings, now);
    case 'refund':
      return refund(state, command, settings, now);
    case 'adjust':
      return adjust(state, command, settings, now);
    case 'reverse':
      return reverse(state, command, settings, now);
    case 'expire':
      return expire(state, command, settings, now);
  }
}
