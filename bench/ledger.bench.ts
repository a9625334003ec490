/**
 * Time-coin ledger rules (issue 11): how fast balances are derived from entries in memory.
 *
 * BENCH_ENTRIES (1,000,000) entries — earnings from the issuer, redemptions, transfers and donations, as
 * balanced pairs — across BENCH_ACCOUNTS (10,000) member accounts, generated deterministically. Timed, each
 * BENCH_REPEAT (5) times after one warm-up, median reported:
 * - balancesOf: every account's balance (a Map keyed by account id);
 * - ledgerState: the full fold the rules decide on (balances, transactions, keys, cap counters);
 * - verifyLedger: the audit of every pair and every running balance;
 * - one decision: a volunteer's state folded from their own entries, then a redemption decided (p50/p99
 *   over BENCH_DECISIONS accounts) — what the server does per request.
 * Floor, same run and same entries: summing the units in one loop, and summing them into a
 * pre-indexed Int32Array per account (no hashing of ids).
 * Env: BENCH_ENTRIES, BENCH_ACCOUNTS, BENCH_REPEAT, BENCH_DECISIONS.
 */
import { performance } from 'node:perf_hooks';
import {
  applyLedgerCommand,
  balancesOf,
  ledgerSettings,
  ledgerState,
  pairOf,
  SYSTEM_ACCOUNTS,
  verifyLedger,
  volunteerAccount,
  type LedgerEntry,
} from '../dispatch/src/ledger';
import { line, ms, summarize } from './support/stats';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 1_000);

/** A small deterministic generator (mulberry32), so every run times the same ledger. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Balanced pairs that never take a member below zero: earn first, spend at most what is held. */
function generate(): { entries: LedgerEntry[]; accounts: string[] } {
  const rnd = random(11);
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => volunteerAccount(`v${i}`));
  const held = new Int32Array(ACCOUNTS);
  const entries: LedgerEntry[] = [];
  const days = Array.from({ length: 730 }, (_, d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000));
  for (let t = 0; entries.length < ENTRIES; t++) {
    const i = Math.floor(rnd() * ACCOUNTS);
    const at = days[Math.floor((t / (ENTRIES / 2)) * days.length)] ?? days[days.length - 1];
    const roll = rnd();
    let pair: [LedgerEntry, LedgerEntry];
    if (roll < 0.6 || held[i] < 50) {
      const units = 50 * (1 + Math.floor(rnd() * 8));
      pair = pairOf({ transactionId: `t${t}`, kind: 'earn', from: SYSTEM_ACCOUNTS.issuer, to: accounts[i], units, at, idempotencyKey: `earn:job:j${t}` });
      held[i] += units;
    } else {
      const units = 1 + Math.floor(rnd() * held[i]);
      const target = roll < 0.8 ? SYSTEM_ACCOUNTS.shop : roll < 0.9 ? SYSTEM_ACCOUNTS.service : roll < 0.95 ? SYSTEM_ACCOUNTS.pool : null;
      const j = Math.floor(rnd() * ACCOUNTS);
      const to = target ?? (j === i ? SYSTEM_ACCOUNTS.pool : accounts[j]);
      const kind = to === SYSTEM_ACCOUNTS.shop ? 'redeem_goods' : to === SYSTEM_ACCOUNTS.service ? 'redeem_service' : to === SYSTEM_ACCOUNTS.pool ? 'donate' : 'transfer';
      pair = pairOf({ transactionId: `t${t}`, kind, from: accounts[i], to, units, at });
      held[i] -= units;
      if (kind === 'transfer') held[j] += units;
    }
    entries.push(...pair);
  }
  return { entries, accounts };
}

function time<T>(label: string, fn: () => T): { median: number; result: T } {
  let result = fn(); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const t0 = performance.now();
    result = fn();
    runs.push(performance.now() - t0);
  }
  const median = summarize(runs).p50;
  line(label, `${ms(median)} (median of ${REPEAT})`);
  return { median, result };
}

function main(): void {
  const t0 = performance.now();
  const { entries, accounts } = generate();
  console.log(`\n  ${entries.length.toLocaleString('en')} entries across ${accounts.length.toLocaleString('en')} member accounts (+5 system), generated in ${ms(performance.now() - t0)}\n`);
  const settings = ledgerSettings();

  // Floors: the same numbers summed with no per-account grouping, then grouped by a pre-computed index.
  const floorSum = time('floor: sum of all units (one loop)', () => {
    let total = 0;
    for (let k = 0; k < entries.length; k++) total += entries[k].units;
    return total;
  });
  const index = new Map<string, number>([...accounts, ...Object.values(SYSTEM_ACCOUNTS)].map((a, i) => [a, i]));
  const slots = Int32Array.from(entries, (e) => index.get(e.accountId)!);
  const floorIndexed = time('floor: sum per account, pre-indexed array', () => {
    const sums = new Float64Array(index.size);
    for (let k = 0; k < entries.length; k++) sums[slots[k]] += entries[k].units;
    return sums;
  });

  const balances = time(`balancesOf (${ACCOUNTS.toLocaleString('en')} accounts)`, () => balancesOf(entries));
  const state = time('ledgerState (full fold)', () => ledgerState(entries, settings));
  const verified = time('verifyLedger (pairs, running balances)', () => verifyLedger(entries));

  // Sanity: the derived figures agree with the floor's, and the generated ledger is sound.
  if (floorSum.result !== 0) throw new Error(`entries sum to ${floorSum.result}`);
  for (const [account, i] of index) if ((balances.result.get(account) ?? 0) !== floorIndexed.result[i]) throw new Error(`balance of ${account} differs`);
  if (verified.result.length > 0) throw new Error(`ledger unsound: ${verified.result.slice(0, 3).join('; ')}`);
  if (state.result.balances.size !== balances.result.size) throw new Error('fold and sum disagree');

  // Per request: one volunteer's entries folded, one redemption decided.
  const byAccount = new Map<string, LedgerEntry[]>();
  for (const e of entries) if (e.accountId.startsWith('volunteer:')) (byAccount.get(e.accountId) ?? byAccount.set(e.accountId, []).get(e.accountId)!).push(e);
  const rnd = random(7);
  const decide: number[] = [];
  let accepted = 0;
  for (let d = 0; d < DECISIONS; d++) {
    const account = accounts[Math.floor(rnd() * accounts.length)];
    const own = byAccount.get(account) ?? [];
    const s = performance.now();
    const outcome = applyLedgerCommand(ledgerState(own, settings), { type: 'redeem', transactionId: `bench-${d}`, accountId: account, target: 'goods', units: 100, orderId: `o${d}` }, settings, new Date());
    decide.push(performance.now() - s);
    if (outcome.ok) accepted += 1;
  }
  const per = summarize(decide.slice(Math.min(50, decide.length / 10)));
  const perAccount = entries.length / 2 / accounts.length;

  console.log('');
  line('balancesOf / pre-indexed floor', `${(balances.median / floorIndexed.median).toFixed(1)}×`);
  line('balancesOf / one-loop floor', `${(balances.median / floorSum.median).toFixed(1)}×`);
  line('ledgerState / pre-indexed floor', `${(state.median / floorIndexed.median).toFixed(1)}×`);
  line('throughput balancesOf', `${Math.round(entries.length / (balances.median / 1000)).toLocaleString('en')} entries/s`);
  line(`one decision (fold ~${Math.round(perAccount)} entries + redeem)`, `p50 ${ms(per.p50)}, p99 ${ms(per.p99)}, max ${ms(per.max)} (${accepted}/${DECISIONS} accepted)`);
  line('heap used', `${Math.round(process.memoryUsage().heapUsed / 1_048_576)} MB`);
}

main();
