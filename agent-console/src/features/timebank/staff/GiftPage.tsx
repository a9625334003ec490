import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AllocationDestinationKind, AllocationView, GiftDetail } from '../../../api/timebank-wire';
import type { PersonSummary } from '../../../api/wire';
import { errorText, formatDateTime } from '../../../app/format';
import { href } from '../../../app/router';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { RadioGroup, SelectField, TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { timebankApi } from '../timebank-api';
import { fenFromYuan, formatFen } from '../timebank-format';
import { PersonPicker, useAction, useDialogFocus, useFocusAfter } from '../timebank-ui';
import { RemainingText } from './DonationsPage';

type Act = ReturnType<typeof useAction>;

/**
 * One gift: what it held, what each item (or the money) still holds, its allocations (with 退回), and 分配
 * to a person, an activity or the shop's stock. An allocation beyond the remaining part is refused by the
 * server (`donation/over-allocation`) and said in words; the remaining figures stay on screen beside the form.
 */
export function GiftPage({ giftId }: { giftId: string }) {
  const { t, i18n } = useTranslation();
  const detail = useQuery({ queryKey: ['timebank', 'gift', giftId], queryFn: () => timebankApi.gift(giftId) });
  const act = useAction();
  const [returning, setReturning] = useState<AllocationView | null>(null);
  const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>();
  if (detail.isPending) return <Loading />;
  if (detail.isError) return <><PageHeading>{t('timebank.donations.title')}</PageHeading><ErrorNotice message={errorText(t, detail.error)} onRetry={() => void detail.refetch()} /></>;
  const { gift, remaining, allocations } = detail.data;
  const itemName = (id: string | null) => gift.items?.find((i) => i.itemId === id)?.name ?? '';
  const describe = (a: AllocationView) => `${t(`timebank.donations.dest.${a.destination.kind}`)} ${a.destination.name}`;
  return (
    <div>
      <p><a href={href('/timebank/donations')}>{t('timebank.donations.back')}</a></p>
      <PageHeading>{t('timebank.donations.giftTitle', { donor: gift.donorName, day: gift.receivedOn })}</PageHeading>
      <p data-testid="tb-gift-remaining"><strong>{t('timebank.donations.remaining')}</strong>：<RemainingText remaining={remaining} /></p>
      {remaining.kind === 'goods' && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.donations.itemsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.donations.itemName')}</th>
                <th scope="col" className="tb-num">{t('timebank.donations.quantity')}</th>
                <th scope="col" className="tb-num">{t('timebank.donations.allocations')}</th>
                <th scope="col" className="tb-num">{t('timebank.donations.remaining')}</th>
                <th scope="col" className="tb-num">{t('timebank.donations.value')}</th>
              </tr>
            </thead>
            <tbody>
              {remaining.items.map((i) => (
                <tr key={i.itemId}>
                  <th scope="row">{i.name}</th>
                  <td className="tb-num">{i.received}</td>
                  <td className="tb-num">{i.allocated}</td>
                  <td className="tb-num">{i.remaining}</td>
                  <td className="tb-num">{formatFen(i.remainingValueFen, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {remaining.kind === 'money' && (
        <dl className="tb-figures">
          <div><dt>{t('timebank.donations.amount')}</dt><dd>{formatFen(remaining.receivedFen, i18n.language)}</dd></div>
          <div><dt>{t('timebank.donations.allocations')}</dt><dd>{formatFen(remaining.allocatedFen, i18n.language)}</dd></div>
          <div><dt>{t('timebank.donations.remaining')}</dt><dd>{formatFen(remaining.remainingFen, i18n.language)}</dd></div>
        </dl>
      )}
      <div ref={noticeRef} tabIndex={-1} className="error-summary-host">{act.notices}</div>
      <AllocateForm detail={detail.data} act={act} />
      <h2>{t('timebank.donations.allocations')}</h2>
      {allocations.length === 0 ? <EmptyState>{t('timebank.donations.allocationsEmpty')}</EmptyState> : (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.donations.allocationsCaption', { count: allocations.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.shop.when')}</th>
                <th scope="col">{t('timebank.donations.destination')}</th>
                <th scope="col">{t('timebank.donations.item')}</th>
                <th scope="col" className="tb-num">{gift.kind === 'money' ? t('timebank.donations.amount') : t('timebank.donations.quantity')}</th>
                <th scope="col">{t('timebank.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {allocations.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.at, i18n.language)}</td>
                  <th scope="row">{describe(a)}{a.returnsAllocationId ? ` · ${t('timebank.donations.returnAllocation')}` : ''}</th>
                  <td>{itemName(a.itemId) || '—'}</td>
                  <td className="tb-num">{a.amountFen !== null ? formatFen(a.amountFen, i18n.language) : a.quantity}</td>
                  <td>
                    {!a.returnsAllocationId && (a.quantity ?? a.amountFen ?? 0) > 0 && (
                      <button type="button" className="btn btn--small" aria-label={t('timebank.donations.returnOf', { what: describe(a) })} onClick={() => { act.clear(); setReturning(a); }}>{t('timebank.donations.returnAllocation')}</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={returning !== null} title={t('timebank.donations.returnTitle')} onClose={() => setReturning(null)}>
        {returning && <ReturnForm giftId={gift.id} money={gift.kind === 'money'} allocation={returning} act={act} onDone={() => { setReturning(null); focusNotice(); }} />}
      </Dialog>
    </div>
  );
}

/** 分配: where to (person, activity, shop stock), which item and how many — or how much money. */
function AllocateForm({ detail, act }: { detail: GiftDetail; act: Act }) {
  const { t } = useTranslation();
  const goods = detail.gift.kind === 'goods';
  const [kind, setKind] = useState<AllocationDestinationKind>('person');
  const [person, setPerson] = useState<PersonSummary | null>(null);
  const [targetId, setTargetId] = useState('');
  const [itemId, setItemId] = useState(detail.gift.items?.[0]?.itemId ?? '');
  const [amount, setAmount] = useState('');
  const activities = useQuery({ queryKey: ['timebank', 'activities', 'pick'], queryFn: () => timebankApi.activities({ limit: 200 }), enabled: kind === 'activity' });
  const shop = useQuery({ queryKey: ['timebank', 'shop', 'pick'], queryFn: () => timebankApi.shopItems(true), enabled: kind === 'shop_stock' });
  const labels = { quantity: t('timebank.donations.quantity'), amountFen: t('timebank.donations.amount'), destination: t('timebank.donations.destination'), itemId: t('timebank.donations.item') };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const id = kind === 'person' ? person?.id ?? '' : targetId;
    const value = goods ? { itemId, quantity: Number(amount) } : { amountFen: fenFromYuan(amount) ?? -1 };
    const done = await act.run(() => timebankApi.allocate(detail.gift.id, { destination: { kind, id }, ...value }), () => t('timebank.donations.allocated'), labels);
    if (done) setAmount('');
  };
  return (
    <section className="panel" aria-labelledby="tb-allocate-heading">
      <h2 id="tb-allocate-heading">{t('timebank.donations.allocateTitle')}</h2>
      <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
        <RadioGroup legend={t('timebank.donations.destination')} name="tb-dest-kind" value={kind} required
          options={(['person', 'activity', 'shop_stock'] as const).filter((k) => goods || k !== 'shop_stock').map((k) => ({ value: k, label: t(`timebank.donations.dest.${k}`) }))}
          onChange={(k) => { setKind(k); setTargetId(''); }} />
        {kind === 'person' && <PersonPicker label={t('timebank.donations.dest.person')} picked={person} onPick={setPerson} />}
        {kind === 'activity' && (
          <SelectField label={t('timebank.donations.dest.activity')} required value={targetId} onChange={(e) => setTargetId(e.target.value)}>
            <option value="">—</option>
            {activities.data?.items.map((a) => <option key={a.id} value={a.id}>{a.title}</option>)}
          </SelectField>
        )}
        {kind === 'shop_stock' && (
          <SelectField label={t('timebank.donations.dest.shop_stock')} required value={targetId} onChange={(e) => setTargetId(e.target.value)}>
            <option value="">—</option>
            {shop.data?.filter((i) => i.kind === 'goods').map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
          </SelectField>
        )}
        {goods && (
          <SelectField label={labels.itemId} required value={itemId} onChange={(e) => setItemId(e.target.value)}>
            {detail.remaining.kind === 'goods' && detail.remaining.items.map((i) => <option key={i.itemId} value={i.itemId}>{i.name}（{t('timebank.donations.remaining')} {i.remaining}）</option>)}
          </SelectField>
        )}
        <TextField label={goods ? labels.quantity : labels.amountFen} required inputMode={goods ? 'numeric' : 'decimal'} value={amount} error={act.fields[goods ? 'quantity' : 'amountFen']} onChange={(e) => setAmount(e.target.value)} />
        <p><button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.donations.allocate')}</button></p>
      </form>
    </section>
  );
}

function ReturnForm({ giftId, money, allocation, act, onDone }: { giftId: string; money: boolean; allocation: AllocationView; act: Act; onDone: () => void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState(money ? String((allocation.amountFen ?? 0) / 100) : String(allocation.quantity ?? ''));
  const first = useDialogFocus<HTMLInputElement>();
  const label = money ? t('timebank.donations.amount') : t('timebank.donations.quantity');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = money ? { amountFen: fenFromYuan(amount) ?? -1 } : { quantity: Number(amount) };
    if (await act.run(() => timebankApi.returnAllocation(giftId, allocation.id, body), () => t('timebank.donations.returned'), { quantity: label, amountFen: label })) onDone();
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      {act.error && <ErrorNotice message={act.error} />}
      <TextField label={label} required inputMode="decimal" value={amount} error={act.fields[money ? 'amountFen' : 'quantity']} onChange={(e) => setAmount(e.target.value)} ref={first} />
      <div className="dialog__actions"><button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.donations.returnAllocation')}</button></div>
    </form>
  );
}
