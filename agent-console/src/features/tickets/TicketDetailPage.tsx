import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { ACTIONS_NEEDING_NOTE, SATISFACTION, type Satisfaction, type TicketAction, type TicketDetail } from '../../api/wire';
import { errorText, formatDateTime, formatPhone } from '../../app/format';
import { href } from '../../app/router';
import { useAsync } from '../../app/use-async';
import { PriorityBadge, StatusBadge } from '../../components/Badges';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../../components/Feedback';
import { SelectField, TextAreaField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';
import { callEndNotes } from '../calls/call-end';
import { DialButton } from '../calls/DialButton';
import { SosActions } from '../sos/SosActions';

/** One work order: its facts, the lifecycle buttons its state allows, notes, linked calls and the timeline. */
export function TicketDetailPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const ticket = useAsync(() => api.ticket(id), [id]);
  const personId = ticket.data?.personId;
  const person = useAsync(() => (personId ? api.person(personId, `ticket ${id}`) : Promise.resolve(null)), [personId]);
  // The SOS panel goes away when its SOS ends: focus moves on to the order's actions, not to the page top.
  const sosId = ticket.data?.sos?.id ?? null;
  const hadSos = useRef<string | null>(null);
  useEffect(() => {
    if (hadSos.current && !sosId) document.getElementById('actions-title')?.focus();
    hadSos.current = sosId;
  }, [sosId]);

  if (ticket.status === 'loading' && !ticket.data) return <Loading />;
  if (ticket.status === 'error' && !ticket.data) return <><PageHeading>{t('tickets.title')}</PageHeading><ErrorNotice message={errorText(t, ticket.error)} onRetry={ticket.reload} /></>;
  const tk = ticket.data!;
  const phone = person.data?.phones.find((p) => p.kind !== 'sos_device');
  const who = person.data?.name ?? tk.number;
  return (
    <div className="ticket-detail">
      <p><a href={href('/tickets')}>← {t('ticketDetail.back')}</a></p>
      <PageHeading>{t('ticketDetail.title', { number: tk.number })}</PageHeading>
      {tk.sos && <SosPanel sos={tk.sos} who={who} onDone={ticket.reload} />}
      <div className="two-col">
        <section className="panel" aria-labelledby="facts-title">
          <h2 id="facts-title" className="panel__title">{t('ticketDetail.facts')}</h2>
          <dl className="facts">
            <div><dt>{t('tickets.status')}</dt><dd><StatusBadge status={tk.status} /></dd></div>
            <div><dt>{t('tickets.priority')}</dt><dd><PriorityBadge priority={tk.priority} /></dd></div>
            <div><dt>{t('tickets.category')}</dt><dd>{t(`category.${tk.category}`)}{tk.serviceType && ` · ${t(`serviceType.${tk.serviceType}`)}`}</dd></div>
            <div><dt>{t('tickets.channel')}</dt><dd>{t(`channel.${tk.channel}`)}</dd></div>
            <div><dt>{t('tickets.callerRelation')}</dt><dd>{t(`relation.${tk.callerRelation}`)}</dd></div>
            <div><dt>{t('tickets.slaDueAt')}</dt><dd>{formatDateTime(tk.slaDueAt, i18n.language)}</dd></div>
            <div className="facts__wide"><dt>{t('tickets.summary')}</dt><dd>{tk.summary}</dd></div>
            <div className="facts__wide">
              <dt>{t('tickets.person')}</dt>
              <dd>
                {!tk.personId && <span className="muted">{t('tickets.noPerson')}</span>}
                {person.data && <a href={href(`/persons/${person.data.id}`)}>{person.data.name}</a>}
                {phone && <> · <span className="mono">{phone.masked}</span> <DialButton dial={{ personId: person.data!.id, phoneId: phone.id, ticketId: tk.id }} target={person.data!.name} /></>}
              </dd>
            </div>
            {tk.confidential && <div><dt>{t('tickets.confidential')}</dt><dd>{t('app.yes')}</dd></div>}
            {tk.satisfaction && <div><dt>{t('ticketDetail.satisfaction')}</dt><dd>{t(`satisfaction.${tk.satisfaction}`)}</dd></div>}
          </dl>
        </section>
        <section className="panel" aria-labelledby="actions-title">
          <h2 id="actions-title" className="panel__title" tabIndex={-1}>{t('ticketDetail.actions')}</h2>
          <ActionForm ticket={tk} onDone={ticket.reload} />
          <NoteForm ticketId={tk.id} onDone={ticket.reload} />
        </section>
      </div>
      <section className="panel" aria-labelledby="calls-title">
        <h2 id="calls-title" className="panel__title">{t('ticketDetail.calls')}</h2>
        {tk.calls.length === 0 ? <EmptyState>{t('ticketDetail.noCalls')}</EmptyState> : (
          <ul className="card-list">
            {tk.calls.map((c) => (
              <li key={c.id}>{formatDateTime(c.offeredAt, i18n.language)} · {c.direction === 'inbound' ? t('calls.inbound') : t('calls.outbound')} · {t(`callStatus.${c.status}`)}{callEndNotes(t, c, i18n.language).map((note) => ` · ${note}`)} · {formatPhone(c.fromE164)}{c.agentExtension && ` · ${t('app.extension', { ext: c.agentExtension })}`}</li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="timeline-title">
        <h2 id="timeline-title" className="panel__title">{t('ticketDetail.timeline')}</h2>
        <ol className="timeline">
          {tk.events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>{' '}
              <strong>{eventLabel(t, e.kind)}</strong>
              {e.toStatus && e.kind !== 'created' && <> → {t(`ticketStatus.${e.toStatus}`, { defaultValue: e.toStatus })}</>}
              {e.note && e.kind !== 'call_linked' && <p className="timeline__note">{e.note}</p>}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

/** The order's open SOS: what it means now and the SOS actions (the only way to stop its chain). */
function SosPanel({ sos, who, onDone }: { sos: NonNullable<TicketDetail['sos']>; who: string; onDone: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  return (
    <section className="panel sos-panel" aria-labelledby="sos-panel-title" data-testid="ticket-sos">
      <h2 id="sos-panel-title" className="panel__title" ref={heading} tabIndex={-1}>{t('sosActions.panel')}</h2>
      <p>{t(sos.status === 'active' ? 'sosActions.statusActive' : 'sosActions.statusAcknowledged')}</p>
      <SosActions sosId={sos.id} status={sos.status} who={who} onDone={onDone} fallbackFocus={() => heading.current ?? document.getElementById('actions-title')} />
    </section>
  );
}

function eventLabel(t: (k: string, o?: Record<string, unknown>) => string, kind: string): string {
  if (kind.startsWith('sos_')) return t(`sosEvent.${kind}`, { defaultValue: kind });
  if (kind === 'created') return t('ticketDetail.eventCreated');
  if (kind === 'note') return t('ticketDetail.eventNote');
  if (kind === 'call_linked') return t('ticketDetail.eventCallLinked');
  return t(`ticketAction.${kind}`, { defaultValue: kind });
}

/** The lifecycle buttons the server allows for this state; actions that need a reason ask for one. */
function ActionForm({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const [action, setAction] = useState<TicketAction | ''>('');
  const [note, setNote] = useState('');
  const [satisfaction, setSatisfaction] = useState<Satisfaction | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (ticket.allowedActions.length === 0) return <EmptyState>{t('ticketDetail.noActions')}</EmptyState>;
  const needsNote = action !== '' && ACTIONS_NEEDING_NOTE.includes(action);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!action) return;
    if (needsNote && !note.trim()) return setError(t('ticketDetail.noteRequired'));
    if (action === 'record_callback' && !satisfaction) return setError(t('ticketDetail.satisfaction'));
    setBusy(true);
    setError(null);
    try {
      await api.transition(ticket.id, { action, note: note.trim() || undefined, satisfaction: satisfaction || undefined, version: ticket.version });
      const message = t('ticketDetail.done', { action: t(`ticketAction.${action}`) });
      setDone(message);
      announce(message);
      setAction('');
      setNote('');
      onDone();
    } catch (err) {
      const code = err instanceof ApiError ? err.code : null;
      setError(
        code === 'conflict' ? t('ticketDetail.conflict')
        : code === 'auth/forbidden' ? t('ticketDetail.forbidden')
        : code === 'ticket/invalid-transition' && ticket.sos ? t('ticketDetail.sosBlocks')
        : errorText(t, err),
      );
      if (code === 'conflict' || code === 'auth/forbidden' || code === 'ticket/invalid-transition') onDone(); // show what is allowed now
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="action-form">
      {done && <SuccessNotice>{done}</SuccessNotice>}
      <fieldset className="radio-group">
        <legend className="field__label">{t('ticketDetail.actions')}</legend>
        <div className="radio-group__options">
          {ticket.allowedActions.map((a) => (
            <label key={a} className="radio">
              <input type="radio" name="action" value={a} checked={action === a} onChange={() => setAction(a)} />
              <span>{t(`ticketAction.${a}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {action === 'record_callback' && (
        <SelectField label={`${t('ticketDetail.satisfaction')} *`} value={satisfaction} onChange={(e) => setSatisfaction(e.target.value as Satisfaction)}>
          <option value="">{t('personForm.choose')}</option>
          {SATISFACTION.map((s) => <option key={s} value={s}>{t(`satisfaction.${s}`)}</option>)}
        </SelectField>
      )}
      {action !== '' && <TextAreaField label={`${t('ticketDetail.note')}${needsNote ? ' *' : ''}`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} required={needsNote} />}
      {error && <ErrorNotice message={error} />}
      <button type="submit" className="btn btn--primary" disabled={!action || busy}>{t('app.confirm')}</button>
    </form>
  );
}

function NoteForm({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return;
    try {
      await api.addNote(ticketId, note.trim());
      setNote('');
      setDone(true);
      setError(null);
      announce(t('ticketDetail.noteAdded'));
      onDone();
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="note-form">
      <TextAreaField label={t('ticketDetail.noteLabel')} rows={2} value={note} onChange={(e) => { setNote(e.target.value); setDone(false); }} />
      {error && <ErrorNotice message={error} />}
      {done && <SuccessNotice>{t('ticketDetail.noteAdded')}</SuccessNotice>}
      <button type="submit" className="btn" disabled={!note.trim()}>{t('ticketDetail.addNote')}</button>
    </form>
  );
}
