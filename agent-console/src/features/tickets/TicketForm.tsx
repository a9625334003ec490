import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { CALLER_RELATIONS, SERVICE_TYPES, TICKET_CATEGORIES, TICKET_CHANNELS, TICKET_PRIORITIES, type Ticket } from '../../api/wire';
import { errorText, fieldErrors } from '../../app/format';
import { registerCommand } from '../../app/hotkeys';
import { href } from '../../app/router';
import { ErrorNotice, SuccessNotice } from '../../components/Feedback';
import { CheckboxField, RadioGroup, SelectField, TextAreaField } from '../../components/Field';
import type { LiveCall } from '../../realtime/live-calls';
import { announce } from '../../state/announcer';
import { defaultPriority, draftFromCall, EMPTY_DRAFT, validateDraft, type DraftErrors, type OrderDraft } from './ticket-draft';

/** Drafts survive switching between calls (a new call ringing must not eat the order being typed). */
const drafts = new Map<string, OrderDraft>();

/** A fresh idempotency key (crypto.randomUUID needs a secure context; getRandomValues does not). */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `order-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export interface TicketFormProps {
  /** The call the order is about (workspace), or null for a walk-in / web order. */
  live: LiveCall | null;
  /** A person chosen outside a call (from the person page). */
  person?: { id: string; name: string } | null;
  /** Focus the first control on mount (Alt+N). */
  autoFocus?: boolean;
}

/** The work-order form: classify, prioritise, summarise, link the call; Alt+S / Ctrl+Enter saves. */
export function TicketForm({ live, person: personProp, autoFocus }: TicketFormProps) {
  const { t } = useTranslation();
  const key = live?.call.id ?? `person:${personProp?.id ?? ''}`;
  const chosen = live?.chosenPerson ?? live?.pop?.person ?? null; // a person chosen in the pop (e.g. of a shared landline) wins
  const person = chosen ? { id: chosen.id, name: chosen.name } : (personProp ?? null);
  const initial = useCallback(() => draftFromCall(live?.call ?? null, live?.pop ?? null, !!live?.chosenPerson && !live.pop?.person), [live]);
  const [draft, setDraft] = useState<OrderDraft>(() => drafts.get(key) ?? initial().draft);
  const [prefilled, setPrefilled] = useState(() => !drafts.has(key) && initial().prefilled);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<Ticket | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const summaryBox = useRef<HTMLDivElement>(null);
  // One idempotency key per form content: a double submit or a retry after a lost answer makes one order;
  // a saved order or an edited draft gets a new key.
  const idempotencyKey = useRef(newIdempotencyKey());
  useEffect(() => {
    idempotencyKey.current = newIdempotencyKey();
  }, [key, draft]);

  // A different call (or person) gets its own draft.
  const lastKey = useRef(key);
  useEffect(() => {
    if (lastKey.current === key) return;
    lastKey.current = key;
    const fresh = initial();
    setDraft(drafts.get(key) ?? fresh.draft);
    setPrefilled(!drafts.has(key) && fresh.prefilled);
    setErrors({});
    setServerError(null);
    setSaved(null);
  }, [key, initial]);

  useEffect(() => {
    drafts.set(key, draft);
  }, [key, draft]);

  useEffect(() => {
    if (autoFocus) form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [autoFocus, key]);

  const update = (patch: Partial<OrderDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = useCallback(async (e?: FormEvent) => {
    e?.preventDefault();
    if (saving) return;
    const found = validateDraft(draft);
    setErrors(found);
    setServerError(null);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => summaryBox.current?.focus());
      return;
    }
    setSaving(true);
    try {
      const ticket = await api.createTicket({
        category: draft.category as Exclude<OrderDraft['category'], ''>,
        serviceType: draft.category === 'life_service' && draft.serviceType ? draft.serviceType : undefined,
        priority: draft.priority,
        personId: person?.id,
        callerRelation: draft.callerRelation,
        channel: draft.channel,
        summary: draft.summary.trim(),
        callId: draft.linkCall && live ? live.call.id : undefined,
        confidential: draft.confidential,
      }, idempotencyKey.current);
      setSaved(ticket);
      drafts.delete(key);
      setDraft({ ...EMPTY_DRAFT, linkCall: !!live });
      setPrefilled(false);
      announce(t('ticketForm.saved', { number: ticket.number }));
    } catch (err) {
      const fields = fieldErrors(err, t);
      setErrors({ category: fields.category, serviceType: fields.serviceType, summary: fields.summary });
      setServerError(errorText(t, err));
    } finally {
      setSaving(false);
    }
  }, [draft, key, live, person, saving, t]);

  useEffect(() => registerCommand('save', () => void submit()), [submit]);

  const errorList = Object.entries(errors).filter(([, v]) => v) as [keyof DraftErrors, string][];
  const msg = (k?: string) => (k ? (k.includes('.') ? t(k) : k) : null);
  return (
    <form ref={form} className="ticket-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="ticket-form-title" data-testid="ticket-form">
      <h2 id="ticket-form-title" className="panel__title">{t('ticketForm.title')}</h2>
      <p className="muted">{t('ticketForm.intro')}</p>
      {prefilled && <p className="notice"><span aria-hidden="true">ⓘ </span>{t('ticketForm.prefilled')}</p>}
      {saved && (
        <SuccessNotice>
          {t('ticketForm.saved', { number: saved.number })} <a href={href(`/tickets/${saved.id}`)}>{t('ticketForm.openSaved', { number: saved.number })}</a>
        </SuccessNotice>
      )}
      <div ref={summaryBox} tabIndex={-1} className="error-summary-host">
        {errorList.length > 0 && (
          <div className="error-summary" role="alert">
            <p><strong>{t('ticketForm.errors')}</strong></p>
            <ul>
              {errorList.map(([field, m]) => (
                <li key={field}><a href={`#ticket-${field}`} onClick={(ev) => { ev.preventDefault(); focusField(field); }}>{msg(m)}</a></li>
              ))}
            </ul>
          </div>
        )}
        {serverError && errorList.length === 0 && <ErrorNotice message={serverError} />}
      </div>
      <p className="ticket-form__person">
        <strong>{t('ticketForm.person')}：</strong>
        {person ? <a href={href(`/persons/${person.id}`)}>{person.name}</a> : <span className="muted">{t('ticketForm.noPerson')}</span>}
      </p>
      <div id="ticket-category" tabIndex={-1}>
        <RadioGroup legend={t('tickets.category')} name="category" required value={draft.category} error={msg(errors.category)}
          options={TICKET_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
          onChange={(category) => update({ category, priority: defaultPriority(category), serviceType: category === 'life_service' ? draft.serviceType : '' })} />
      </div>
      {draft.category === 'life_service' && (
        <SelectField id="ticket-serviceType" label={`${t('tickets.serviceType')} *`} required value={draft.serviceType} error={msg(errors.serviceType)} onChange={(e) => update({ serviceType: e.target.value as OrderDraft['serviceType'] })}>
          <option value="">{t('personForm.choose')}</option>
          {SERVICE_TYPES.map((s) => <option key={s} value={s}>{t(`serviceType.${s}`)}</option>)}
        </SelectField>
      )}
      <div className="field-row">
        <SelectField label={t('tickets.priority')} value={draft.priority} onChange={(e) => update({ priority: e.target.value as OrderDraft['priority'] })}>
          {TICKET_PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
        </SelectField>
        <SelectField label={t('tickets.callerRelation')} value={draft.callerRelation} onChange={(e) => update({ callerRelation: e.target.value as OrderDraft['callerRelation'] })}>
          {CALLER_RELATIONS.map((r) => <option key={r} value={r}>{t(`relation.${r}`)}</option>)}
        </SelectField>
        <SelectField label={t('tickets.channel')} value={draft.channel} onChange={(e) => update({ channel: e.target.value as OrderDraft['channel'] })}>
          {TICKET_CHANNELS.map((c) => <option key={c} value={c}>{t(`channel.${c}`)}</option>)}
        </SelectField>
      </div>
      <TextAreaField id="ticket-summary" label={`${t('tickets.summary')} *`} hint={t('ticketForm.summaryHint')} required rows={4} maxLength={2000} value={draft.summary} error={msg(errors.summary)} onChange={(e) => update({ summary: e.target.value })} />
      {live && <CheckboxField label={t('ticketForm.linkCall')} checked={draft.linkCall} onChange={(e) => update({ linkCall: e.target.checked })} />}
      <CheckboxField label={t('tickets.confidential')} checked={draft.confidential} onChange={(e) => update({ confidential: e.target.checked })} />
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={saving} aria-keyshortcuts="Alt+S Control+Enter">
          {saving ? t('ticketForm.saving') : t('ticketForm.submit')} <kbd>Alt+S</kbd>
        </button>
      </div>
    </form>
  );
}

/** Move to the control of a field named in the error summary (the first radio for the category group). */
function focusField(field: string): void {
  const el = document.getElementById(`ticket-${field}`);
  const control = el?.matches('input, select, textarea') ? el : el?.querySelector<HTMLElement>('input, select, textarea');
  control?.focus();
}
