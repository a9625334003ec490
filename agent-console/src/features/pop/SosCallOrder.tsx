import { useTranslation } from 'react-i18next';
import type { SosCallLinked } from '../../api/wire';
import { href } from '../../app/router';

/**
 * The order panel for a call from an SOS device: the SOS already opened its P0 order (this call, or an
 * earlier press), so the agent goes to that order instead of filling in a second one.
 */
export function SosCallOrder({ link }: { link: SosCallLinked }) {
  const { t } = useTranslation();
  return (
    <div className="ticket-form" data-testid="sos-call-order">
      <h2 id="ticket-form-title" className="panel__title">{t('pop.sosOrderTitle')}</h2>
      <p>{t(link.status === 'active' ? 'pop.sosOrderActive' : 'pop.sosOrderTaken', { number: link.ticketNumber })}</p>
      <p>
        <a className="btn" href={href(`/tickets/${link.ticketId}`)}>{t('pop.openSosOrder', { number: link.ticketNumber })}</a>
      </p>
    </div>
  );
}
