import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { href, inSection } from '../../app/router';
import '../dispatch/dispatch.css';
import './people.css';
import { registerDispatchTexts } from '../../i18n/dispatch-texts';
import { CandidateEditPage } from './CandidateEditPage';
import { CandidateListPage } from './CandidateListPage';
import { ProviderEditPage } from './ProviderEditPage';
import { ProviderListPage } from './ProviderListPage';

registerDispatchTexts();

const TABS = [
  { path: '/people/providers', label: 'people.providers' },
  { path: '/people/workers', label: 'people.workers' },
  { path: '/people/volunteers', label: 'people.volunteers' },
] as const;

/** The three kinds of people as tabs (links, so each list has its own address). */
function PeopleTabs() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <nav className="subnav" aria-label={t('people.tabs')}>
      <ul>
        {TABS.map((tab) => (
          <li key={tab.path}><a href={href(tab.path)} aria-current={inSection(pathname, tab.path) ? 'page' : undefined}>{t(tab.label)}</a></li>
        ))}
      </ul>
    </nav>
  );
}

function ProviderRoute() {
  const { id = '' } = useParams();
  return <ProviderEditPage key={id} id={id} />;
}

function WorkerRoute() {
  const { id = '' } = useParams();
  return <CandidateEditPage key={id} kind="field-workers" id={id} />;
}

function VolunteerRoute() {
  const { id = '' } = useParams();
  return <CandidateEditPage key={id} kind="volunteers" id={id} />;
}

/**
 * 服务人员: providers (organisations), their field workers and volunteers — lists with search, create and edit
 * (skills, certificates with expiry, weekly availability and leave, service area). Loaded on first use.
 */
export function PeopleRoutes() {
  return (
    <div>
      <PeopleTabs />
      <Routes>
        <Route index element={<Navigate to="/people/providers" replace />} />
        <Route path="providers" element={<ProviderListPage />} />
        <Route path="providers/new" element={<ProviderEditPage />} />
        <Route path="providers/:id" element={<ProviderRoute />} />
        <Route path="workers" element={<CandidateListPage kind="field-workers" />} />
        <Route path="workers/new" element={<CandidateEditPage kind="field-workers" />} />
        <Route path="workers/:id" element={<WorkerRoute />} />
        <Route path="volunteers" element={<CandidateListPage kind="volunteers" />} />
        <Route path="volunteers/new" element={<CandidateEditPage kind="volunteers" />} />
        <Route path="volunteers/:id" element={<VolunteerRoute />} />
        <Route path="*" element={<Navigate to="/people/providers" replace />} />
      </Routes>
    </div>
  );
}
