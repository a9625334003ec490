import { useTranslation } from 'react-i18next';
import type { RiskTier, TicketPriority, TicketStatus } from '../api/wire';

/** Risk tier as text plus a shape; colour is never the only cue. */
export function RiskBadge({ tier }: { tier: RiskTier }) {
  const { t } = useTranslation();
  const icon = tier === 'high' ? '⚠' : tier === 'key' ? '◆' : '●';
  return (
    <span className={`badge badge--risk-${tier}`}>
      <span aria-hidden="true">{icon} </span>
      {t(`risk.${tier}`)}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${priority.toLowerCase()}`}>{t(`priority.${priority}`)}</span>;
}

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return <span className="badge badge--status">{t(`ticketStatus.${status}`)}</span>;
}
