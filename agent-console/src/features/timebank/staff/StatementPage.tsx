import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatementLine } from '../../../api/timebank-wire';
import { errorText, formatDateTime } from '../../../app/format';
import { href } from '../../../app/router';
import { Dialog } from '../../../components/Dialog';
import { ErrorNotice, Loading } from '../../../components/Feedback';
import { TextAreaField, TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { Pager } from '../../../components/Pager';
import { recentYears, StatementTable, YearSelect, YearSummaryFigures } from '../StatementView';
import { timebankApi } from '../timebank-api';
import { formatCoins, unitsFromCoins } from '../timebank-format';
import { Coins, newKey, useAction, useDialogFocus, useFocusAfter, useHasRole } from '../timebank-ui';
import { TransferForm } from './TransferForm';
import { VolunteerProfile } from './VolunteerProfile';

const PAGE = 50;

/**
 * A volunteer's time-bank account: balance, the year summary, the statement lines (newest first, paged),
 * and what staff do from here — the volunteer's one-time link, a gift to the mutual-aid pool, a transfer to a
 * direct relative, a redemption
 * in the shop, an adjustment or a reversal request (maker-checker), and the profile below.
 */
export function StatementPage({ volunteerId }: { volunteerId: string }) {
  const { t, i18n } = useTranslation();
  const [year, setYear] = useState(() => recentYears()[0]!);
  const [page, setPage] = useState(0);
  const [reversing, setReversing] = useState<StatementLine | null>(null);
  const [transferring, setTransferring] = useState(false);
  const transferAct = useAction();
  const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>();
  const supervisor = useHasRole('supervisor');
  const mayMove = useHasRole('dispatcher', 'supervisor');
  const statement = useQuery({
    queryKey: ['timebank', 'statement', volunteerId, year, page],
    queryFn: () => timebankApi.statement(volunteerId, { year, limit: PAGE, offset: page * PAGE }),
    placeholderData: keepPreviousData,
  });
  if (statement.isPending) return <Loading />;
  if (statement.isError) return <><PageHeading>{t('timebank.title')}</PageHeading><ErrorNotice message={errorText(t, statement.error)} onRetry={() => void statement.refetch()} /></>;
  const s = statement.data;
  const reversible = (line: StatementLine) => supervisor && line.kind !== 'reversal' && line.kind !== 'refund' && line.kind !== 'expire';
  return (
    <div>
      <p><a href={href('/timebank')}>{t('timebank.statement.back')}</a></p>
      <PageHeading>{t('timebank.statement.title', { name: s.name })}</PageHeading>
      <p className="tb-balance" data-testid="tb-balance">
        {t('timebank.statement.balance')}：<Coins units={s.balanceUnits} />
      </p>
      <div className="tb-actions">
        <a className="btn" href={href(`/timebank/shop?volunteer=${encodeURIComponent(volunteerId)}`)}>{t('timebank.statement.shop')}</a>
        {mayMove && <button type="button" className="btn" onClick={() => { transferAct.clear(); setTransferring(true); }}>{t('timebank.statement.transfer')}</button>}
        {supervisor && <a className="btn" href={href(`/timebank/approvals?volunteer=${encodeURIComponent(volunteerId)}`)}>{t('timebank.statement.adjust')}</a>}
      </div>
      <div ref={noticeRef} tabIndex={-1} className="error-summary-host">{!transferring && transferAct.notices}</div>
      <div className="two-col">
        <PortalLinkPanel volunteerId={volunteerId} />
        <DonatePanel volunteerId={volunteerId} balanceUnits={s.balanceUnits} />
      </div>
      <div className="inline-form">
        <YearSelect id="tb-year" value={year} onChange={(y) => { setYear(y); setPage(0); }} />
      </div>
      <YearSummaryFigures statement={s} />
      <h2>{t('timebank.statement.entries')}</h2>
      <div aria-busy={statement.isFetching}>
        <StatementTable statement={s} extra={supervisor ? {
          header: t('timebank.actions'),
          cell: (line) => reversible(line) ? (
            <button type="button" className="btn btn--small" aria-label={t('timebank.approvals.reverse') + ' ' + formatDateTime(line.at, i18n.language) + ' ' + formatCoins(line.units, i18n.language)} onClick={() => setReversing(line)}>
              {t('timebank.approvals.reverse')}
            </button>
          ) : null,
        } : undefined} />
      </div>
      {s.total > PAGE && <Pager page={page} pages={Math.ceil(s.total / PAGE)} onPage={setPage} />}
      <VolunteerProfile volunteerId={volunteerId} />
      <Dialog open={transferring} title={t('timebank.statement.transferTitle')} onClose={() => setTransferring(false)}>
        {transferring && <TransferForm volunteerId={volunteerId} balanceUnits={s.balanceUnits} act={transferAct} onDone={() => { setTransferring(false); focusNotice(); }} />}
      </Dialog>
      <Dialog open={reversing !== null} title={t('timebank.approvals.reverse')} onClose={() => setReversing(null)}>
        {reversing && <ReverseRequestForm line={reversing} onDone={() => setReversing(null)} />}
      </Dialog>
    </div>
  );
}

/** A reversal request for one line: a note, then another staff member approves it on 调整与冲正. */
function ReverseRequestForm({ line, onDone }: { line: StatementLine; onDone: () => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const first = useDialogFocus<HTMLTextAreaElement>();
  const act = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const made = await act.run(() => timebankApi.requestApproval({ type: 'reverse', transactionId: line.transactionId, note: note.trim() }), () => t('timebank.approvals.requested'), { note: t('timebank.reason') });
    if (made) setTimeout(onDone, 1500);
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      <p>{t('timebank.approvals.reverseWhat', { id: line.transactionId })}</p>
      {act.notices}
      <TextAreaField label={t('timebank.reason')} required value={note} error={act.fields.note} onChange={(e) => setNote(e.target.value)} ref={first} rows={3} />
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy || act.done !== null}>{t('timebank.approvals.request')}</button>
      </div>
    </form>
  );
}

/** 生成志愿者查询链接: a one-time link (24 h) for the volunteer's own statement and shop. */
function PortalLinkPanel({ volunteerId }: { volunteerId: string }) {
  const { t, i18n } = useTranslation();
  const act = useAction();
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const linkRef = useRef<HTMLParagraphElement>(null);
  const issue = async () => {
    const made = await act.run(() => timebankApi.portalLink(volunteerId), (l) => t('timebank.statement.portalLinkReady', { expires: formatDateTime(l.expiresAt, i18n.language) }));
    if (made) {
      setLink({ url: new URL(`v/${encodeURIComponent(made.code)}`, `${window.location.origin}${window.location.pathname}`).href, expiresAt: made.expiresAt }); // the short link (the server redirects it to #/volunteer/link/…)
      requestAnimationFrame(() => linkRef.current?.focus());
    }
  };
  return (
    <section className="panel" aria-labelledby="tb-link-heading">
      <h2 id="tb-link-heading">{t('timebank.statement.portalLink')}</h2>
      <p>{t('timebank.statement.portalLinkHint')}</p>
      <button type="button" className="btn" disabled={act.busy} onClick={() => void issue()}>{t('timebank.statement.portalLink')}</button>
      {act.error && <ErrorNotice message={act.error} />}
      {link && (
        <>
          <p>{t('timebank.statement.portalLinkReady', { expires: formatDateTime(link.expiresAt, i18n.language) })}</p>
          <p className="tb-link" tabIndex={-1} ref={linkRef} data-testid="tb-portal-link">{link.url}</p>
        </>
      )}
    </section>
  );
}

/** 捐入互助池: the volunteer asked to give coins to the mutual-aid pool. */
function DonatePanel({ volunteerId, balanceUnits }: { volunteerId: string; balanceUnits: number }) {
  const { t, i18n } = useTranslation();
  const [amount, setAmount] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const act = useAction();
  const key = useRef(newKey());
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const units = unitsFromCoins(amount);
    setInvalid(units === null ? t('errors.field.invalid') : null);
    if (units === null) return;
    const done = await act.run(() => timebankApi.donate(volunteerId, units, key.current), (r) => t('timebank.statement.donated', { coins: formatCoins(r.units, i18n.language) }));
    if (done) {
      key.current = newKey();
      setAmount('');
    }
  };
  return (
    <section className="panel" aria-labelledby="tb-donate-heading">
      <h2 id="tb-donate-heading">{t('timebank.statement.donate')}</h2>
      <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField label={t('timebank.statement.donateAmount')} inputMode="decimal" value={amount} error={invalid ?? act.fields.units} onChange={(e) => setAmount(e.target.value)}
          hint={t('timebank.statement.balanceHint', { coins: formatCoins(balanceUnits, i18n.language) })} />
        <button type="submit" className="btn" disabled={act.busy}>{t('timebank.statement.donate')}</button>
      </form>
      {act.notices}
    </section>
  );
}
