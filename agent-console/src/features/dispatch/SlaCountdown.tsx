import { useTranslation } from 'react-i18next';
import type { JobStatus, JobSummary } from '../../api/dispatch-wire';
import { formatDuration } from '../../app/format';
import { slaOf } from './sla';

/** Jobs still waiting for somebody: their dispatch deadline counts. */
const WAITING: readonly JobStatus[] = ['open', 'offering', 'with_dispatcher'];

/**
 * The dispatch deadline of a job as text with a mark (⏳ soon, ⏰ overdue): "剩余 12:34" / "已超时 3:21".
 * Not a live region (it changes every second); the overdue notice is announced once by the board.
 */
export function SlaCountdown({ job, now }: { job: Pick<JobSummary, 'dispatchDueAt' | 'status' | 'slaOverdue'>; now: number }) {
  const { t } = useTranslation();
  if (!WAITING.includes(job.status)) return <span className="muted">{t('dispatch.slaNone')}</span>;
  const sla = slaOf(job.dispatchDueAt, now);
  if (!sla) return <span className="muted">{t('dispatch.slaNone')}</span>;
  const time = formatDuration(sla.seconds);
  const overdue = sla.level === 'overdue' || job.slaOverdue;
  return (
    <span className={`sla sla--${overdue ? 'overdue' : sla.level}`} data-testid="sla">
      {sla.level === 'overdue' ? t('dispatch.slaOverdue', { time }) : t('dispatch.slaLeft', { time })}
    </span>
  );
}
