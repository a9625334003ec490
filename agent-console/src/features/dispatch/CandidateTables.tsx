import { useTranslation } from 'react-i18next';
import type { CandidateList, CandidateRef, JobDetail } from '../../api/dispatch-wire';
import { EmptyState } from '../../components/Feedback';

export type CandidateAction =
  | { type: 'offer' | 'assign' | 'call'; candidateId: string; name: string }
  | { type: 'withdraw'; offerId: string }
  | { type: 'voice-answer'; offerId: string; name: string; answer: 'accepted' | 'declined' };

/**
 * The ranked candidates with every part of their score, and the excluded people with every reason. Each
 * ranked row offers 邀约 / 直接指派, or 撤回 while an offer to that person is open, and 电话联系 (a voice offer
 * through the dispatcher's softphone) while the job is looking for someone.
 */
export function CandidateTables({ list, job, busy, onAction }: { list: CandidateList; job: JobDetail; busy: boolean; onAction: (a: CandidateAction) => void }) {
  const { t } = useTranslation();
  const who = (c: CandidateRef) => `${c.name}${c.providerName ? `（${c.providerName}）` : ''}`;
  const kind = (c: CandidateRef) => t(`dispatch.kind.${c.providerName ? 'field_worker' : c.kind}`);
  return (
    <>
      <h3>{t('dispatch.candidates')} <span className="muted">· {t('dispatch.searched', { count: list.searched })}</span></h3>
      {list.ranked.length === 0 ? <EmptyState>{t('dispatch.noCandidates')}</EmptyState> : (
        <div className="table-wrap">
          <table className="table table--compact" data-testid="candidate-table">
            <caption>{t('dispatch.candidatesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dispatch.colRank')}</th>
                <th scope="col">{t('dispatch.colName')}</th>
                <th scope="col">{t('dispatch.colScore')}</th>
                <th scope="col">{t('dispatch.colParts')}</th>
                <th scope="col">{t('dispatch.colOffer')}</th>
              </tr>
            </thead>
            <tbody>
              {list.ranked.map((c, i) => {
                const open = job.offers.find((o) => o.candidateId === c.candidateId && o.status === 'open');
                return (
                  <tr key={c.candidateId} data-candidate-id={c.candidateId}>
                    <td>{i + 1}</td>
                    <th scope="row">{who(c)}<div className="muted">{kind(c)} · {t('dispatch.distanceKm', { km: c.distanceKm.toFixed(1) })}</div></th>
                    <td><span className="score-total">{c.total.toFixed(1)}</span></td>
                    <td>
                      <ul className="score-parts">
                        {c.parts.map((p) => <li key={p.part}>{t('dispatch.partLine', { part: t(`dispatch.part.${p.part}`), points: p.points.toFixed(1), max: p.max, basis: p.basis })}</li>)}
                      </ul>
                    </td>
                    <td>
                      <div className="button-row">
                        {open ? (
                          <button type="button" className="btn btn--small" disabled={busy} aria-label={t('dispatch.withdrawOffer', { name: c.name })} onClick={() => onAction({ type: 'withdraw', offerId: open.id })}>{t('dispatch.withdraw')}</button>
                        ) : (
                          <button type="button" className="btn btn--small btn--primary" disabled={busy} aria-label={t('dispatch.offerTo', { name: c.name })} onClick={() => onAction({ type: 'offer', candidateId: c.candidateId, name: c.name })}>{t('dispatch.offer')}</button>
                        )}
                        <button type="button" className="btn btn--small" disabled={busy} aria-label={t('dispatch.assignTo', { name: c.name })} onClick={() => onAction({ type: 'assign', candidateId: c.candidateId, name: c.name })}>{t('dispatch.assign')}</button>
                        <button type="button" className="btn btn--small" disabled={busy} aria-label={t('dispatch.callCandidateFor', { name: c.name })} onClick={() => onAction({ type: 'call', candidateId: c.candidateId, name: c.name })}>{t('dispatch.callCandidate')}</button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('dispatch.excluded')}</h3>
      {list.excluded.length === 0 ? <p className="muted">{t('dispatch.noExcluded')}</p> : (
        <div className="table-wrap">
          <table className="table table--compact" data-testid="excluded-table">
            <caption>{t('dispatch.excludedCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dispatch.colName')}</th>
                <th scope="col">{t('dispatch.colDistance')}</th>
                <th scope="col">{t('dispatch.colReasons')}</th>
              </tr>
            </thead>
            <tbody>
              {list.excluded.map((c) => (
                <tr key={c.candidateId}>
                  <th scope="row">{who(c)}<div className="muted">{kind(c)}</div></th>
                  <td>{t('dispatch.distanceKm', { km: c.distanceKm.toFixed(1) })}</td>
                  <td>
                    <ul className="reasons">
                      {c.reasons.map((r, j) => <li key={j}><strong>{t(`dispatch.rule.${r.rule}`)}</strong>：{r.message}</li>)}
                    </ul>
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
