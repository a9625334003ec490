import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { AgentDeviceState, PresenceView } from '../../api/wire';
import { errorText, formatDateTime } from '../../app/format';
import { useAsync } from '../../app/use-async';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { PageHeading } from '../../components/PageHeading';
import { getSocket } from '../../realtime/connection';

/** Supervisors' board: every agent's chosen status, queue sync, and the phone state the PBX reports, live. */
export function AgentsPage() {
  const { t, i18n } = useTranslation();
  const loaded = useAsync(() => api.agentPresence(), []);
  const [live, setLive] = useState<Record<string, PresenceView>>({});
  const [devices, setDevices] = useState<Record<string, AgentDeviceState>>({});

  useEffect(() => {
    const socket = getSocket();
    if (!socket) return;
    const onPresence = (v: PresenceView) => setLive((m) => ({ ...m, [v.userId]: v }));
    const onDevice = (d: AgentDeviceState) => setDevices((m) => ({ ...m, [d.agentExtension]: d }));
    socket.on('agent:presence-changed', onPresence);
    socket.on('agent:state-changed', onDevice);
    return () => {
      socket.off('agent:presence-changed', onPresence);
      socket.off('agent:state-changed', onDevice);
    };
  }, []);

  const rows = (loaded.data?.items ?? []).map((p) => live[p.userId] ?? p);
  return (
    <div>
      <PageHeading>{t('agents.title')}</PageHeading>
      {loaded.status === 'loading' && <Loading />}
      {loaded.status === 'error' && <ErrorNotice message={errorText(t, loaded.error)} onRetry={loaded.reload} />}
      {loaded.status === 'ready' && rows.length === 0 && <EmptyState>{t('agents.empty')}</EmptyState>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('agents.title')}</caption>
            <thead>
              <tr><th scope="col">{t('agents.name')}</th><th scope="col">{t('agents.state')}</th><th scope="col">{t('agents.since')}</th><th scope="col">{t('agents.queue')}</th><th scope="col">{t('agents.device')}</th></tr>
            </thead>
            <tbody>
              {rows.map((p) => {
                const d = p.extension ? devices[p.extension] : undefined;
                return (
                  <tr key={p.userId}>
                    <th scope="row">{p.displayName} <span className="muted">{p.extension ? t('app.extension', { ext: p.extension }) : t('app.noExtension')}</span></th>
                    <td>
                      {p.state === 'available' && p.softphone === 'unregistered' ? (
                        <span className="presence-tag presence-tag--no-phone">{t('presence.availableNoPhone')}</span>
                      ) : (
                        <span className={`presence-tag presence-tag--${p.state}`}>{t(`presence.${p.state}`)}</span>
                      )}
                      {p.reason && ` · ${p.reason}`}
                      {p.softphone === 'unregistered' && p.softphoneReason && <> · {t(`presence.noPhoneReason.${p.softphoneReason}`)}</>}
                    </td>
                    <td>{formatDateTime(p.changedAt, i18n.language)}</td>
                    <td>{t(`agents.queueStatus.${p.queue}`)}</td>
                    <td>{d ? `${d.state}${d.paused ? ` (${d.pausedReason ?? 'paused'})` : ''}` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
