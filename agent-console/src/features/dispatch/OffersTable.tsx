import { useTranslation } from 'react-i18next';
import type { JobDetail } from '../../api/dispatch-wire';
import type { CandidateAction } from './CandidateTables';
import { formatDateTime } from '../../app/format';

/**
 * The job's offers, newest first: to whom, how, when, the outcome (and why). While an offer is open: 撤回,
 * 电话联系 (call about it), and the answer given on the phone (电话接单 / 电话谢绝), recorded as an SMS reply would be.
 */
export function OffersTable({ job, busy, onAction }: { job: JobDetail; busy: boolean; onAction: (a: CandidateAction) => void }) {
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
                    {o.status === 'open' ? (
                      <div className="button-row">
                        <button type="button" className="btn btn--small" disabled={busy} aria-label={t('dispatch.withdrawOffer', { name: o.candidateName })} onClick={() => onAction({ type: 'withdraw', offerId: o.id })}>{t('dispatch.withdraw')}</button>
                        <button type="button" className="btn btn--small" disabled={busy} aria-label={t('dispatch.callCandidateFor', { name: o.candidateName })} onClick={() => onAction({ type: 'call', candidateId: o.candidateId, name: o.candidateName })}>{t('dispatch.callCandidate')}</button>
                        <button type="button" className="btn btn--small btn--primary" disabled={busy} aria-label={t('dispatch.phoneAcceptedFor', { name: o.candidateName })} onClick={() => onAction({ type: 'voice-answer', offerId: o.id, name: o.candidateName, answer: 'accepted' })}>{t('dispatch.phoneAccepted')}</button>
                        <button type="button" className="btn btn--small" disabled={busy} aria-label={t('dispatch.phoneDeclinedFor', { name: o.candidateName })} onClick={() => onAction({ type: 'voice-answer', offerId: o.id, name: o.candidateName, answer: 'declined' })}>{t('dispatch.phoneDeclined')}</button>
                      </div>
                    ) : '—'}
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
