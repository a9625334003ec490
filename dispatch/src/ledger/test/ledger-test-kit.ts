/** Builders for the ledger's tests: a settings object, a job, and a ledger built by applying commands. */
import { volunteerAccount } from '../accounts';
import type { CompletedJob } from '../earning';
import { applyLedgerCommand, type LedgerCommand } from '../ledger';
import { ledgerSettings, type LedgerSettings } from '../ledger-settings';
import { ledgerState, withEntries, type LedgerState } from '../ledger-state';

export const V1 = volunteerAccount('v1');
export const V2 = volunteerAccount('v2');
export const NOW = new Date('2026-06-15T02:00:00Z');

export const settingsFor = (over: Partial<LedgerSettings> = {}): LedgerSettings => ledgerSettings({ lifetimeCapUnits: null, ...over });

/** A job that earns: completed, checked in at 09:00 and out at `minutes` later (Shanghai), confirmed. */
export function completedJob(over: Partial<CompletedJob> & { minutes?: number } = {}): CompletedJob {
  const { minutes = 120, ...rest } = over;
  const checkInAt = new Date('2026-06-15T01:00:00Z');
  return {
    jobId: 'job-1',
    volunteerAccountId: V1,
    status: 'completed',
    checkInAt,
    checkOutAt: new Date(checkInAt.getTime() + minutes * 60_000),
    confirmation: { by: 'recipient', at: NOW },
    ...rest,
  };
}

let sequence = 0;
/** A fresh transaction id. */
export const tx = (prefix = 't') => `${prefix}-${++sequence}`;

/** Earns `units` for the account through a job of the right length (settings: 100 units per hour, 1-minute steps). */
export const earn = (accountId: string, minutes: number, jobId = tx('job')): LedgerCommand => ({
  type: 'earn_job',
  transactionId: tx(),
  job: completedJob({ jobId, volunteerAccountId: accountId, minutes }),
});

/** Applies each command at its time (default NOW); throws on a refusal, so a test's setup cannot silently fail. */
export function ledgerAfter(settings: LedgerSettings, steps: (LedgerCommand | [LedgerCommand, Date])[], start?: LedgerState): LedgerState {
  let state = start ?? ledgerState([], settings);
  for (const step of steps) {
    const [command, at] = Array.isArray(step) ? step : [step, NOW];
    const outcome = applyLedgerCommand(state, command, settings, at);
    if (!outcome.ok) throw new Error(`setup step ${command.type} refused: ${outcome.code} ${outcome.message}`);
    state = withEntries(state, outcome.entries);
  }
  return state;
}
