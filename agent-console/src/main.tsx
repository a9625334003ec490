import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { fieldTokenOf } from './features/field/field-link';
import { initI18n } from './i18n';
import { prefs } from './state/prefs';
import { restoreSession } from './state/session';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';

initI18n(prefs.get().language);
const root = createRoot(document.getElementById('root')!);
const fieldToken = fieldTokenOf(window.location);
if (fieldToken !== null) {
  // A field worker's one-time link: the mobile field page, no staff sign-in (its code loads on demand).
  document.documentElement.classList.add('field-page');
  void import('./features/field/FieldApp').then(({ FieldApp }) => root.render(<StrictMode><FieldApp token={fieldToken} /></StrictMode>));
} else {
  void restoreSession();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
