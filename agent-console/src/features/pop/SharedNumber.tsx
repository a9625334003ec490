import { useTranslation } from 'react-i18next';
import type { PersonSummary } from '../../api/wire';
import { href } from '../../app/router';
import { choosePerson, type LiveCall } from '../../realtime/live-calls';

/**
 * A call from a shared family landline: the other persons who own the number, each with a link to the record
 * and a button to open the order for them instead (the pop's person stays the default).
 */
export function SharedNumber({ live }: { live: LiveCall }) {
  const { t } = useTranslation();
  const shared = live.pop?.sharedWith ?? [];
  if (shared.length === 0) return null;
  return (
    <section className="pop__shared" aria-label={t('records.shared.title')}>
      <p>{t('records.shared.title')}</p>
      <ul className="plain-list">
        {shared.map((s) => (
          <li key={s.personId}>
            <a href={href(`/persons/${s.personId}`)}>{s.name}</a>{' '}
            <button type="button" className="btn btn--small" aria-pressed={live.chosenPerson?.id === s.personId} onClick={() => choosePerson(live.call.id, live.chosenPerson?.id === s.personId ? undefined : ({ id: s.personId, name: s.name } as PersonSummary))}>
              {t('records.shared.choose', { name: s.name })}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
