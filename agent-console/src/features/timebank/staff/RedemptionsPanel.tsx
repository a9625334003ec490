import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Redemption } from '../../../api/timebank-wire';
import { errorText, formatDateTime } from '../../../app/format';
import { href } from '../../../app/router';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { TextAreaField } from '../../../components/Field';
import { timebankApi } from '../timebank-api';
import { formatCoins } from '../timebank-format';
import { Coins, useAction, useDialogFocus, useFocusAfter, useVolunteerNames } from '../timebank-ui';

/** The latest redemptions (of one volunteer when given), with 取消并退币 on those still placed. */
export function RedemptionsPanel({ volunteerId }: { volunteerId: string | null }) {
  const { t, i18n } = useTranslation();
  const list = useQuery({ queryKey: ['timebank', 'redemptions', volunteerId], queryFn: () => timebankApi.redemptions({ volunteerId: volunteerId ?? undefined, limit: 50 }) });
  const [cancelling, setCancelling] = useState<Redemption | null>(null);
  const nameOf = useVolunteerNames(list.data?.items.map((r) => r.volunteerId) ?? []);
  const act = useAction();
  const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>();
  return (
    <section aria-labelledby="tb-redemptions-heading">
      <h2 id="tb-redemptions-heading">{t('timebank.shop.redemptions')}</h2>
      <div ref={noticeRef} tabIndex={-1} className="error-summary-host">{act.notices}</div>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('timebank.shop.redemptionsEmpty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.shop.redemptionsCaption', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.shop.when')}</th>
                <th scope="col">{t('timebank.shop.item')}</th>
                <th scope="col">{t('timebank.shop.who')}</th>
                <th scope="col" className="tb-num">{t('timebank.shop.quantity')}</th>
                <th scope="col" className="tb-num">{t('timebank.statement.amount')}</th>
                <th scope="col">{t('timebank.status')}</th>
                <th scope="col">{t('timebank.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={r.id}>
                  <td>{formatDateTime(r.placedAt, i18n.language)}</td>
                  <th scope="row">{r.itemName}{r.ticketId ? <> · <a href={href(`/tickets/${r.ticketId}`)}>{r.ticketNumber}</a></> : null}</th>
                  <td><a href={href(`/timebank/volunteers/${r.volunteerId}`)}>{nameOf(r.volunteerId)}</a></td>
                  <td className="tb-num">{r.quantity}</td>
                  <td className="tb-num"><Coins units={r.units} /></td>
                  <td>{t(`timebank.shop.${r.status}`)}{r.cancelReason ? `：${r.cancelReason}` : ''}</td>
                  <td>
                    {r.status === 'placed' && (
                      <button type="button" className="btn btn--small" aria-label={t('timebank.shop.cancelOf', { item: r.itemName, when: formatDateTime(r.placedAt, i18n.language) })} onClick={() => { act.clear(); setCancelling(r); }}>
                        {t('timebank.shop.cancelRedemption')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={cancelling !== null} title={t('timebank.shop.cancelTitle')} onClose={() => setCancelling(null)}>
        {cancelling && <CancelForm redemption={cancelling} act={act} onDone={() => { setCancelling(null); focusNotice(); }} />}
      </Dialog>
    </section>
  );
}

function CancelForm({ redemption, act, onDone }: { redemption: Redemption; act: ReturnType<typeof useAction>; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [reason, setReason] = useState('');
  const first = useDialogFocus<HTMLTextAreaElement>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await act.run(() => timebankApi.cancelRedemption(redemption.id, reason.trim()), (r) => t('timebank.shop.cancelledDone', { item: r.itemName, coins: formatCoins(r.units, i18n.language) }), { reason: t('timebank.shop.cancelReason') });
    if (done) onDone();
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      <p>{redemption.itemName} · <Coins units={redemption.units} /></p>
      {act.error && <ErrorNotice message={act.error} />}
      <TextAreaField label={t('timebank.shop.cancelReason')} required rows={3} value={reason} error={act.fields.reason} onChange={(e) => setReason(e.target.value)} ref={first} />
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.shop.cancelRedemption')}</button>
      </div>
    </form>
  );
}
