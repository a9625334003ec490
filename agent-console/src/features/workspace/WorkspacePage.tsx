import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { registerCommand } from '../../app/hotkeys';
import { PageHeading } from '../../components/PageHeading';
import { focusedCall, liveCalls } from '../../realtime/live-calls';
import { session } from '../../state/session';
import { useStore } from '../../state/store';
import { ScreenPop } from '../pop/ScreenPop';
import { SosCallOrder } from '../pop/SosCallOrder';
import { SoftphonePanel } from '../softphone/SoftphonePanel';
import { TicketForm } from '../tickets/TicketForm';
import { PresenceControl } from './PresenceControl';

/**
 * The agent's workspace: status and softphone, the screen pop of the current call, and the work-order form
 * for it, side by side on a wide screen and stacked (in that reading order) on a narrow one.
 */
export function WorkspacePage() {
  const { t } = useTranslation();
  const live = useStore(liveCalls, focusedCall);
  const sosLink = useStore(liveCalls, (s) => s.sosLinks[focusedCall(s)?.call.id ?? '']);
  const role = useStore(session, (s) => (s.status === 'signed-in' ? s.user.role : null));
  const [focusForm, setFocusForm] = useState(0);

  useEffect(() => registerCommand('newOrder', () => setFocusForm((n) => n + 1)), []);

  return (
    <div className="workspace">
      <PageHeading>{t('nav.workspace')}</PageHeading>
      <div className="workspace__grid">
        <div className="workspace__side">
          {role === 'agent' || role === 'supervisor' ? <PresenceControl /> : null}
          <SoftphonePanel />
        </div>
        <ScreenPop />
        <section className="panel workspace__order" aria-labelledby="ticket-form-title">
          {sosLink ? <SosCallOrder link={sosLink} /> : <TicketForm key={focusForm} live={live} autoFocus={focusForm > 0} />}
        </section>
      </div>
    </div>
  );
}
