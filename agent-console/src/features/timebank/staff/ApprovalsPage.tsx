import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ApprovalView, VolunteerAccountSummary } from '../../../api/timebank-wire';
import { errorText, formatDateTime } from '../../../app/format';
import { useUser } from '../../../app/routes';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { RadioGroup, SelectField, TextAreaField, TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { timebankApi } from '../timebank-api';
import { formatCoins, signedUnitsFromCoins } from '../timebank-format';
import { useAction, useDialogFocus, useFocusAfter, useHasRole, useVolunteerNames, VolunteerPicker } from '../timebank-ui';

type Status = ApprovalView['status'];

/**
 * 调整与冲正 (maker-checker): a supervisor asks for an adjustment or a reversal; another supervisor approves
 * or rejects it. The maker sees their own request marked and can only withdraw it (the server refuses the
 * maker's approval too: `ledger/checker-is-maker`, shown translated).
 */
export function ApprovalsPage() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const supervisor = useHasRole('supervisor');
  const [params] = useSearchParams();
  const [status, setStatus] = useState<Status>('pending');
  const [rejecting, setRejecting] = useState<ApprovalView | null>(null);
  const list = useQuery({ queryKey: ['timebank', 'approvals', status], queryFn: () => timebankApi.approvals(status) });
  const act = useAction();
  const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>();
  const nameOf = useVolunteerNames(list.data?.items.map((a) => a.volunteerId) ?? []);
  const what = (a: ApprovalView) => a.type === 'adjust'
    ? t('timebank.approvals.adjustWhat', { name: a.volunteerId ? nameOf(a.volunteerId) : a.accountId, coins: formatCoins(a.units, i18n.language) })
    : t('timebank.approvals.reverseWhat', { id: a.transactionId ?? '' });
  const approve = async (a: ApprovalView) => {
    await act.run(() => timebankApi.approve(a.id), () => t('timebank.approvals.approvedDone', { what: what(a) }));
    focusNotice();
  };
  return (
    <div>
      <PageHeading>{t('timebank.approvals.title')}</PageHeading>
      <p>{t('timebank.approvals.intro')}</p>
      {supervisor && <RequestForm presetVolunteerId={params.get('volunteer')} />}
      <h2>{t('timebank.approvals.caption', { count: list.data?.total ?? 0 })}</h2>
      <div className="inline-form">
        <SelectField label={t('timebank.status')} value={status} onChange={(e) => setStatus(e.target.value as Status)}>
          {(['pending', 'approved', 'rejected'] as const).map((s) => <option key={s} value={s}>{t(`timebank.approvals.${s}`)}</option>)}
        </SelectField>
      </div>
      <div ref={noticeRef} tabIndex={-1} className="error-summary-host">{act.notices}</div>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('timebank.approvals.empty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.approvals.caption', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.approvals.what')}</th>
                <th scope="col">{t('timebank.reason')}</th>
                <th scope="col">{t('timebank.approvals.maker')}</th>
                <th scope="col">{t('timebank.approvals.requestedAt')}</th>
                <th scope="col">{status === 'pending' ? t('timebank.actions') : t('timebank.approvals.checker')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => {
                const mine = a.makerId === user.userId;
                return (
                  <tr key={a.id}>
                    <th scope="row">{what(a)}</th>
                    <td>{a.note}</td>
                    <td>{a.makerName}{mine ? ` · ${t('timebank.approvals.ownRequest')}` : ''}</td>
                    <td>{formatDateTime(a.requestedAt, i18n.language)}</td>
                    <td>
                      {a.status === 'pending' && supervisor ? (
                        <span className="tb-actions">
                          <button type="button" className="btn btn--small btn--primary" disabled={act.busy} aria-label={t('timebank.approvals.approveOf', { what: what(a) })} onClick={() => void approve(a)}>{t('timebank.approvals.approve')}</button>
                          <button type="button" className="btn btn--small" disabled={act.busy} aria-label={t(mine ? 'timebank.approvals.withdrawOf' : 'timebank.approvals.rejectOf', { what: what(a) })} onClick={() => { act.clear(); setRejecting(a); }}>
                            {mine ? t('timebank.approvals.withdraw') : t('timebank.approvals.reject')}
                          </button>
                        </span>
                      ) : (
                        <>{a.checkerName ?? '—'}{a.rejectReason ? `：${a.rejectReason}` : ''}</>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={rejecting !== null} title={t('timebank.approvals.rejectTitle')} onClose={() => setRejecting(null)}>
        {rejecting && <RejectForm approval={rejecting} what={what(rejecting)} act={act} onDone={() => { setRejecting(null); focusNotice(); }} />}
      </Dialog>
    </div>
  );
}

function RejectForm({ approval, what, act, onDone }: { approval: ApprovalView; what: string; act: ReturnType<typeof useAction>; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const first = useDialogFocus<HTMLTextAreaElement>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await act.run(() => timebankApi.reject(approval.id, reason.trim()), () => t('timebank.approvals.rejectedDone', { what }), { reason: t('timebank.reason') })) onDone();
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      <p>{what}</p>
      {act.error && <ErrorNotice message={act.error} />}
      <TextAreaField label={t('timebank.reason')} required rows={3} value={reason} error={act.fields.reason} onChange={(e) => setReason(e.target.value)} ref={first} />
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.approvals.reject')}</button>
      </div>
    </form>
  );
}

/** 提出申请: an adjustment of a volunteer's balance (signed coins) or the reversal of one transaction. */
function RequestForm({ presetVolunteerId }: { presetVolunteerId: string | null }) {
  const { t } = useTranslation();
  const [type, setType] = useState<'adjust' | 'reverse'>('adjust');
  const [picked, setPicked] = useState<VolunteerAccountSummary | null>(null);
  const [coins, setCoins] = useState('');
  const [transactionId, setTransactionId] = useState('');
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const preset = useQuery({ queryKey: ['timebank', 'brief', presetVolunteerId], queryFn: () => timebankApi.volunteerBrief(presetVolunteerId!), enabled: Boolean(presetVolunteerId) });
  const volunteer = picked ?? preset.data ?? null;
  const act = useAction();
  const labels = { units: t('timebank.approvals.units'), note: t('timebank.reason'), transactionId: t('timebank.approvals.transactionId'), volunteerId: t('timebank.approvals.volunteerId') };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const units = signedUnitsFromCoins(coins);
    const problem = type === 'adjust' ? (!volunteer ? t('timebank.activities.pickVolunteer') : units === null ? `${labels.units}：${t('errors.field.invalid')}` : null) : null;
    setLocal(problem);
    if (problem) return;
    const done = await act.run(() => timebankApi.requestApproval(type === 'adjust'
      ? { type, volunteerId: volunteer!.volunteerId, units: units!, note: note.trim() }
      : { type, transactionId: transactionId.trim(), note: note.trim() }), () => t('timebank.approvals.requested'), labels);
    if (done) {
      setCoins('');
      setTransactionId('');
      setNote('');
    }
  };
  return (
    <section className="panel" aria-labelledby="tb-request-heading">
      <h2 id="tb-request-heading">{t('timebank.approvals.request')}</h2>
      <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
        <RadioGroup legend={t('timebank.approvals.type')} name="tb-approval-type" value={type} required
          options={[{ value: 'adjust', label: t('timebank.approvals.adjust') }, { value: 'reverse', label: t('timebank.approvals.reverse') }]} onChange={setType} />
        {type === 'adjust' && (
          <>
            {volunteer && <p>{t('timebank.approvals.volunteerId')}：<strong>{volunteer.name}</strong></p>}
            <VolunteerPicker label={labels.volunteerId} picked={volunteer} onPick={setPicked} />
            <TextField label={labels.units} required inputMode="decimal" value={coins} error={act.fields.units} onChange={(e) => setCoins(e.target.value)} />
          </>
        )}
        {type === 'reverse' && <TextField label={labels.transactionId} required hint={t('timebank.approvals.transactionHint')} value={transactionId} error={act.fields.transactionId} onChange={(e) => setTransactionId(e.target.value)} />}
        <TextAreaField label={labels.note} required rows={2} value={note} error={act.fields.note} onChange={(e) => setNote(e.target.value)} />
        {local && <ErrorNotice message={local} />}
        {act.notices}
        <p><button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.approvals.request')}</button></p>
      </form>
    </section>
  );
}
