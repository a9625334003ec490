import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { registerCommand } from '../../app/hotkeys';
import { href } from '../../app/router';
import { liveCalls } from '../../realtime/live-calls';
import { announce } from '../../state/announcer';
import { prefs } from '../../state/prefs';
import { session } from '../../state/session';
import { useStore } from '../../state/store';
import { startSiren, stopSiren } from './alarm-sound';
import { SosActions } from './SosActions';
import { acknowledgeAll, openIncidents, sosIncidents } from './sos-store';

/**
 * SOS alerting, three ways at once: a flashing banner (one flash per second, steady with reduced motion),
 * text announced assertively, and a siren (unless sounds are off). It covers server SOS incidents
 * (`sos:raised`: buttons, device alarms, SOS calls) and SOS calls popping on this console, and stays until
 * someone takes it (Alt+K, the button, answering the call, or another agent).
 */
export function SosBanner() {
  const { t, i18n } = useTranslation();
  const incidents = useStore(sosIncidents, openIncidents);
  const all = useStore(sosIncidents);
  const callAlerts = useStore(liveCalls, (s) => s.sos.filter((a) => !a.acknowledged));
  const calls = callAlerts.filter((a) => !incidents.some((i) => i.alert.fromMasked && i.alert.fromMasked === a.from));
  const sound = useStore(prefs, (p) => p.sound);
  const me = useStore(session, (s) => (s.status === 'signed-in' ? s.user.userId : null));
  const key = [...incidents.map((i) => i.alert.sosId), ...calls.map((a) => a.callId)].join(',');
  const active = incidents.length + calls.length > 0;

  useEffect(() => {
    if (active && sound) startSiren();
    else stopSiren();
    return stopSiren;
  }, [active, sound]);

  const announced = useRef(new Set<string>());
  useEffect(() => {
    for (const i of incidents) {
      if (announced.current.has(i.alert.sosId)) continue;
      announced.current.add(i.alert.sosId);
      announce(t('sos.announce', { name: i.alert.personName ?? i.alert.fromMasked ?? i.alert.ticketNumber }), 'assertive');
    }
    for (const a of calls) {
      if (announced.current.has(a.callId)) continue;
      announced.current.add(a.callId);
      announce(t('sos.announce', { name: a.name ?? a.from ?? t('app.unknown') }), 'assertive');
    }
  }, [key]);

  // Someone else took it: say who, once. A further press of a taken SOS is said once, politely (no alarm).
  const told = useRef(new Set<string>());
  useEffect(() => {
    for (const i of Object.values(all)) {
      if (!i.acknowledged) continue;
      const person = i.alert.personName ?? i.alert.fromMasked ?? '';
      if (i.acknowledged.byName === null) {
        const press = `${i.alert.sosId}@${i.alert.raisedAt}`;
        if (told.current.has(press)) continue;
        told.current.add(press);
        announce(t('sos.repeatTaken', { person, number: i.alert.ticketNumber }));
        continue;
      }
      if (told.current.has(i.alert.sosId) || i.acknowledged.byUserId === me) continue;
      told.current.add(i.alert.sosId);
      announce(t('sos.takenBy', { name: i.acknowledged.byName, person }));
    }
  }, [all, me, t]);

  const acknowledge = async () => {
    const { names, failures } = await acknowledgeAll();
    for (const name of names) announce(t('sos.acknowledged', { name }));
    for (const f of failures) announce(t('sos.ackFailed', { message: f }), 'assertive');
  };
  useEffect(() => registerCommand('ackSos', () => void acknowledge()));

  // An SOS closed while the user worked in the banner (its buttons or reason dialog are gone): keep focus
  // in the banner, or move it to the main content when the banner goes away — never lose it to the page.
  const banner = useRef<HTMLDivElement>(null);
  const focusInBanner = useRef(false);
  useEffect(() => {
    const track = () => (focusInBanner.current = !!banner.current?.contains(document.activeElement));
    document.addEventListener('focusin', track);
    return () => document.removeEventListener('focusin', track);
  }, []);
  useEffect(() => {
    if (!focusInBanner.current) return;
    requestAnimationFrame(() => {
      if (document.activeElement && document.activeElement !== document.body) return;
      focusInBanner.current = false;
      (banner.current?.querySelector<HTMLElement>('button') ?? document.getElementById('main'))?.focus();
    });
  }, [key]);

  if (!active) return null;
  return (
    <div className="sos-banner" role="alert" data-testid="sos-banner" ref={banner}>
      <span className="sos-banner__icon" aria-hidden="true">⚠</span>
      <div className="sos-banner__text">
        <strong>{t('sos.banner')}</strong>
        {incidents.map((i) => {
          const last = i.escalation.at(-1);
          return (
            <div key={i.alert.sosId} className="sos-banner__incident">
              {t('sos.detail', { name: i.alert.personName ?? t('pop.unknownCaller'), from: i.alert.fromMasked ?? i.alert.deviceSerial ?? '' })}{' '}
              <a className="sos-banner__link" href={href(`/tickets/${i.alert.ticketId}`)}>{t('sos.ticket', { number: i.alert.ticketNumber })}</a>
              {i.alert.silent && <> · {t('sos.silent')}</>}
              {last ? <> · {t('sos.escalated', { step: last.step, steps: last.steps, title: last.title })}</> : i.alert.escalatesAt && <> · {t('sos.escalatesAt', { time: formatDateTime(i.alert.escalatesAt, i18n.language) })}</>}
              <SosActions sosId={i.alert.sosId} status="active" who={i.alert.personName ?? i.alert.fromMasked ?? i.alert.ticketNumber} onDone={() => undefined} onDark />
            </div>
          );
        })}
        {calls.map((a) => <p key={a.callId}>{t('sos.detail', { name: a.name ?? t('pop.unknownCaller'), from: a.from ?? '' })}</p>)}
        {!sound && <p className="sos-banner__muted">{t('sos.soundOff')}</p>}
      </div>
      <button type="button" className="btn btn--on-dark" onClick={() => void acknowledge()} aria-keyshortcuts="Alt+K">
        {t('sos.acknowledge')}
      </button>
    </div>
  );
}
