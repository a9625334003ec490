import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { href } from '../../app/router';
import { EmptyState } from '../../components/Feedback';
import { dismissCall, focusCall, focusedCall, liveCalls, type LiveCall } from '../../realtime/live-calls';
import { announce } from '../../state/announcer';
import { prefs } from '../../state/prefs';
import { useStore } from '../../state/store';
import { ContactList, DeviceList, OpenTickets, PersonFacts, RecentCalls, useDisabilityText } from '../persons/PersonParts';
import { chime } from '../sos/alarm-sound';
import { ivrChoiceText } from './ivr-choice';
import { UnknownCaller } from './UnknownCaller';
import { SharedNumber } from './SharedNumber';

/**
 * Marks when a pop is on screen: `anxin:pop-commit` when React committed it, `anxin:pop-paint` at the next
 * animation frame, both measured from the moment the `call:ringing` notice arrived. The benchmark reads them.
 */
function useRenderMark(live: LiveCall | null) {
  const marked = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!live?.pop || marked.current === live.call.id) return;
    marked.current = live.call.id;
    const { receivedAt } = live;
    const id = live.call.id;
    performance.measure('anxin:pop-commit', { start: receivedAt, end: performance.now(), detail: id });
    requestAnimationFrame(() => performance.measure('anxin:pop-paint', { start: receivedAt, end: performance.now(), detail: id }));
  }, [live]);
}

/** What the agent hears when a call pops: name and the facts that change how to talk to them. */
function useAnnouncePop(live: LiveCall | null) {
  const { t } = useTranslation();
  const disability = useDisabilityText();
  const announced = useRef<string | null>(null);
  useEffect(() => {
    if (!live?.pop || live.call.status !== 'ringing' || announced.current === live.call.id) return;
    announced.current = live.call.id;
    const { person, fromMasked, isSos } = live.pop;
    if (!isSos && prefs.get().sound) chime();
    if (isSos) return; // the SOS banner announces it assertively
    if (!person) return announce(t('pop.announceUnknown', { from: fromMasked ?? t('app.unknown') }));
    const detail = [disability(person.disabilityCategory, person.disabilityLevel), t(`risk.${person.riskTier}`), t(`communication.${person.communicationNeed}`)].join('，');
    announce(t('pop.announce', { name: person.name, detail }));
  }, [live, t, disability]);
}

/** The screen pop: who is calling (before answering), with everything needed to help them. */
export function ScreenPop() {
  const { t } = useTranslation();
  const live = useStore(liveCalls, focusedCall);
  const others = useStore(liveCalls, (s) => s.calls.filter((c) => c.call.id !== s.focusId && c.call.status !== 'ended'));
  useRenderMark(live);
  useAnnouncePop(live);

  return (
    <section id="pop" className="panel pop" aria-labelledby="pop-title" tabIndex={-1} data-testid="screen-pop">
      <h2 id="pop-title" className="panel__title">{t('pop.region')}</h2>
      {!live && <EmptyState>{t('pop.empty')}</EmptyState>}
      {live && <PopBody live={live} />}
      {others.length > 0 && (
        <nav aria-label={t('pop.otherCalls')} className="pop__others">
          <h3>{t('pop.otherCalls')}</h3>
          <ul className="plain-list">
            {others.map((c) => (
              <li key={c.call.id}>
                <button type="button" className="btn btn--small" onClick={() => focusCall(c.call.id)}>
                  {c.pop?.person?.name ?? c.pop?.fromMasked ?? c.call.toE164 ?? c.call.id} · {t(`callStatus.${c.call.status}`)}
                  {c.pop?.isSos && ' · SOS'}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </section>
  );
}

function PopBody({ live }: { live: LiveCall }) {
  const { t } = useTranslation();
  const { call, pop } = live;
  const person = pop?.person ?? null;
  const sosLink = useStore(liveCalls, (s) => s.sosLinks[call.id]);
  const status = call.direction === 'outbound' ? t('pop.dialing') : call.status === 'ringing' || call.status === 'queued' ? t('pop.ringing') : call.status === 'answered' ? t('pop.answered') : call.status === 'ended' ? t('pop.ended') : t(`callStatus.${call.status}`);
  return (
    <article className={`pop__call${pop?.isSos ? ' pop__call--sos' : ''}`} aria-label={person?.name ?? pop?.fromMasked ?? t('pop.unknownCaller')} data-call-id={call.id}>
      <header className="pop__head">
        <p className="pop__status">
          <span className={`badge badge--call-${call.status}`}>{status}</span>
          {pop?.isSos && <span className="badge badge--sos"><span aria-hidden="true">⚠ </span>SOS</span>}
        </p>
        <p className="pop__name" data-testid="pop-name">
          {person ? person.name : call.direction === 'outbound' ? (call.toE164 ?? '') : t('pop.unknownCaller')}
        </p>
        <dl className="facts facts--inline">
          {pop && <div><dt>{t('pop.from')}</dt><dd className="mono">{pop.fromMasked ?? '—'}</dd></div>}
          {pop?.queue && <div><dt>{t('pop.queue')}</dt><dd>{pop.queue}</dd></div>}
          {pop?.ivrChoice && (
            <div><dt>{t('pop.ivr')}</dt><dd data-testid="pop-ivr">{ivrChoiceText(t, pop.ivrChoice)}</dd></div>
          )}
        </dl>
        <div className="button-row">
          {sosLink && <a className="btn btn--small" href={href(`/tickets/${sosLink.ticketId}`)} data-testid="pop-sos-order">{t('pop.openSosOrder', { number: sosLink.ticketNumber })}</a>}
          {person && <a className="btn btn--small" href={href(`/persons/${person.id}`)}>{t('pop.openPerson')}</a>}
          {call.status === 'ended' && (
            <button type="button" className="btn btn--small btn--ghost" onClick={() => dismissCall(call.id)}>{t('pop.dismiss')}</button>
          )}
        </div>
      </header>
      <SharedNumber live={live} />
      {person && (
        <div className="pop__grid">
          <PersonFacts person={person} />
          <ContactList contacts={person.contacts} />
          <OpenTickets tickets={person.openTickets} />
          <RecentCalls calls={person.recentCalls} />
          <DeviceList devices={person.devices} />
        </div>
      )}
      {pop && !person && <UnknownCaller live={live} />}
    </article>
  );
}
