import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../app/format';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { announce } from '../../../state/announcer';
import { careStatsApi, STATS_GROUPS, type CareStats, type StatsGroup, type StatsQuery } from './care-stats.api';
import { StatsTables } from './StatsTables';

/** chart.js comes with the chart, on demand: the console's first bundle does not carry it. */
const StatsChart = lazy(() => import('./StatsChart'));

/** This month in Beijing time (`YYYY-MM`). */
function thisMonth(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
}

/**
 * 关怀统计: the supervisor's figures for one month over their districts — progress, 探访率 per risk tier,
 * 满意率, 解决率, 回访失败 — as charts (lazy) with the same numbers in tables, and a CSV export.
 * Loading keeps the focus where the user acted and announces the result; errors are shown translated.
 */
export function CareStatsPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<StatsQuery>({ month: thisMonth(), district: '', groupBy: undefined });
  const [query, setQuery] = useState<StatsQuery>(draft);
  const figures = useQuery({ queryKey: ['care', 'stats', query], queryFn: () => careStatsApi.figures(query) });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setQuery({ ...draft, month: draft.month.trim(), district: draft.district?.trim() }); // the focus stays where the user pressed Enter
  };
  const loadedMonth = figures.data?.month;
  useEffect(() => {
    if (loadedMonth) announce(t('careStats.loaded', { month: loadedMonth }));
  }, [loadedMonth, figures.dataUpdatedAt]);

  return (
    <div className="care-stats">
      <PageHeading>{t('careStats.title')}</PageHeading>
      <p>{t('careStats.intro')}</p>
      <form onSubmit={(e) => void submit(e)} aria-label={t('careStats.filters')} className="form-row">
        <TextField label={t('careStats.month')} hint={t('careStats.monthHint')} required inputMode="numeric" maxLength={7} value={draft.month} onChange={(e) => setDraft({ ...draft, month: e.target.value })} />
        <TextField label={t('careStats.district')} hint={t('careStats.districtHint')} inputMode="numeric" maxLength={12} value={draft.district ?? ''} onChange={(e) => setDraft({ ...draft, district: e.target.value })} />
        <SelectField label={t('careStats.groupBy')} value={draft.groupBy ?? ''} onChange={(e) => setDraft({ ...draft, groupBy: (e.target.value || undefined) as StatsGroup | undefined })}>
          <option value="">—</option>
          {STATS_GROUPS.map((g) => <option key={g} value={g}>{t(`careStats.groups.${g}`)}</option>)}
        </SelectField>
        <p>
          <button type="submit" className="btn btn--primary">{t('careStats.show')}</button>{' '}
          <a className="btn" href={careStatsApi.exportHref(query)} download aria-describedby="care-stats-export-hint">{t('careStats.export')}</a>
        </p>
        <p id="care-stats-export-hint" className="hint">{t('careStats.exportHint')}</p>
      </form>
      {figures.isPending && <Loading />}
      {figures.isError && <ErrorNotice message={errorText(t, figures.error)} onRetry={() => void figures.refetch()} />}
      {figures.data && <Figures stats={figures.data} />}
    </div>
  );
}

function Figures({ stats }: { stats: CareStats }) {
  const { t } = useTranslation();
  const rows = [...stats.rows, stats.total];
  const labels = useMemo(() => rows.map((r) => (r.code === null ? t('careStats.total') : r.name ?? r.code)), [stats, t]);
  const progress = useMemo(() => [
    { label: t('careStats.done'), values: rows.map((r) => r.progress.done), color: '#1b7f3b' },
    { label: t('careStats.unreached'), values: rows.map((r) => r.progress.unreached), color: '#b06000' },
    { label: t('careStats.escalated'), values: rows.map((r) => r.progress.escalated), color: '#b3261e' },
    { label: t('careStats.pending'), values: rows.map((r) => r.progress.pending), color: '#6b7280' },
  ], [stats, t]);
  const visits = useMemo(() => (['high', 'key', 'general'] as const).map((k, i) => ({ label: t(`careStats.tiers.${k}`), values: rows.map((r) => r.visits[k].rate), color: ['#b3261e', '#b06000', '#1d4ed8'][i]! })), [stats, t]);
  if (stats.total.progress.due === 0 && stats.total.surveys.counted === 0) return <EmptyState>{t('careStats.empty')}</EmptyState>;
  return (
    <section aria-label={t('careStats.title')}>
      <p>{t('careStats.chartTableNote')}</p>
      <Suspense fallback={<Loading label={t('careStats.chartLoading')} />}>
        <StatsChart label={t('careStats.chartProgress')} labels={labels} series={progress} stacked />
        <StatsChart label={t('careStats.chartVisits')} labels={labels} series={visits} max={100} />
      </Suspense>
      <StatsTables stats={stats} />
    </section>
  );
}
