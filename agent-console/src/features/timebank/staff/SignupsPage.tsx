import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignupStatus, SignupView } from '../../../api/timebank-wire';
import { errorText, formatDateTime } from '../../../app/format';
import { href } from '../../../app/router';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { SelectField, TextAreaField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { timebankApi } from '../timebank-api';
import { useAction, useDialogFocus, useFocusAfter } from '../timebank-ui';

/**
 * 报名审核: sign-ups from the public page, pending first. 通过 creates the volunteer; 拒绝 asks for a reason.
 * After a decision the focus goes to the page's status message, then on to the next row by Tab.
 */
export function SignupsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<SignupStatus>('pending');
  const [rejecting, setRejecting] = useState<SignupView | null>(null);
  const list = useQuery({ queryKey: ['timebank', 'signups', status], queryFn: () => timebankApi.signups(status), refetchInterval: 30_000 });
  const act = useAction();
  const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>();
  const approve = async (s: SignupView) => {
    await act.run(() => timebankApi.approveSignup(s.id), () => t('timebank.signups.approvedDone', { name: s.name }));
    focusNotice();
  };
  return (
    <div>
      <PageHeading>{t('timebank.signups.title')}</PageHeading>
      <p>{t('timebank.signups.intro')}</p>
      <div className="inline-form">
        <SelectField label={t('timebank.signups.filter')} value={status} onChange={(e) => setStatus(e.target.value as SignupStatus)}>
          {(['pending', 'approved', 'rejected'] as const).map((s) => <option key={s} value={s}>{t(`timebank.signups.${s}`)}</option>)}
        </SelectField>
      </div>
      <div ref={noticeRef} tabIndex={-1} className="error-summary-host">{act.notices}</div>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('timebank.signups.empty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.signups.caption', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.signups.name')}</th>
                <th scope="col">{t('timebank.signups.phone')}</th>
                <th scope="col">{t('timebank.district')}</th>
                <th scope="col">{t('timebank.signups.skills')}</th>
                <th scope="col">{t('timebank.signups.availability')}</th>
                <th scope="col">{t('timebank.signups.receivedAt')}</th>
                <th scope="col">{status === 'pending' ? t('timebank.actions') : t('timebank.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.volunteerId ? <a href={href(`/timebank/volunteers/${s.volunteerId}`)}>{s.name}</a> : s.name}</th>
                  <td>{s.phoneMasked}</td>
                  <td>{s.districtCode}</td>
                  <td>{s.skills.map((k) => t(`serviceType.${k}`, { defaultValue: k })).join('、') || '—'}</td>
                  <td>{s.availability ?? '—'}{s.note ? <><br />{s.note}</> : null}</td>
                  <td>{formatDateTime(s.createdAt, i18n.language)}</td>
                  <td>
                    {s.status === 'pending' ? (
                      <span className="tb-actions">
                        <button type="button" className="btn btn--small btn--primary" disabled={act.busy} aria-label={t('timebank.signups.approveOf', { name: s.name })} onClick={() => void approve(s)}>{t('timebank.signups.approve')}</button>
                        <button type="button" className="btn btn--small" disabled={act.busy} aria-label={t('timebank.signups.rejectOf', { name: s.name })} onClick={() => { act.clear(); setRejecting(s); }}>{t('timebank.signups.reject')}</button>
                      </span>
                    ) : (
                      <>{t(`timebank.signups.${s.status}`)}{s.rejectReason ? `：${s.rejectReason}` : ''}</>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={rejecting !== null} title={rejecting ? t('timebank.signups.rejectTitle', { name: rejecting.name }) : ''} onClose={() => setRejecting(null)}>
        {rejecting && <RejectForm signup={rejecting} act={act} onDone={() => { setRejecting(null); focusNotice(); }} />}
      </Dialog>
    </div>
  );
}

/** The reason for a rejection; runs through the page's action, so its result shows on the page after the dialog closes. */
function RejectForm({ signup, act, onDone }: { signup: SignupView; act: ReturnType<typeof useAction>; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const first = useDialogFocus<HTMLTextAreaElement>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await act.run(() => timebankApi.rejectSignup(signup.id, reason.trim()), () => t('timebank.signups.rejectedDone', { name: signup.name }), { reason: t('timebank.signups.rejectReason') })) onDone();
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      {act.error && <ErrorNotice message={act.error} />}
      <TextAreaField label={t('timebank.signups.rejectReason')} required rows={3} value={reason} error={act.fields.reason} onChange={(e) => setReason(e.target.value)} ref={first} />
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.signups.reject')}</button>
      </div>
    </form>
  );
}
