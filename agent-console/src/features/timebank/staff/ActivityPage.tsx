import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityDetail, AttendanceLine, VolunteerAccountSummary } from '../../../api/timebank-wire';
import { errorText, formatDateTime } from '../../../app/format';
import { href } from '../../../app/router';
import { ErrorNotice, Loading } from '../../../components/Feedback';
import { PageHeading } from '../../../components/PageHeading';
import { announce } from '../../../state/announcer';
import { timebankApi } from '../timebank-api';
import { Coins, useAction, useFocusAfter, VolunteerPicker } from '../timebank-ui';
import { isoFromLocal, localFromIso } from './datetime-local';

interface Row {
  volunteerId: string;
  name: string;
  attended: boolean;
  checkIn: string;
  checkOut: string;
  creditedUnits: number | null;
}

const rowsOf = (d: ActivityDetail): Row[] =>
  d.roster.map((l) => ({ volunteerId: l.volunteerId, name: l.name, attended: l.attended === true, checkIn: localFromIso(l.checkInAt), checkOut: localFromIso(l.checkOutAt), creditedUnits: l.creditedUnits }));

/**
 * One activity: its facts, 为志愿者报名 (capacity enforced by the server), and the roster as a form —
 * 到场 checkbox, 签到 and 签退 times per person in Tab order — saved with 保存签到, then 确认签到并记币 credits
 * each attendee by their own times. Closed (credited) activities show the credited coins read-only.
 */
export function ActivityPage({ activityId }: { activityId: string }) {
  const { t, i18n } = useTranslation();
  const detail = useQuery({ queryKey: ['timebank', 'activity', activityId], queryFn: () => timebankApi.activity(activityId) });
  const [rows, setRows] = useState<Row[] | null>(null);
  const [picked, setPicked] = useState<VolunteerAccountSummary | null>(null);
  const act = useAction();
  const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>();
  if (detail.isPending) return <Loading />;
  if (detail.isError) return <><PageHeading>{t('timebank.activities.title')}</PageHeading><ErrorNotice message={errorText(t, detail.error)} onRetry={() => void detail.refetch()} /></>;
  const { activity } = detail.data;
  const roster = rows ?? rowsOf(detail.data);
  const closed = activity.status === 'closed';
  const update = (i: number, patch: Partial<Row>) => setRows(roster.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const tick = (i: number, attended: boolean) =>
    update(i, attended ? { attended, checkIn: roster[i]!.checkIn || localFromIso(activity.startsAt), checkOut: roster[i]!.checkOut || localFromIso(activity.endsAt) } : { attended });

  const signUp = async () => {
    if (!picked) return;
    const line = await act.run(() => timebankApi.signUp(activityId, picked.volunteerId), () => t('timebank.activities.signedUpDone', { name: picked.name }));
    if (line) {
      setRows(null);
      setPicked(null);
    }
    focusNotice();
  };
  const remove = async (row: Row) => {
    if (await act.run(() => timebankApi.removeSignup(activityId, row.volunteerId), () => t('timebank.activities.removedDone', { name: row.name }))) setRows(null);
    focusNotice();
  };
  /** Saves the roster; a line ticked without sane times is named and focused instead (nothing sent). */
  const saveAttendance = async (focusAfter: boolean): Promise<boolean> => {
    const bad = roster.findIndex((r) => r.attended && (!r.checkIn || !r.checkOut || r.checkOut <= r.checkIn));
    if (bad >= 0) {
      const text = t('timebank.activities.attendanceIncomplete', { name: roster[bad]!.name });
      act.setError(text);
      announce(text, 'assertive');
      document.getElementById(`tb-in-${bad}`)?.focus();
      return false;
    }
    const lines: AttendanceLine[] = roster.map((r) => (r.attended ? { volunteerId: r.volunteerId, attended: true, checkInAt: isoFromLocal(r.checkIn), checkOutAt: isoFromLocal(r.checkOut) } : { volunteerId: r.volunteerId, attended: false }));
    const saved = await act.run(() => timebankApi.attendance(activityId, lines), () => t('timebank.activities.attendanceSaved'));
    if (saved) setRows(rowsOf(saved));
    if (focusAfter) focusNotice();
    return saved !== undefined;
  };
  const credit = async () => {
    if (rows && !(await saveAttendance(false))) return;
    const names = new Map(roster.map((r) => [r.volunteerId, r.name]));
    const result = await act.run(() => timebankApi.credit(activityId), (r) => [
      t('timebank.activities.creditDone', { count: r.credited.length }),
      r.skipped.length ? t('timebank.activities.creditSkipped', {
        count: r.skipped.length,
        names: r.skipped.map((s) => t('timebank.activities.skipReason', { name: names.get(s.volunteerId) ?? s.volunteerId, reason: s.code === 'already-credited' ? t('timebank.activities.alreadyCredited') : t(`errors.codes.${s.code}`, { defaultValue: s.code }) })).join('、'),
      }) : '',
    ].join(' '));
    if (result) setRows(null);
    focusNotice();
  };

  return (
    <div>
      <p><a href={href('/timebank/activities')}>{t('timebank.activities.back')}</a></p>
      <PageHeading>{activity.title}</PageHeading>
      <dl className="facts facts--inline">
        <div><dt>{t('timebank.activities.startsAt')}</dt><dd>{formatDateTime(activity.startsAt, i18n.language)}</dd></div>
        <div><dt>{t('timebank.activities.endsAt')}</dt><dd>{formatDateTime(activity.endsAt, i18n.language)}</dd></div>
        <div><dt>{t('timebank.activities.location')}</dt><dd>{activity.location}</dd></div>
        <div><dt>{t('timebank.activities.signedUp')}</dt><dd>{t('timebank.activities.seats', { signedUp: activity.signedUp, capacity: activity.capacity })}</dd></div>
        <div><dt>{t('timebank.status')}</dt><dd>{t(`timebank.activities.${activity.status}`)}</dd></div>
      </dl>
      {activity.description && <p>{activity.description}</p>}
      <div ref={noticeRef} tabIndex={-1} className="error-summary-host">{act.notices}</div>
      {!closed && (
        <section aria-labelledby="tb-signup-heading" className="tb-form">
          <h2 id="tb-signup-heading">{t('timebank.activities.signUpVolunteer')}</h2>
          <VolunteerPicker label={t('timebank.activities.volunteer')} picked={picked} onPick={setPicked} />
          <p><button type="button" className="btn" disabled={!picked || act.busy} onClick={() => void signUp()}>{t('timebank.activities.signUp')}</button></p>
        </section>
      )}
      <h2>{t('timebank.activities.roster')}</h2>
      {!closed && <p id="tb-roster-hint">{t('timebank.activities.rosterHint')}</p>}
      <div className="table-wrap">
        <table className="table tb-roster" aria-describedby={closed ? undefined : 'tb-roster-hint'}>
          <caption>{t('timebank.activities.rosterCaption', { count: roster.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('timebank.activities.volunteer')}</th>
              <th scope="col">{t('timebank.activities.attended')}</th>
              <th scope="col">{t('timebank.activities.checkIn')}</th>
              <th scope="col">{t('timebank.activities.checkOut')}</th>
              <th scope="col" className="tb-num">{t('timebank.activities.creditedUnits')}</th>
              {!closed && <th scope="col">{t('timebank.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {roster.map((r, i) => (
              <tr key={r.volunteerId}>
                <th scope="row"><a href={href(`/timebank/volunteers/${r.volunteerId}`)}>{r.name}</a></th>
                <td><input type="checkbox" checked={r.attended} disabled={closed} aria-label={t('timebank.activities.attendedOf', { name: r.name })} onChange={(e) => tick(i, e.target.checked)} /></td>
                <td><input id={`tb-in-${i}`} type="datetime-local" className="field__control" value={r.checkIn} disabled={closed || !r.attended} aria-label={t('timebank.activities.checkInOf', { name: r.name })} onChange={(e) => update(i, { checkIn: e.target.value })} /></td>
                <td><input type="datetime-local" className="field__control" value={r.checkOut} disabled={closed || !r.attended} aria-label={t('timebank.activities.checkOutOf', { name: r.name })} onChange={(e) => update(i, { checkOut: e.target.value })} /></td>
                <td className="tb-num">{r.creditedUnits === null ? '—' : <Coins units={r.creditedUnits} />}</td>
                {!closed && <td><button type="button" className="btn btn--small" disabled={act.busy} aria-label={t('timebank.activities.removeOf', { name: r.name })} onClick={() => void remove(r)}>{t('timebank.activities.remove')}</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!closed && roster.length > 0 && (
        <div className="tb-actions">
          <button type="button" className="btn" disabled={act.busy} onClick={() => void saveAttendance(true)}>{t('timebank.activities.saveAttendance')}</button>
          <button type="button" className="btn btn--primary" disabled={act.busy} onClick={() => void credit()}>{t('timebank.activities.credit')}</button>
        </div>
      )}
    </div>
  );
}
