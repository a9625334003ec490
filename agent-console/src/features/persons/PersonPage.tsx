import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { RevealedIdentifiers } from '../../api/wire';
import { errorText } from '../../app/format';
import { href } from '../../app/router';
import { useAsync } from '../../app/use-async';
import { RiskBadge } from '../../components/Badges';
import { ErrorNotice, Loading, SuccessNotice } from '../../components/Feedback';
import { PageHeading } from '../../components/PageHeading';
import { OpenTickets, PersonFacts, RecentCalls } from './PersonParts';
import { PersonRecords, PersonRecordsPanels } from './records/PersonRecords';
import { PersonConsentPanel } from './PersonConsentPanel';
import { PersonStatusPanel } from './PersonStatusPanel';
import { RevealDialog } from './RevealDialog';

/** Its texts are dispatch's, added when the chunk loads (kept out of the initial bundle). */
const VisitPrefsPanel = lazy(() => import('./VisitPrefsPanel'));

/** A person's record, masked: profile, contacts, devices, open orders, recent calls; full values on request (audited, with a purpose). */
export function PersonPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const person = useAsync(() => api.person(id, 'console'), [id]);
  const [revealOpen, setRevealOpen] = useState(false);
  const [revealed, setRevealed] = useState<RevealedIdentifiers | null>(null);

  if (person.status === 'loading' && !person.data) return <Loading />;
  if (person.status === 'error' && !person.data) {
    return <><PageHeading>{t('persons.title')}</PageHeading><ErrorNotice message={t('persons.loadFailed', { message: errorText(t, person.error) })} onRetry={person.reload} /></>;
  }
  const p = person.data!;
  return (
    <div className="person-page">
      <PageHeading>{p.name} <RiskBadge tier={p.riskTier} /></PageHeading>
      <div className="button-row">
        <a className="btn btn--primary" href={href(`/tickets/new?person=${encodeURIComponent(p.id)}&name=${encodeURIComponent(p.name)}`)}>{t('pop.newOrder')}</a>
        {!revealed && <button type="button" className="btn" onClick={() => setRevealOpen(true)}>{t('person.reveal')}</button>}
      </div>
      {revealed && <SuccessNotice>{t('person.revealed')}</SuccessNotice>}
      <section className="panel" aria-labelledby="profile-title">
        <h2 id="profile-title" className="panel__title">{t('person.name')}：{p.name}</h2>
        <PersonFacts person={p} revealed={revealed} />
        <PersonRecords person={p} onSaved={person.reload} />
      </section>
      <div className="two-col">
        <PersonRecordsPanels person={p} revealed={revealed} onSaved={person.reload} />
        <div className="panel"><OpenTickets tickets={p.openTickets} headingLevel={2} /></div>
        <div className="panel"><RecentCalls calls={p.recentCalls} headingLevel={2} /></div>
      </div>
      <PersonStatusPanel personId={p.id} onChanged={person.reload} />
      <PersonConsentPanel personId={p.id} />
      <Suspense fallback={<Loading />}><VisitPrefsPanel personId={p.id} /></Suspense>
      <RevealDialog personId={p.id} open={revealOpen} onClose={() => setRevealOpen(false)} onRevealed={setRevealed} />
    </div>
  );
}
