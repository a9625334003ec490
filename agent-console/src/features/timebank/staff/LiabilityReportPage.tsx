import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiabilityRow } from '../../../api/timebank-wire';
import { errorText } from '../../../app/format';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { announce } from '../../../state/announcer';
import { timebankApi } from '../timebank-api';
import { formatCoins, saveText, toCsv } from '../timebank-format';
import { Coins, useAction, useDistricts } from '../timebank-ui';
import { MonthlyChart } from './MonthlyChart';

/** This month and the eleven before it, as `YYYY-MM` in Asia/Shanghai. */
function lastTwelveMonths(now = new Date()): { from: string; to: string } {
  const to = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(now).slice(0, 7);
  const [y, m] = to.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 12, 1));
  return { from: start.toISOString().slice(0, 7), to };
}

/**
 * 联合会时间币汇总: coins issued, redeemed and expired, transfers and the liability change, by district and
 * month, with totals and the outstanding liability; exported as CSV; a chart of issued and redeemed per month
 * (the table is its accessible form); the ledger check; and, when the policy sets expiry, running it now.
 */
export function LiabilityReportPage() {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState(lastTwelveMonths);
  const [range, setRange] = useState(form);
  const [rangeError, setRangeError] = useState<string | null>(null);
  const districts = useDistricts();
  const report = useQuery({ queryKey: ['timebank', 'liability', range.from, range.to], queryFn: () => timebankApi.liability(range.from, range.to) });
  const names = new Map(districts.data?.items.map((d) => [d.code, d.name]) ?? []);
  const districtName = (code: string | null) => (code === null ? t('timebank.report.pool') : names.get(code) ?? code);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const ok = /^\d{4}-\d{2}$/.test(form.from) && /^\d{4}-\d{2}$/.test(form.to) && form.from <= form.to;
    setRangeError(ok ? null : t('timebank.report.badRange'));
    if (ok) setRange(form);
  };
  const coins = (units: number) => formatCoins(units, 'en').replace(/,/g, '');
  const exportCsv = (rows: LiabilityRow[]) => {
    const file = `time-coins-${range.from}-${range.to}.csv`;
    saveText(file, toCsv([
      [t('timebank.report.month'), t('timebank.report.district'), t('timebank.report.issued'), t('timebank.report.redeemed'), t('timebank.report.expired'), t('timebank.report.transfersNet'), t('timebank.report.liabilityChange')],
      ...rows.map((r) => [r.month, districtName(r.districtCode), coins(r.issued), coins(r.redeemed), coins(r.expired), coins(r.transfersNet), coins(r.liabilityChange)]),
    ]));
    announce(t('timebank.report.exported', { file }));
  };
  return (
    <div>
      <PageHeading>{t('timebank.report.title')}</PageHeading>
      <p>{t('timebank.report.intro')}</p>
      <form className="inline-form" onSubmit={apply} noValidate aria-label={t('timebank.report.caption')}>
        <TextField label={t('timebank.from')} type="month" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        <TextField label={t('timebank.to')} type="month" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        <button type="submit" className="btn">{t('timebank.apply')}</button>
      </form>
      {rangeError && <ErrorNotice message={rangeError} />}
      {report.isPending && <Loading />}
      {report.isError && <ErrorNotice message={errorText(t, report.error)} onRetry={() => void report.refetch()} />}
      {report.data && (
        <>
          <dl className="tb-figures" aria-label={t('timebank.report.totals')}>
            <div><dt>{t('timebank.report.issued')}</dt><dd><Coins units={report.data.totals.issued} /></dd></div>
            <div><dt>{t('timebank.report.redeemed')}</dt><dd><Coins units={report.data.totals.redeemed} /></dd></div>
            <div><dt>{t('timebank.report.expired')}</dt><dd><Coins units={report.data.totals.expired} /></dd></div>
            <div><dt>{t('timebank.report.outstanding')}</dt><dd data-testid="tb-outstanding"><Coins units={report.data.totals.outstanding} /></dd></div>
          </dl>
          {report.data.rows.length === 0 ? <EmptyState>{t('timebank.report.empty')}</EmptyState> : (
            <>
              <p><button type="button" className="btn" onClick={() => exportCsv(report.data.rows)}>{t('timebank.report.exportCsv')}</button></p>
              <MonthlyChart rows={report.data.rows} />
              <div className="table-wrap">
                <table className="table">
                  <caption>{t('timebank.report.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('timebank.report.month')}</th>
                      <th scope="col">{t('timebank.report.district')}</th>
                      {(['issued', 'redeemed', 'expired', 'transfersNet', 'liabilityChange'] as const).map((k) => <th key={k} scope="col" className="tb-num">{t(`timebank.report.${k}`)}</th>)}
                    </tr>
                  </thead>
                  <tbody>
                    {report.data.rows.map((r) => (
                      <tr key={`${r.month}:${r.districtCode ?? 'pool'}`}>
                        <td>{r.month}</td>
                        <th scope="row">{districtName(r.districtCode)}</th>
                        {(['issued', 'redeemed', 'expired', 'transfersNet', 'liabilityChange'] as const).map((k) => <td key={k} className="tb-num">{formatCoins(r[k], i18n.language)}</td>)}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
      <LedgerCheckPanel />
      <ExpiryPanel />
    </div>
  );
}

function LedgerCheckPanel() {
  const { t } = useTranslation();
  const act = useAction();
  const [problems, setProblems] = useState<string[]>([]);
  const check = () => void act.run(() => timebankApi.ledgerCheck(), (c) => {
    setProblems(c.problems);
    const sound = c.sumUnits === 0 && c.problems.length === 0 && c.cachedBalancesMatch;
    return sound ? t('timebank.report.checkSound', { entries: c.entries, transactions: c.transactions }) : t('timebank.report.checkProblems', { count: Math.max(1, c.problems.length) });
  });
  return (
    <section aria-labelledby="tb-check-heading">
      <h2 id="tb-check-heading">{t('timebank.report.check')}</h2>
      <button type="button" className="btn" disabled={act.busy} onClick={check}>{t('timebank.report.runCheck')}</button>
      {act.notices}
      {problems.length > 0 && <ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
    </section>
  );
}

/** 时间币过期: shown when the policy sets an expiry; runs now what the daily job runs (the supervisor's districts). */
function ExpiryPanel() {
  const { t, i18n } = useTranslation();
  const settings = useQuery({ queryKey: ['timebank', 'settings'], queryFn: timebankApi.settings, staleTime: 5 * 60_000 });
  const act = useAction();
  const months = settings.data?.expiryMonths ?? null;
  if (months === null) return null;
  const run = () => act.busy ? undefined : void act.run(() => timebankApi.expiryRun(), (r) => t('timebank.report.expiryDone', { accounts: r.expired.length, count: r.expired.length, coins: formatCoins(r.units, i18n.language) }));
  return (
    <section aria-labelledby="tb-expiry-heading">
      <h2 id="tb-expiry-heading">{t('timebank.report.expiry')}</h2>
      <p>{t('timebank.report.expiryHint', { months })}</p>
      {/* aria-disabled, not disabled, while it runs: a disabled button would drop the focus to the page. */}
      <button type="button" className="btn" aria-disabled={act.busy || undefined} onClick={run}>{t('timebank.report.runExpiry')}</button>
      {act.notices}
    </section>
  );
}
