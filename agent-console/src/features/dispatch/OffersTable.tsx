import { useTranslation } from 'react-i18next';
import type { JobDetail } from '../../api/dispatch-wire';
import { formatDateTime } from '../../app/format';

/** The job's offers, newest first: to whom, how, when, the outcome (and why), and 撤回 while open. */
export function OffersTable({ job, busy, onWithdraw }: { job: JobDetail; busy: boolean; onWithdraw: (offerId: string) => void }) {
  const { t, i18n } = useTranslation();
  const offers = [...job.offers].sort((a, b) => b.seq - a.seq);
  return (
    <>
      <h3>{t('dispatch.offers')}</h3>
      {offers.length === 0 ? <p className="muted">{t('dispatch.noOffers')}</p> : (
        <div className="table-wrap">
          <table className="table table--compact" data-testid="offer-table">
            <caption>{t('dispatch.offersCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dispatch.colName')}</th>
                <th scope="col">{t('dispatch.colChannel')}</th>
                <th scope="col">{t('dispatch.colSent')}</th>
                <th scope="col">{t('dispatch.colExpires')}</th>
                <th scope="col">{t('dispatch.colOutcome')}</th>
                <th scope="col">{t('dispatch.colAction')}</th>
              </tr>
            </thead>
            <tbody>
              {offers.map((o) => (
                <tr key={o.id} data-offer-id={o.id}>
                  <th scope="row">{o.candidateName}</th>
                  <td>{t(`dispatch.channel.${o.channel}`)}</td>
                  <td>{formatDateTime(o.sentAt, i18n.language)}</td>
                  <td>{formatDateTime(o.expiresAt, i18n.language)}</td>
                  <td>
                    <span className={`offer-outcome offer-outcome--${o.status}`}>{t(`dispatch.offerOutcome.${o.status}`)}</span>
                    {o.answeredVia && o.status !== 'open' && <div className="muted">{t(`dispatch.via.${o.answeredVia}`)} {formatDateTime(o.answeredAt, i18n.language)}</div>}
                    {o.withdrawReason && <div className="muted">{t(`dispatch.withdrawReason.${o.withdrawReason}`)}</div>}
                    {o.declineNote && <div className="muted">{t('dispatch.declineNote', { note: o.declineNote })}</div>}
                  </td>
                  <td>
                    {o.status === 'open' ? <button type="button" className="btn btn--small" disabled={busy} aria-label={t('dispatch.withdrawOffer', { name: o.candidateName })} onClick={() => onWithdraw(o.id)}>{t('dispatch.withdraw')}</button> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
