import { useTranslation } from 'react-i18next';
import type { CareStats, CareStatsRow, Rate, Tier } from './care-stats.api';

const TIERS: Tier[] = ['high', 'key', 'general', 'all'];

/** The figures as tables (the accessible alternative to the charts): progress, 探访率 per tier, 回访. */
export function StatsTables({ stats }: { stats: CareStats }) {
  const { t } = useTranslation();
  const rows = [...stats.rows, stats.total];
  const name = (r: CareStatsRow) => (r.code === null ? t('careStats.total') : `${r.name ?? ''} ${r.code}`.trim());
  const rate = (v: Rate) => (v === null ? t('careStats.none') : t('careStats.rate', { rate: v }));
  const head = (r: CareStatsRow) => <th scope="row">{name(r)}</th>;
  return (
    <>
      <table className="table">
        <caption>{t('careStats.progressCaption', { month: stats.month })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('careStats.area')}</th>
            {(['due', 'done', 'unreached', 'escalated', 'pending'] as const).map((k) => <th key={k} scope="col">{t(`careStats.${k}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code ?? 'total'}>
              {head(r)}
              <td>{r.progress.due}</td><td>{r.progress.done}</td><td>{r.progress.unreached}</td><td>{r.progress.escalated}</td><td>{r.progress.pending}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="table">
        <caption>{t('careStats.visitCaption', { month: stats.month })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('careStats.area')}</th>
            {TIERS.map((k) => <th key={k} scope="col">{t(`careStats.tiers.${k}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code ?? 'total'}>
              {head(r)}
              {TIERS.map((k) => <td key={k}>{rate(r.visits[k].rate)} ({r.visits[k].done}/{r.visits[k].due})</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      <table className="table">
        <caption>{t('careStats.surveyCaption', { month: stats.month })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('careStats.area')}</th>
            {(['counted', 'satisfied', 'satisfactionRate', 'reached', 'resolved', 'resolutionRate', 'failed'] as const).map((k) => <th key={k} scope="col">{t(`careStats.${k}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code ?? 'total'}>
              {head(r)}
              <td>{r.surveys.counted}</td><td>{r.surveys.satisfied}</td><td>{rate(r.surveys.satisfactionRate)}</td>
              <td>{r.surveys.reached}</td><td>{r.surveys.resolved}</td><td>{rate(r.surveys.resolutionRate)}</td><td>{r.surveys.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t('careStats.rateNote')}</p>
    </>
  );
}
