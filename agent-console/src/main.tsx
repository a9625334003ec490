import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { initI18n } from './i18n';
import { prefs } from './state/prefs';
import { restoreSession } from './state/session';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';

initI18n(prefs.get().language);
void restoreSession();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
