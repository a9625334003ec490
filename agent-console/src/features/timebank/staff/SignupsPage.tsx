import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignupStatus, SignupView } from '../../../api/timebank-wire';
import { errorText, formatDateTime } from '../../../app/format';
import { href } from '../../../app/router';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { RadioGroup, SelectField, TextAreaField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { registerDispatchTexts } from '../../../i18n/dispatch-texts';
import { numberIn, ServiceAreaFields, type AreaForm } from '../../people/PeopleFields';
import { timebankApi } from '../timebank-api';
import { useAction, useDialogFocus, useFocusAfter } from '../timebank-ui';

registerDispatchTexts(); // the service-area fields are the people screens' (their texts load with them)

/**
 * 报名审核: sign-ups from the public page, pending first. 通过 creates the volunteer; 拒绝 asks for a reason.
 * After a decision the focus goes to the page's status message, then on to the next row by Tab.
 */
export function SignupsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<SignupStatus>('pending');
  const [rejecting, setRejecting] = useState<SignupView | null>(null);
  const [approving, setApproving] = useState<SignupView | null>(null);
  const list = useQuery({ queryKey: ['timebank', 'signups', status], queryFn: () => timebankApi.signups(status), refetchInterval: 30_000 });
  const act = useAction();
  const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>();
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
                        <button type="button" className="btn btn--small btn--primary" disabled={act.busy} aria-label={t('timebank.signups.approveOf', { name: s.name })} onClick={() => { act.clear(); setApproving(s); }}>{t('timebank.signups.approve')}</button>
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
      <Dialog open={approving !== null} title={approving ? t('timebank.signups.approveTitle', { name: approving.name }) : ''} onClose={() => setApproving(null)}>
        {approving && <ApproveForm signup={approving} act={act} onDone={() => { setApproving(null); focusNotice(); }} />}
      </Dialog>
      <Dialog open={rejecting !== null} title={rejecting ? t('timebank.signups.rejectTitle', { name: rejecting.name }) : ''} onClose={() => setRejecting(null)}>
        {rejecting && <RejectForm signup={rejecting} act={act} onDone={() => { setRejecting(null); focusNotice(); }} />}
      </Dialog>
    </div>
  );
}

/**
 * What the public page does not ask and a volunteer record needs: gender (for persons' gender preferences)
 * and the service area (centre and radius), which the reviewer agrees with the volunteer.
 */
function ApproveForm({ signup, act, onDone }: { signup: SignupView; act: ReturnType<typeof useAction>; onDone: () => void }) {
  const { t } = useTranslation();
  const [gender, setGender] = useState<'' | 'female' | 'male'>('');
  const [area, setArea] = useState<AreaForm>({ lat: '', lng: '', radiusKm: '3' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const first = useDialogFocus<HTMLDivElement>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const lat = numberIn(area.lat, -90, 90);
    const lng = numberIn(area.lng, -180, 180);
    const radiusKm = numberIn(area.radiusKm, 0.1, 30);
    const found: Record<string, string> = {};
    if (!gender) found.gender = t('timebank.signups.genderNeeded');
    if (lat === null) found.lat = t('timebank.signups.latNeeded');
    if (lng === null) found.lng = t('timebank.signups.lngNeeded');
    if (radiusKm === null) found.radiusKm = t('timebank.signups.radiusNeeded');
    setErrors(found);
    if (Object.keys(found).length > 0) first.current?.focus(); // the summary of what is missing, then Tab to the first field
    if (Object.keys(found).length > 0 || !gender || lat === null || lng === null || radiusKm === null) return;
    const body = { gender, centreLat: lat, centreLng: lng, radiusKm };
    if (await act.run(() => timebankApi.approveSignup(signup.id, body), () => t('timebank.signups.approvedDone', { name: signup.name }))) onDone();
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      <div ref={first} tabIndex={-1}>
        {act.error && <ErrorNotice message={act.error} />}
        {Object.keys(errors).length > 0 && <ErrorNotice message={Object.values(errors).join('；')} />}
        <p>{t('timebank.signups.approveIntro', { name: signup.name })}</p>
      </div>
      <RadioGroup legend={t('timebank.signups.gender')} name="approve-gender" required value={gender} options={[{ value: 'female' as const, label: t('timebank.signups.female') }, { value: 'male' as const, label: t('timebank.signups.male') }]} onChange={setGender} error={errors.gender} />
      <ServiceAreaFields value={area} onChange={setArea} errors={{ ...act.fields, ...errors }} />
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.signups.approveSubmit')}</button>
      </div>
    </form>
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
