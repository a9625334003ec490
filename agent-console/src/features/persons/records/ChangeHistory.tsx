import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { RevealedIdentifiers } from '../../../api/wire';
import { errorText, formatDateTime, formatPhone } from '../../../app/format';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { recordsApi, type PersonChange } from './records-api';

interface RecordValue {
  name?: string;
  relation?: string;
  phoneMasked?: string | null;
  /** Only in revealed values. */
  e164?: string | null;
  kind?: string;
  serial?: string;
  model?: string | null;
  mode?: string;
  armed?: boolean;
  retired?: boolean;
  notifyOnEmergency?: boolean;
  isGuardian?: boolean;
}

/** A revealed record value carries the full number: show it formatted where the masked one would be. */
function withPhone(v: RecordValue): RecordValue {
  return v.e164 ? { ...v, phoneMasked: formatPhone(v.e164) } : v;
}

/** A history value in words: enums translated, records summarised, masked values as the server sent them. */
function shown(t: TFunction, field: string, value: unknown, revealedValue = false): string {
  if (value === null || value === undefined || value === '') return '—';
  switch (field) {
    case 'gender':
      return t(value === 'M' ? 'person.genderM' : 'person.genderF');
    case 'riskTier':
      return t(`risk.${String(value)}`, { defaultValue: String(value) });
    case 'livingSituation':
      return t(`living.${String(value)}`, { defaultValue: String(value) });
    case 'communicationNeed':
      return t(`communication.${String(value)}`, { defaultValue: String(value) });
    case 'disabilityCategory':
      return t(`disabilityCategory.${String(value)}`, { defaultValue: String(value) });
    case 'disabilityLevel':
      return t(`disabilityLevel.${String(value)}`, { defaultValue: String(value) });
    case 'subDisabilities':
      return Array.isArray(value) && value.length ? value.map((c) => t(`disabilityCategory.${c}`)).join('、') : '—';
    case 'medicalNotes':
      return revealedValue ? String(value) : t('records.history.hidden');
    case 'contactOrder':
      return Array.isArray(value) ? value.join(' → ') : String(value);
    case 'primaryPhone':
      return t('records.history.phoneRef');
    case 'contact': {
      const v = withPhone(value as RecordValue);
      return [`${v.name ?? ''}（${v.relation ?? ''}）`, v.phoneMasked, v.isGuardian ? t('person.guardian') : null, v.notifyOnEmergency ? t('person.notifyOnEmergency') : t('records.contacts.noNotify')].filter(Boolean).join(' · ');
    }
    case 'phone': {
      const v = withPhone(value as RecordValue);
      return [v.phoneMasked, v.kind ? t(`phoneKind.${v.kind}`, { defaultValue: v.kind }) : null].filter(Boolean).join(' · ');
    }
    case 'device': {
      const v = withPhone(value as RecordValue);
      return [
        `${t(`deviceKind.${v.kind}`, { defaultValue: v.kind ?? '' })} ${v.serial ?? ''}`, v.model, v.phoneMasked,
        v.mode ? t(`deviceMode.${v.mode}`, { defaultValue: v.mode }) : null, v.armed ? t('person.armed') : t('person.disarmed'), v.retired ? t('records.devices.retiredBadge') : null,
      ].filter(Boolean).join(' · ');
    }
    case 'dispatchPref': {
      const v = value as { genderPreference?: 'female' | 'male' | null; twoPersonVisit?: boolean; noLoneVolunteer?: boolean; blockedCandidateIds?: string[]; note?: string | null };
      const yes = (b?: boolean) => t(b ? 'app.yes' : 'app.no');
      const gender = v.genderPreference ? t(v.genderPreference === 'female' ? 'person.genderF' : 'person.genderM') : t('records.history.dispatchPrefAny');
      const summary = t('records.history.dispatchPref', { gender, two: yes(v.twoPersonVisit), lone: yes(v.noLoneVolunteer), count: v.blockedCandidateIds?.length ?? 0 });
      return v.note ? `${summary} · ${t('records.history.dispatchPrefNote', { note: v.note })}` : summary;
    }
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** 修改记录: every change to the record, newest first, with who and when; sensitive values masked as on the profile. */
export function ChangeHistory({ personId, revealed }: { personId: string; revealed?: RevealedIdentifiers | null }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({ queryKey: ['persons', personId, 'changes'], queryFn: () => recordsApi.changes(personId) });
  return (
    <section className="block" aria-labelledby="history-title">
      <h2 id="history-title">{t('records.history.title')}</h2>
      {history.isPending && <Loading />}
      {history.isError && <ErrorNotice message={errorText(t, history.error)} onRetry={() => void history.refetch()} />}
      {history.data && history.data.items.length === 0 && <EmptyState>{t('records.history.empty')}</EmptyState>}
      {history.data && history.data.items.length > 0 && (
        <table className="table table--compact">
          <caption className="visually-hidden">{t('records.history.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('records.history.at')}</th>
              <th scope="col">{t('records.history.field')}</th>
              <th scope="col">{t('records.history.old')}</th>
              <th scope="col">{t('records.history.new')}</th>
              <th scope="col">{t('records.history.by')}</th>
            </tr>
          </thead>
          <tbody>
            {history.data.items.map((c: PersonChange) => {
              // After the audited reveal (查看完整信息) the hidden values are shown in full, as on the profile.
              const full = c.masked ? revealed?.changes?.find((r) => r.id === c.id) : undefined;
              return (
              <tr key={c.id}>
                <td>{formatDateTime(c.changedAt, i18n.language)}</td>
                <td>{t(`records.fields.${c.field}`, { defaultValue: c.field })}</td>
                <td>{full ? shown(t, c.field, full.oldValue, true) : shown(t, c.field, c.oldValue)}</td>
                <td>{full ? shown(t, c.field, full.newValue, true) : shown(t, c.field, c.newValue)}</td>
                <td>{c.actorUsername ?? '—'}</td>
              </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
