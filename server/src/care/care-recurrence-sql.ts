/**
 * Two rules of `care-recurrence.ts` written again as SQL expressions, for the generator's set-based statement:
 * a million plans cannot each take a round trip through JavaScript. `server/test/care-recurrence-sql.int.test.ts`
 * holds them equal to the JavaScript functions, table-driven, on PGlite and PostgreSQL.
 *
 * The arguments are SQL written in our own code (a table alias, a parameter placeholder), never input.
 * Days are SQL `date`s; instants come out as `timestamptz` at the fixed +08:00 of Asia/Shanghai (no DST),
 * computed in UTC so the session's time zone does not matter.
 */

/**
 * `slotAfter(plan, day)`: the plan's first slot strictly after `day`, never before its anchor.
 * `plan` is the alias of a `care_plan` row (cadence, anchor_day, interval_days).
 * @example `SELECT ${slotAfterSql('p', '$1::date')} FROM care_plan p`
 */
export function slotAfterSql(plan: string, day: string): string {
  const anchor = `${plan}.anchor_day`;
  const from = `GREATEST((${day}) + 1, ${anchor})`;
  const since = `(${from} - ${anchor})`;
  const n = `${plan}.interval_days`;
  // Monthly and quarterly: the anchor's day of month k·step months on, clamped to the month's end (PostgreSQL's
  // month arithmetic clamps, from the anchor each time); k is the whole steps between the two months, or one more.
  const step = `(CASE ${plan}.cadence WHEN 'monthly' THEN 1 ELSE 3 END)`;
  const month = (d: string) => `(EXTRACT(YEAR FROM ${d})::int * 12 + EXTRACT(MONTH FROM ${d})::int)`;
  const k = `((${month(from)} - ${month(anchor)}) / ${step})`;
  const after = (steps: string) => `(${anchor} + make_interval(months => (${steps}) * ${step}))::date`;
  return `(CASE ${plan}.cadence
      WHEN 'weekly' THEN ${anchor} + ((${since} + 6) / 7) * 7
      WHEN 'custom' THEN ${anchor} + ((${since} + ${n} - 1) / ${n}) * ${n}
      WHEN 'twice_weekly' THEN ${anchor} + (${since} / 7) * 7 + (CASE WHEN ${since} % 7 = 0 THEN 0 WHEN ${since} % 7 <= 3 THEN 3 ELSE 7 END)
      ELSE (CASE WHEN ${after(k)} >= ${from} THEN ${after(k)} ELSE ${after(`${k} + 1`)} END)
    END)`;
}

/**
 * `dueAtOf(slot, window)`: the window's first minute outside quiet hours on the slot day, as an instant.
 * `plan` is the alias of a row with window_start, window_end, quiet_start, quiet_end (quiet hours may wrap
 * midnight). A window that quiet hours swallow whole (plan saving refuses those) is due at its start, where
 * the JavaScript throws: one bad row must not stop every other person's generation.
 * @example `SELECT ${dueAtSql('p', 'p.next_due_day')} FROM care_plan p`
 */
export function dueAtSql(plan: string, slot: string): string {
  const [ws, we, qs, qe] = ['window_start', 'window_end', 'quiet_start', 'quiet_end'].map((c) => `${plan}.${c}`);
  // The window opens at its start, unless that minute is quiet: then when the quiet hours end, if still inside.
  const minute = `(CASE WHEN ${qs} IS NULL OR ${qe} IS NULL OR ${qs} = ${qe} THEN ${ws}
      WHEN ${ws} < ${qe} AND ${qe} < ${we} AND (${qs} > ${qe} OR ${qs} <= ${ws}) THEN ${qe}
      ELSE ${ws} END)`;
  return `(((${slot})::timestamp + make_interval(mins => ${minute} - 480)) AT TIME ZONE 'UTC')`;
}

/**
 * `riskRank(tier)`: the work list's sort rank of a risk tier (高风险 0, 重点 1, 一般 2).
 * @example `SELECT ${riskRankSql('per.risk_tier')} FROM person per`
 */
export function riskRankSql(tier: string): string {
  return `(CASE ${tier} WHEN 'high' THEN 0 WHEN 'key' THEN 1 ELSE 2 END)`;
}
