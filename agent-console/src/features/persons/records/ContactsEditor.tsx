import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonContact, PersonDetail, RevealedIdentifiers } from '../../../api/wire';
import { fieldErrors, formatPhone } from '../../../app/format';
import { EmptyState, ErrorNotice } from '../../../components/Feedback';
import { CheckboxField, TextField } from '../../../components/Field';
import { DialButton } from '../../calls/DialButton';
import { recordsApi, type ContactBody } from './records-api';
import { useCanEdit, useFocusReturn, useRecordChange } from './use-record-change';

const EMPTY: ContactBody = { name: '', relation: '', phone: '', isGuardian: false, notifyOnEmergency: true };

/** Add or edit one contact (the phone may stay empty when editing: then it is kept). */
function ContactForm({ initial, editing, busy, errors, onSubmit, onCancel }: { initial: ContactBody; editing: boolean; busy: boolean; errors: Record<string, string>; onSubmit: (b: ContactBody) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onSubmit(f);
  };
  return (
    <form className="record-form" onSubmit={submit} noValidate aria-label={editing ? t('records.contacts.editTitle', { name: initial.name }) : t('records.contacts.addTitle')}>
      <TextField label={t('records.contacts.name')} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} maxLength={50} required error={errors.name} autoFocus />
      <TextField label={t('records.contacts.relation')} hint={t('records.contacts.relationHint')} value={f.relation} onChange={(e) => setF({ ...f, relation: e.target.value })} maxLength={20} required error={errors.relation} />
      <TextField label={t('records.contacts.phone')} hint={editing ? t('records.profile.keepHint') : undefined} value={f.phone} onChange={(e) => setF({ ...f, phone: e.target.value })} maxLength={30} required={!editing} inputMode="tel" error={errors.phone} />
      <CheckboxField label={t('person.guardian')} checked={f.isGuardian} onChange={(e) => setF({ ...f, isGuardian: e.target.checked })} />
      <CheckboxField label={t('records.contacts.notify')} hint={t('records.contacts.notifyHint')} checked={f.notifyOnEmergency} onChange={(e) => setF({ ...f, notifyOnEmergency: e.target.checked })} />
      <div className="button-row">
        <button type="submit" className="btn btn--primary" aria-disabled={busy || undefined}>{t('app.save')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('app.cancel')}</button>
      </div>
    </form>
  );
}

/**
 * 监护人与紧急联系人, kept by the agent: the emergency order (move up / down), edit, remove (asks once more)
 * and add, with the notify-on-emergency consent. Read-only for roles that may not edit.
 */
export function ContactsEditor({ person, revealed, onSaved }: { person: PersonDetail; revealed?: RevealedIdentifiers | null; onSaved: (p: PersonDetail) => void }) {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  const change = useRecordChange(person.id, onSaved);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const back = useFocusReturn<HTMLButtonElement>();
  const editBack = useFocusReturn<HTMLButtonElement>();
  const [lastEdited, setLastEdited] = useState<string | null>(null);
  const errors = change.error ? fieldErrors(change.error.cause, t) : {};
  const contacts = person.contacts;
  const fullPhone = (id: string) => revealed?.contacts.find((c) => c.id === id)?.phoneE164;

  const move = (c: PersonContact, by: -1 | 1) => {
    const i = contacts.findIndex((x) => x.id === c.id);
    const j = i + by;
    if (j < 0 || j >= contacts.length || change.busy) return;
    const ids = contacts.map((x) => x.id);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    void change.run(() => recordsApi.orderContacts(person.id, ids), t('records.contacts.moved', { name: c.name, position: j + 1 }));
  };
  const save = async (body: ContactBody, contact?: PersonContact) => {
    const ok = contact
      ? await change.run(() => recordsApi.editContact(person.id, contact.id, { ...body, phone: body.phone.trim() || undefined }), t('records.contacts.saved', { name: body.name }))
      : await change.run(() => recordsApi.addContact(person.id, body), t('records.contacts.added', { name: body.name }));
    if (ok) {
      (contact ? editBack : back).request();
      setEditing(null);
    }
  };
  const remove = async (c: PersonContact) => {
    if (confirming !== c.id) return setConfirming(c.id);
    if (await change.run(() => recordsApi.removeContact(person.id, c.id), t('records.contacts.removed', { name: c.name }))) {
      setConfirming(null);
      back.request();
    }
  };

  return (
    <section className="block" aria-labelledby="contacts-title">
      <h2 id="contacts-title">{t('person.contacts')}</h2>
      {contacts.length === 0 && <EmptyState>{t('person.noContacts')}</EmptyState>}
      <ol className="card-list">
        {contacts.map((c, i) => (
          <li key={c.id}>
            {editing === c.id ? (
              <ContactForm initial={{ name: c.name, relation: c.relation, phone: '', isGuardian: c.isGuardian, notifyOnEmergency: c.notifyOnEmergency }} editing busy={change.busy} errors={errors} onSubmit={(b) => void save(b, c)} onCancel={() => { editBack.request(); setEditing(null); }} />
            ) : (
              <>
                <span className="muted">{t('records.contacts.order', { n: i + 1 })}</span> <strong>{c.name}</strong> · {c.relation}
                {c.isGuardian && <span className="badge badge--info">{t('person.guardian')}</span>}
                <span className="badge badge--plain">{c.notifyOnEmergency ? t('person.notifyOnEmergency') : t('records.contacts.noNotify')}</span>
                <br />
                <span className="mono">{fullPhone(c.id) ? formatPhone(fullPhone(c.id)!) : c.phoneMasked}</span> <DialButton dial={{ contactId: c.id }} target={`${c.name}（${c.relation}）`} />
                {canEdit && (
                  <div className="button-row">
                    <button type="button" className="btn btn--small" aria-disabled={i === 0 || undefined} onClick={() => move(c, -1)}>{t('records.contacts.up', { name: c.name })}</button>
                    <button type="button" className="btn btn--small" aria-disabled={i === contacts.length - 1 || undefined} onClick={() => move(c, 1)}>{t('records.contacts.down', { name: c.name })}</button>
                    <button ref={c.id === lastEdited ? editBack.ref : undefined} type="button" className="btn btn--small" onClick={() => { change.clearError(); setLastEdited(c.id); setEditing(c.id); }}>{t('records.contacts.edit', { name: c.name })}</button>
                    <button type="button" className="btn btn--small" onClick={() => void remove(c)} onBlur={() => setConfirming((x) => (x === c.id ? null : x))}>
                      {confirming === c.id ? t('records.contacts.confirmRemove', { name: c.name }) : t('records.contacts.remove', { name: c.name })}
                    </button>
                  </div>
                )}
              </>
            )}
          </li>
        ))}
      </ol>
      {change.error && <ErrorNotice message={change.error.message} />}
      {canEdit && (editing === 'new' ? (
        <ContactForm initial={EMPTY} editing={false} busy={change.busy} errors={errors} onSubmit={(b) => void save(b)} onCancel={() => { back.request(); setEditing(null); }} />
      ) : (
        <div className="button-row">
          <button ref={back.ref} type="button" className="btn" onClick={() => { change.clearError(); setEditing('new'); }}>{t('records.contacts.add')}</button>
        </div>
      ))}
    </section>
  );
}
