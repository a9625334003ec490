import { useTranslation } from 'react-i18next';
import type { CallBrief, PersonContact, PersonDevice, PersonSummary, RevealedIdentifiers, TicketBrief } from '../../api/wire';
import { formatDateTime, formatPhone } from '../../app/format';
import { href } from '../../app/router';
import { PriorityBadge, RiskBadge, StatusBadge } from '../../components/Badges';
import { EmptyState } from '../../components/Feedback';
import { DialButton } from '../calls/DialButton';
import { callEndNotes } from '../calls/call-end';
import { ivrChoiceText } from '../pop/ivr-choice';

/** 肢体残疾二级 / Physical, level 2 — or a dash when unknown. */
export function useDisabilityText() {
  const { t } = useTranslation();
  return (category: number | null, level: number | null) =>
    category ? t('person.disabilityValue', { category: t(`disabilityCategory.${category}`), level: level ? t(`disabilityLevel.${level}`) : '' }) : '—';
}

/** Approximate age from the birth year (the server gives no more than the year beside a masked ID). */
function approxAge(year: number): number {
  return new Date().getFullYear() - year;
}

/**
 * The profile facts agents need first: disability, living situation, risk, how to communicate, medical notes.
 * Masked unless `revealed` (the audited reveal's answer) is given.
 */
export function PersonFacts({ person, revealed }: { person: PersonSummary & { hasMedicalNotes?: boolean; medicalNotes?: string | null }; revealed?: RevealedIdentifiers | null }) {
  const { t } = useTranslation();
  const disability = useDisabilityText();
  const fullPhone = (id: string) => revealed?.phones.find((p) => p.id === id)?.e164;
  return (
    <dl className="facts">
      <div>
        <dt>{t('person.gender')} / {t(revealed?.birthDate ? 'person.birthDate' : 'person.birthYear')}</dt>
        <dd>
          {t(person.gender === 'M' ? 'person.genderM' : 'person.genderF')}
          {revealed?.birthDate ? ` · ${revealed.birthDate}` : person.birthYear !== null && ` · ${t('person.birthYearValue', { year: person.birthYear, age: approxAge(person.birthYear) })}`}
        </dd>
      </div>
      <div><dt>{t('person.disability')}</dt><dd>{disability(person.disabilityCategory, person.disabilityLevel)}{person.subDisabilities.length > 0 && ` (${t('person.subDisabilities')} ${person.subDisabilities.map((c) => t(`disabilityCategory.${c}`)).join('、')})`}</dd></div>
      <div><dt>{t('person.risk')}</dt><dd><RiskBadge tier={person.riskTier} /></dd></div>
      <div><dt>{t('person.living')}</dt><dd>{person.livingSituation ? t(`living.${person.livingSituation}`) : '—'}</dd></div>
      <div><dt>{t('person.communication')}</dt><dd>{t(`communication.${person.communicationNeed}`)}{person.dialect && ` · ${t('person.dialect')}: ${person.dialect}`}</dd></div>
      {'hasMedicalNotes' in person && (
        <div className="facts__wide">
          <dt>{t('person.medicalNotes')}</dt>
          <dd>{revealed ? revealed.medicalNotes || '—' : person.medicalNotes ? person.medicalNotes : person.hasMedicalNotes ? <span className="muted">{t('person.medicalNotesHidden')}</span> : '—'}</dd>
        </div>
      )}
      <div className="facts__wide"><dt>{t('person.address')}</dt><dd>{person.address || '—'}</dd></div>
      <div><dt>{t('person.idNumber')}</dt><dd className="mono">{revealed?.idNumber ?? person.idNumberMasked ?? '—'}</dd></div>
      <div><dt>{t('person.certNumber')}</dt><dd className="mono">{revealed?.certNumber ?? person.certNumberMasked ?? '—'}</dd></div>
      <div className="facts__wide">
        <dt>{t('person.phones')}</dt>
        <dd>
          <ul className="plain-list">
            {person.phones.map((p) => (
              <li key={p.id}>
                <span className="mono">{fullPhone(p.id) ? formatPhone(fullPhone(p.id)!) : p.masked}</span> <span className="muted">({t(`phoneKind.${p.kind}`, { defaultValue: p.kind })})</span>{' '}
                {p.kind !== 'sos_device' && <DialButton dial={{ personId: person.id, phoneId: p.id }} target={`${person.name} ${p.masked}`} />}
              </li>
            ))}
          </ul>
        </dd>
      </div>
    </dl>
  );
}

export function ContactList({ contacts, revealed, headingLevel = 3 }: { contacts: PersonContact[]; revealed?: RevealedIdentifiers | null; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const H = `h${headingLevel}` as 'h2' | 'h3';
  const fullPhone = (id: string) => revealed?.contacts.find((c) => c.id === id)?.phoneE164;
  return (
    <section className="block">
      <H>{t('person.contacts')}</H>
      {contacts.length === 0 ? (
        <EmptyState>{t('person.noContacts')}</EmptyState>
      ) : (
        <ul className="card-list">
          {contacts.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong> · {c.relation}
              {c.isGuardian && <span className="badge badge--info">{t('person.guardian')}</span>}
              {c.notifyOnEmergency && <span className="badge badge--plain">{t('person.notifyOnEmergency')}</span>}
              <br />
              <span className="mono">{fullPhone(c.id) ? formatPhone(fullPhone(c.id)!) : c.phoneMasked}</span>{' '}
              <DialButton dial={{ contactId: c.id }} target={`${c.name}（${c.relation}）`} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DeviceList({ devices, headingLevel = 3 }: { devices: PersonDevice[]; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const H = `h${headingLevel}` as 'h2' | 'h3';
  return (
    <section className="block">
      <H>{t('person.devices')}</H>
      {devices.length === 0 ? (
        <EmptyState>{t('person.noDevices')}</EmptyState>
      ) : (
        <ul className="card-list">
          {devices.map((d) => (
            <li key={d.id}>
              <strong>{t(`deviceKind.${d.kind}`, { defaultValue: d.kind })}</strong> <span className="mono muted">{d.serial}</span>
              <br />
              {t(`deviceMode.${d.mode}`, { defaultValue: d.mode })} · {d.armed ? t('person.armed') : t('person.disarmed')}
              {d.battery !== null && <> · {t('person.battery', { battery: d.battery })}{d.battery < 20 && <span aria-hidden="true"> ⚠</span>}</>}
              {d.lastHeartbeatAt && <> · {t('person.lastHeartbeat')} {formatDateTime(d.lastHeartbeatAt, i18n.language)}</>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function OpenTickets({ tickets, headingLevel = 3 }: { tickets: TicketBrief[]; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const H = `h${headingLevel}` as 'h2' | 'h3';
  return (
    <section className="block">
      <H>{t('person.openTickets')}</H>
      {tickets.length === 0 ? (
        <EmptyState>{t('person.noOpenTickets')}</EmptyState>
      ) : (
        <ul className="card-list">
          {tickets.map((tk) => (
            <li key={tk.id}>
              <a href={href(`/tickets/${tk.id}`)}>{tk.number}</a> <PriorityBadge priority={tk.priority} /> <StatusBadge status={tk.status} />
              <br />
              {t(`category.${tk.category}`)}
              {tk.serviceType && ` · ${t(`serviceType.${tk.serviceType}`)}`} · {tk.summary} <span className="muted">({formatDateTime(tk.createdAt, i18n.language)})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function RecentCalls({ calls, headingLevel = 3 }: { calls: CallBrief[]; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const H = `h${headingLevel}` as 'h2' | 'h3';
  return (
    <section className="block">
      <H>{t('person.recentCalls')}</H>
      {calls.length === 0 ? (
        <EmptyState>{t('person.noCalls')}</EmptyState>
      ) : (
        <ul className="card-list">
          {calls.map((c) => (
            <li key={c.id}>
              {formatDateTime(c.offeredAt, i18n.language)} · {c.direction === 'inbound' ? t('calls.inbound') : t('calls.outbound')} · {t(`callStatus.${c.status}`)}
              {c.endReason && ` · ${t(`endReason.${c.endReason}`, { defaultValue: c.endReason })}`}
              {callEndNotes(t, c, i18n.language).map((note) => ` · ${note}`)}
              {c.isSos && <span className="badge badge--sos">SOS</span>}
              {c.ivrChoice && ` · ${ivrChoiceText(t, c.ivrChoice)}`}
              {c.agentExtension && ` · ${t('app.extension', { ext: c.agentExtension })}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
