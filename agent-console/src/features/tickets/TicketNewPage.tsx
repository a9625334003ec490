import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../components/PageHeading';
import { TicketForm } from './TicketForm';

/** A work order outside a call (walk-in, web, or from a person's page). */
export function TicketNewPage({ personId, personName }: { personId?: string; personName?: string }) {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <PageHeading>{t('ticketForm.title')}</PageHeading>
      <section className="panel" aria-labelledby="ticket-form-title">
        <TicketForm live={null} person={personId ? { id: personId, name: personName ?? personId } : null} />
      </section>
    </div>
  );
}
