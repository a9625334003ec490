import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GiftRemaining } from '../../../api/timebank-wire';
import { errorText } from '../../../app/format';
import { href } from '../../../app/router';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { PageHeading } from '../../../components/PageHeading';
import { timebankApi } from '../timebank-api';
import { formatFen, saveText, toCsv } from '../timebank-format';
import { useAction, useFocusAfter } from '../timebank-ui';
import { DonorForm, GiftForm } from './DonationForms';

/** The remaining part of a gift in words: pieces and value for goods, the amount for money. */
export function RemainingText({ remaining }: { remaining: GiftRemaining }) {
  const { t, i18n } = useTranslation();
  if (remaining.kind === 'money') return <>{t('timebank.donations.remainingMoney', { amount: formatFen(remaining.remainingFen, i18n.language) })}</>;
  const pieces = remaining.items.reduce((n, i) => n + i.remaining, 0);
  return <>{t('timebank.donations.remainingOf', { quantity: pieces, value: formatFen(remaining.remainingValueFen, i18n.language) })}</>;
}

/**
 * 捐赠管理: donors, gifts with what each still holds, 登记捐赠人 / 登记捐赠, and the destination report (CSV).
 * A gift opens on its own page for allocations.
 */
export function DonationsPage() {
  const { t, i18n } = useTranslation();
  const donors = useQuery({ queryKey: ['timebank', 'donors'], queryFn: () => timebankApi.donors({ limit: 200 }) });
  const gifts = useQuery({ queryKey: ['timebank', 'gifts'], queryFn: () => timebankApi.gifts({ limit: 200 }) });
  const report = useQuery({ queryKey: ['timebank', 'donation-report'], queryFn: () => timebankApi.donationReport({}) });
  const [dialog, setDialog] = useState<'donor' | 'gift' | null>(null);
  const act = useAction();
  const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>();
  const closed = () => {
    setDialog(null);
    focusNotice();
  };
  const exportReport = () => {
    const rows = report.data?.rows ?? [];
    saveText('donation-destinations.csv', toCsv([
      [t('timebank.donations.destination'), t('timebank.donations.destName'), t('timebank.donations.pieces'), t('timebank.donations.goodsValue'), t('timebank.donations.moneyAmount')],
      ...rows.map((r) => [t(`timebank.donations.dest.${r.kind}`), r.name, r.pieces, (r.valueFen / 100).toFixed(2), (r.amountFen / 100).toFixed(2)]),
    ]));
  };
  return (
    <div>
      <PageHeading>{t('timebank.donations.title')}</PageHeading>
      <p>{t('timebank.donations.intro')}</p>
      <div className="tb-actions">
        <button type="button" className="btn" onClick={() => { act.clear(); setDialog('donor'); }}>{t('timebank.donations.addDonor')}</button>
        <button type="button" className="btn btn--primary" onClick={() => { act.clear(); setDialog('gift'); }}>{t('timebank.donations.addGift')}</button>
      </div>
      <div ref={noticeRef} tabIndex={-1} className="error-summary-host">{act.notices}</div>

      <h2>{t('timebank.donations.gifts')}</h2>
      {gifts.isPending && <Loading />}
      {gifts.isError && <ErrorNotice message={errorText(t, gifts.error)} onRetry={() => void gifts.refetch()} />}
      {gifts.data && gifts.data.items.length === 0 && <EmptyState>{t('timebank.donations.giftsEmpty')}</EmptyState>}
      {gifts.data && gifts.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.donations.giftsCaption', { count: gifts.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.donations.receivedOn')}</th>
                <th scope="col">{t('timebank.donations.donor')}</th>
                <th scope="col">{t('timebank.donations.giftKind')}</th>
                <th scope="col">{t('timebank.donations.value')}</th>
                <th scope="col">{t('timebank.donations.remaining')}</th>
              </tr>
            </thead>
            <tbody>
              {gifts.data.items.map((g) => (
                <tr key={g.id}>
                  <td><a href={href(`/timebank/donations/gifts/${g.id}`)} aria-label={t('timebank.donations.viewOf', { donor: g.donorName, day: g.receivedOn })}>{g.receivedOn}</a></td>
                  <th scope="row">{g.donorName}</th>
                  <td>{t(`timebank.donations.${g.kind}`)}{g.channel ? ` · ${t(`timebank.channel.${g.channel}`)}` : ''}</td>
                  <td>{formatFen(g.kind === 'money' ? g.amountFen ?? 0 : (g.items ?? []).reduce((v, i) => v + i.quantity * i.unitValueFen, 0), i18n.language)}</td>
                  <td><RemainingText remaining={g.remaining} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('timebank.donations.donors')}</h2>
      {donors.isError && <ErrorNotice message={errorText(t, donors.error)} onRetry={() => void donors.refetch()} />}
      {donors.data && donors.data.items.length === 0 && <EmptyState>{t('timebank.donations.donorsEmpty')}</EmptyState>}
      {donors.data && donors.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.donations.donorsCaption', { count: donors.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.donations.donorName')}</th>
                <th scope="col">{t('timebank.donations.donorKind')}</th>
                <th scope="col">{t('timebank.donations.phone')}</th>
                <th scope="col">{t('timebank.donations.contact')}</th>
                <th scope="col">{t('timebank.district')}</th>
              </tr>
            </thead>
            <tbody>
              {donors.data.items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>{t(`timebank.donations.${d.kind}`)}</td>
                  <td>{d.phoneMasked ?? '—'}</td>
                  <td>{d.contact ?? '—'}</td>
                  <td>{d.districtCode}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('timebank.donations.report')}</h2>
      {report.isError && <ErrorNotice message={errorText(t, report.error)} onRetry={() => void report.refetch()} />}
      {report.data && report.data.rows.length === 0 && <EmptyState>{t('timebank.donations.reportEmpty')}</EmptyState>}
      {report.data && report.data.rows.length > 0 && (
        <>
          <p><button type="button" className="btn" onClick={exportReport}>{t('timebank.report.exportCsv')}</button></p>
          <div className="table-wrap">
            <table className="table">
              <caption>{t('timebank.donations.reportCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('timebank.donations.destination')}</th>
                  <th scope="col">{t('timebank.donations.destName')}</th>
                  <th scope="col" className="tb-num">{t('timebank.donations.pieces')}</th>
                  <th scope="col" className="tb-num">{t('timebank.donations.goodsValue')}</th>
                  <th scope="col" className="tb-num">{t('timebank.donations.moneyAmount')}</th>
                </tr>
              </thead>
              <tbody>
                {report.data.rows.map((r) => (
                  <tr key={`${r.kind}:${r.id}`}>
                    <td>{t(`timebank.donations.dest.${r.kind}`)}</td>
                    <th scope="row">{r.name}</th>
                    <td className="tb-num">{r.pieces}</td>
                    <td className="tb-num">{formatFen(r.valueFen, i18n.language)}</td>
                    <td className="tb-num">{formatFen(r.amountFen, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Dialog open={dialog === 'donor'} title={t('timebank.donations.addDonor')} onClose={() => setDialog(null)}>
        {dialog === 'donor' && <DonorForm act={act} onDone={closed} />}
      </Dialog>
      <Dialog open={dialog === 'gift'} title={t('timebank.donations.addGift')} onClose={() => setDialog(null)}>
        {dialog === 'gift' && <GiftForm act={act} donors={donors.data?.items ?? []} onDone={closed} />}
      </Dialog>
    </div>
  );
}
