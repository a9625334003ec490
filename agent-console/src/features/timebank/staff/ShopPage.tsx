import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ShopItem, VolunteerAccountSummary } from '../../../api/timebank-wire';
import type { PersonSummary } from '../../../api/wire';
import { errorText } from '../../../app/format';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { timebankApi } from '../timebank-api';
import { formatCoins } from '../timebank-format';
import { Coins, newKey, PersonPicker, useAction, useFocusAfter, useHasRole, VolunteerPicker } from '../timebank-ui';
import { RedemptionsPanel } from './RedemptionsPanel';
import { ItemForm, StockForm } from './ShopItemForms';

/**
 * 积分商城: goods (stock) and services with their coin price; 兑换 for a volunteer (opened from their account
 * with `?volunteer=`, or found here); supervisors add items, add stock and withdraw them. Below, the
 * redemptions with 取消并退币.
 */
export function ShopPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const forVolunteer = params.get('volunteer');
  const supervisor = useHasRole('supervisor');
  const items = useQuery({ queryKey: ['timebank', 'shop', supervisor], queryFn: () => timebankApi.shopItems(supervisor) });
  const preset = useQuery({ queryKey: ['timebank', 'brief', forVolunteer], queryFn: () => timebankApi.volunteerBrief(forVolunteer!), enabled: Boolean(forVolunteer) });
  const [redeeming, setRedeeming] = useState<ShopItem | null>(null);
  const [adding, setAdding] = useState(false);
  const [stocking, setStocking] = useState<ShopItem | null>(null);
  const act = useAction();
  const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>();
  const setActive = async (item: ShopItem, active: boolean) => {
    await act.run(() => timebankApi.updateItem(item.id, { active }), () => t('timebank.shop.updated', { name: item.name }));
    focusNotice();
  };
  return (
    <div>
      <PageHeading>{t('timebank.shop.title')}</PageHeading>
      <p>{t('timebank.shop.intro')}</p>
      {supervisor && <p><button type="button" className="btn" onClick={() => { act.clear(); setAdding(true); }}>{t('timebank.shop.add')}</button></p>}
      <div ref={noticeRef} tabIndex={-1} className="error-summary-host">{act.notices}</div>
      {items.isPending && <Loading />}
      {items.isError && <ErrorNotice message={errorText(t, items.error)} onRetry={() => void items.refetch()} />}
      {items.data && items.data.length === 0 && <EmptyState>{t('timebank.shop.empty')}</EmptyState>}
      {items.data && items.data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.shop.caption', { count: items.data.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.shop.name')}</th>
                <th scope="col">{t('timebank.shop.kind')}</th>
                <th scope="col" className="tb-num">{t('timebank.shop.price')}</th>
                <th scope="col" className="tb-num">{t('timebank.shop.stock')}</th>
                <th scope="col">{t('timebank.status')}</th>
                <th scope="col">{t('timebank.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.data.map((item) => (
                <tr key={item.id}>
                  <th scope="row">{item.name}{item.description ? <div className="field__hint">{item.description}</div> : null}</th>
                  <td>{t(`timebank.shop.${item.kind}`)}{item.serviceType ? ` · ${t(`serviceType.${item.serviceType}`, { defaultValue: item.serviceType })}` : ''}</td>
                  <td className="tb-num"><Coins units={item.priceUnits} /></td>
                  <td className="tb-num">{item.stock ?? t('timebank.shop.noStock')}</td>
                  <td>{item.active ? t('timebank.shop.active') : t('timebank.shop.inactive')}</td>
                  <td>
                    <span className="tb-actions">
                      {item.active && (
                        <button type="button" className="btn btn--small btn--primary" aria-label={t('timebank.shop.redeemOf', { name: item.name })} onClick={() => { act.clear(); setRedeeming(item); }}>{t('timebank.shop.redeem')}</button>
                      )}
                      {supervisor && item.kind === 'goods' && (
                        <button type="button" className="btn btn--small" aria-label={t('timebank.shop.addStockOf', { name: item.name })} onClick={() => { act.clear(); setStocking(item); }}>{t('timebank.shop.addStock')}</button>
                      )}
                      {supervisor && (
                        <button type="button" className="btn btn--small" disabled={act.busy} aria-label={t(item.active ? 'timebank.shop.withdrawOf' : 'timebank.shop.restoreOf', { name: item.name })} onClick={() => void setActive(item, !item.active)}>
                          {item.active ? t('timebank.shop.withdraw') : t('timebank.shop.restore')}
                        </button>
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RedemptionsPanel volunteerId={forVolunteer} />
      <Dialog open={redeeming !== null} title={redeeming ? t('timebank.shop.redeemTitle', { name: redeeming.name }) : ''} onClose={() => setRedeeming(null)}>
        {redeeming && <RedeemForm item={redeeming} act={act} preset={preset.data ?? null} onDone={() => { setRedeeming(null); focusNotice(); }} />}
      </Dialog>
      <Dialog open={adding} title={t('timebank.shop.addTitle')} onClose={() => setAdding(false)}>
        {adding && <ItemForm act={act} onDone={() => { setAdding(false); focusNotice(); }} />}
      </Dialog>
      <Dialog open={stocking !== null} title={stocking ? t('timebank.shop.addStockOf', { name: stocking.name }) : ''} onClose={() => setStocking(null)}>
        {stocking && <StockForm item={stocking} act={act} onDone={() => { setStocking(null); focusNotice(); }} />}
      </Dialog>
    </div>
  );
}

/**
 * Redeem one item for a volunteer: who (preset or found), how many (goods), for whom (services: a person in
 * the register), the total; one idempotency key per dialog, so a double submit redeems once.
 */
function RedeemForm({ item, act, preset, onDone }: { item: ShopItem; act: ReturnType<typeof useAction>; preset: VolunteerAccountSummary | null; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [picked, setPicked] = useState<VolunteerAccountSummary | null>(preset);
  const [quantity, setQuantity] = useState('1');
  const [recipient, setRecipient] = useState<PersonSummary | null>(null);
  const key = useRef(newKey());
  const qty = item.kind === 'goods' ? Math.max(1, Math.floor(Number(quantity)) || 1) : 1;
  const labels = { quantity: t('timebank.shop.quantity'), recipientPersonId: t('timebank.shop.recipient'), volunteerId: t('timebank.shop.forVolunteer') };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!picked || (item.kind === 'service' && !recipient)) {
      act.setError(t(picked ? 'timebank.shop.pickRecipient' : 'timebank.activities.pickVolunteer'));
      return;
    }
    const done = await act.run(() => timebankApi.redeem({
      volunteerId: picked.volunteerId, itemId: item.id, idempotencyKey: key.current,
      ...(item.kind === 'goods' ? { quantity: qty } : { recipientPersonId: recipient!.id }),
    }), (r) => r.ticketNumber
      ? t('timebank.shop.redeemedService', { name: picked.name, item: r.itemName, coins: formatCoins(r.units, i18n.language), ticket: r.ticketNumber })
      : t('timebank.shop.redeemed', { name: picked.name, item: r.itemName, coins: formatCoins(r.units, i18n.language) }), labels);
    if (done) onDone();
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      {act.error && <ErrorNotice message={act.error} />}
      {preset && picked?.volunteerId === preset.volunteerId
        ? <p><strong>{t('timebank.shop.forVolunteer')}</strong>：{t('timebank.shop.volunteerBrief', { name: preset.name, coins: formatCoins(preset.balanceUnits, i18n.language) })}</p>
        : <VolunteerPicker label={t('timebank.shop.forVolunteer')} picked={picked} onPick={setPicked} />}
      {item.kind === 'goods'
        ? <TextField label={labels.quantity} inputMode="numeric" value={quantity} error={act.fields.quantity} onChange={(e) => setQuantity(e.target.value)} hint={item.stock !== null ? t('timebank.portal.inStock', { stock: item.stock }) : undefined} />
        : <><p className="field__hint">{t('timebank.shop.recipientHint')}</p><PersonPicker label={labels.recipientPersonId} picked={recipient} onPick={setRecipient} /></>}
      <p aria-live="polite">{t('timebank.shop.total', { coins: formatCoins(item.priceUnits * qty, i18n.language) })}</p>
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.shop.redeem')}</button>
      </div>
    </form>
  );
}
