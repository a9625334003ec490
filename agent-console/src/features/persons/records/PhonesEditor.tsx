import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/http';
import type { PersonDetail, PersonPhone } from '../../../api/wire';
import { fieldErrors } from '../../../app/format';
import { EmptyState, ErrorNotice } from '../../../components/Feedback';
import { CheckboxField, SelectField, TextField } from '../../../components/Field';
import { recordsApi } from './records-api';
import { useCanEdit, useRecordChange } from './use-record-change';

type Kind = '' | 'mobile' | 'landline' | 'sos_device';

/**
 * The person's own numbers (the caller-id index): mark the primary, remove (asks once more), add. A number
 * that is another person's needs the agent to confirm it is shared (a family landline); the screen pop then
 * knows both persons.
 */
export function PhonesEditor({ person, onSaved }: { person: PersonDetail; onSaved: (p: PersonDetail) => void }) {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  const change = useRecordChange(person.id, onSaved);
  const [number, setNumber] = useState('');
  const [kind, setKind] = useState<Kind>('');
  const [shared, setShared] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const numberRef = useRef<HTMLInputElement>(null);
  const sharedRef = useRef<HTMLDivElement>(null);
  const needsConfirmation = change.error?.cause instanceof ApiError && change.error.cause.code === 'person/phone-shared';
  const errors = change.error ? fieldErrors(change.error.cause, t) : {};

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (change.busy) return;
    const ok = await change.run(() => recordsApi.addPhone(person.id, { number: number.trim(), ...(kind ? { kind } : {}), confirmShared: shared }), t('records.phones.added'));
    if (ok) {
      setNumber('');
      setKind('');
      setShared(false);
      numberRef.current?.focus();
    } else {
      requestAnimationFrame(() => (sharedRef.current?.querySelector('input') ?? numberRef.current)?.focus());
    }
  };
  const remove = async (p: PersonPhone) => {
    if (confirming !== p.id) return setConfirming(p.id);
    if (await change.run(() => recordsApi.removePhone(person.id, p.id), t('records.phones.removed', { number: p.masked }))) {
      setConfirming(null);
      numberRef.current?.focus();
    }
  };

  return (
    <section className="block" aria-labelledby="phones-title">
      <h2 id="phones-title">{t('records.phones.title')}</h2>
      {person.phones.length === 0 && <EmptyState>{t('records.phones.none')}</EmptyState>}
      <ul className="card-list">
        {person.phones.map((p) => (
          <li key={p.id}>
            <span className="mono">{p.masked}</span> <span className="muted">({t(`phoneKind.${p.kind}`, { defaultValue: p.kind })})</span>
            {p.isPrimary && <span className="badge badge--info">{t('records.phones.primary')}</span>}
            {canEdit && (
              <div className="button-row">
                {!p.isPrimary && <button type="button" className="btn btn--small" onClick={() => void change.run(() => recordsApi.primaryPhone(person.id, p.id), t('records.phones.madePrimary', { number: p.masked }))}>{t('records.phones.makePrimary', { number: p.masked })}</button>}
                <button type="button" className="btn btn--small" onClick={() => void remove(p)} onBlur={() => setConfirming((x) => (x === p.id ? null : x))}>
                  {confirming === p.id ? t('records.phones.confirmRemove', { number: p.masked }) : t('records.phones.remove', { number: p.masked })}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {canEdit && (
        <form className="record-form" onSubmit={(e) => void add(e)} noValidate aria-label={t('records.phones.addTitle')}>
          <TextField ref={numberRef} label={t('records.phones.number')} value={number} onChange={(e) => { setNumber(e.target.value); setShared(false); }} maxLength={30} inputMode="tel" required error={errors.number} />
          <SelectField label={t('records.phones.kind')} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="">{t('records.phones.kindAuto')}</option>
            <option value="mobile">{t('phoneKind.mobile')}</option>
            <option value="landline">{t('phoneKind.landline')}</option>
            <option value="sos_device">{t('phoneKind.sos_device')}</option>
          </SelectField>
          {(needsConfirmation || shared) && (
            <div ref={sharedRef}>
              <CheckboxField label={t('records.phones.confirmShared')} hint={t('records.phones.sharedHint')} checked={shared} onChange={(e) => setShared(e.target.checked)} />
            </div>
          )}
          {change.error && <ErrorNotice message={change.error.message} />}
          <div className="button-row">
            <button type="submit" className="btn" aria-disabled={change.busy || undefined}>{t('records.phones.add')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
