import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/http';
import type { ShopItem } from '../../../api/timebank-wire';
import { errorText } from '../../../app/format';
import { queryClient } from '../../../app/query';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../../../components/Feedback';
import { PageHeading } from '../../../components/PageHeading';
import { announce } from '../../../state/announcer';
import { recentYears, StatementTable, YearSelect, YearSummaryFigures } from '../StatementView';
import { formatCoins } from '../timebank-format';
import { Coins, newKey, useDialogFocus, useFocusAfter } from '../timebank-ui';
import { portalApi, portalSession } from './public-api';

/** One exchange per code, even if the page mounts twice. */
const exchanges = new Map<string, Promise<unknown>>();

/**
 * 我的时间币: the volunteer's own balance, goods they can redeem (a confirmation first, one idempotency key
 * per confirmation), and their statement by year. Opened from the one-time link (`#/volunteer/link/<code>`:
 * exchanged for a session, then the address loses the code) or, in the same tab, `#/volunteer`.
 */
export function PortalPage({ linkCode }: { linkCode: string | null }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'opening' | 'ready' | 'invalid' | 'none' | 'out'>(linkCode ? 'opening' : portalSession.get() ? 'ready' : 'none');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!linkCode) return;
    let cancelled = false;
    const exchange = exchanges.get(linkCode) ?? portalApi.exchange(linkCode).then((s) => portalSession.set(s.token));
    exchanges.set(linkCode, exchange);
    exchange.then(
      () => {
        if (cancelled) return;
        window.location.replace('#/volunteer');
        setState('ready');
      },
      (err) => {
        if (cancelled) return;
        if (err instanceof ApiError && err.code === 'timebank/link-invalid') setState('invalid');
        else {
          setError(errorText(t, err));
          setState('none');
        }
      },
    );
    return () => void (cancelled = true);
  }, [linkCode]);

  if (state === 'opening') return <Loading label={t('timebank.portal.opening')} />;
  if (state === 'ready') return <Portal onSignedOut={() => setState('out')} />;
  return (
    <>
      <PageHeading>{t('timebank.portal.title')}</PageHeading>
      {error && <ErrorNotice message={error} />}
      {state === 'out' ? <SuccessNotice>{t('timebank.portal.loggedOut')}</SuccessNotice>
        : <p className="notice notice--warn" role="alert">{state === 'invalid' ? t('timebank.portal.linkInvalid') : t('timebank.portal.noSession')}</p>}
    </>
  );
}

function Portal({ onSignedOut }: { onSignedOut: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useQuery({ queryKey: ['portal', 'me'], queryFn: portalApi.me, retry: false });
  const [year, setYear] = useState(() => recentYears()[0]!);
  const statement = useQuery({ queryKey: ['portal', 'statement', year], queryFn: () => portalApi.statement(year), retry: false });
  const shop = useQuery({ queryKey: ['portal', 'shop'], queryFn: portalApi.shop, retry: false });
  const [confirming, setConfirming] = useState<ShopItem | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [messageRef, focusMessage] = useFocusAfter<HTMLDivElement>();
  const key = useRef(newKey());
  const expired = [me.error, statement.error, shop.error].some((e) => e instanceof ApiError && e.status === 401);
  useEffect(() => {
    if (expired) {
      portalSession.clear();
      onSignedOut();
    }
  }, [expired]);

  const redeem = async (item: ShopItem) => {
    setBusy(true);
    try {
      const r = await portalApi.redeem(item.id, 1, key.current);
      const text = t('timebank.portal.redeemed', { name: r.itemName, coins: formatCoins(r.units, i18n.language) });
      setMessage({ ok: true, text });
      announce(text);
      key.current = newKey();
      void queryClient.invalidateQueries({ queryKey: ['portal'] });
    } catch (err) {
      const text = errorText(t, err);
      setMessage({ ok: false, text });
      announce(text, 'assertive');
    } finally {
      setBusy(false);
      setConfirming(null);
      focusMessage();
    }
  };
  const logout = async () => {
    await portalApi.logout().catch(() => undefined);
    portalSession.clear();
    queryClient.removeQueries({ queryKey: ['portal'] });
    onSignedOut();
  };

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorNotice message={errorText(t, me.error)} onRetry={() => void me.refetch()} />;
  return (
    <>
      <PageHeading>{t('timebank.portal.hello', { name: me.data.name })}</PageHeading>
      <p className="vol__balance" data-testid="portal-balance">{t('timebank.portal.balance')}：<Coins units={me.data.balanceUnits} /></p>
      <p><button type="button" className="btn btn--ghost" onClick={() => void logout()}>{t('timebank.portal.logout')}</button></p>
      <div ref={messageRef} tabIndex={-1} className="error-summary-host">
        {message && (message.ok ? <SuccessNotice>{message.text}</SuccessNotice> : <ErrorNotice message={message.text} />)}
      </div>
      <section aria-labelledby="portal-shop-heading">
        <h2 id="portal-shop-heading">{t('timebank.portal.shop')}</h2>
        <p>{t('timebank.portal.serviceNote')}</p>
        {shop.isPending && <Loading />}
        {shop.isError && <ErrorNotice message={errorText(t, shop.error)} onRetry={() => void shop.refetch()} />}
        {shop.data && shop.data.filter((i) => i.kind === 'goods').length === 0 && <EmptyState>{t('timebank.portal.shopEmpty')}</EmptyState>}
        <ul className="vol__items" aria-label={t('timebank.portal.shopCaption')}>
          {shop.data?.filter((i) => i.kind === 'goods').map((item) => (
            <li key={item.id}>
              <h3>{item.name}</h3>
              {item.description && <p>{item.description}</p>}
              <p><Coins units={item.priceUnits} /> · {item.stock === 0 ? t('timebank.portal.soldOut') : t('timebank.portal.inStock', { stock: item.stock ?? 0 })}</p>
              <button type="button" className="btn btn--primary" disabled={busy || item.stock === 0}
                aria-label={t('timebank.portal.redeemOf', { name: item.name, coins: formatCoins(item.priceUnits, i18n.language) })} onClick={() => setConfirming(item)}>
                {t('timebank.portal.redeem')}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="portal-statement-heading">
        <h2 id="portal-statement-heading">{t('timebank.portal.statement')}</h2>
        <YearSelect id="portal-year" value={year} onChange={setYear} />
        {statement.isPending && <Loading />}
        {statement.isError && <ErrorNotice message={errorText(t, statement.error)} onRetry={() => void statement.refetch()} />}
        {statement.data && <><YearSummaryFigures statement={statement.data} /><StatementTable statement={statement.data} /></>}
      </section>
      <Dialog open={confirming !== null} title={t('timebank.portal.confirmTitle')} onClose={() => setConfirming(null)}>
        {confirming && <ConfirmRedeem item={confirming} busy={busy} onConfirm={() => void redeem(confirming)} onCancel={() => setConfirming(null)} />}
      </Dialog>
    </>
  );
}

/** The confirmation in the dialog, with the focus on 确认兑换. */
function ConfirmRedeem({ item, busy, onConfirm, onCancel }: { item: ShopItem; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const confirmRef = useDialogFocus<HTMLButtonElement>();
  return (
    <>
      <p>{t('timebank.portal.confirmText', { name: item.name, coins: formatCoins(item.priceUnits, i18n.language) })}</p>
      <div className="dialog__actions">
        <button ref={confirmRef} type="button" className="btn btn--primary" disabled={busy} onClick={onConfirm}>{t('timebank.portal.confirm')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('timebank.cancel')}</button>
      </div>
    </>
  );
}
