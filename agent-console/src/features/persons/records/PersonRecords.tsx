import type { PersonDetail, RevealedIdentifiers } from '../../../api/wire';
import { ChangeHistory } from './ChangeHistory';
import { ContactsEditor } from './ContactsEditor';
import { DevicesEditor } from './DevicesEditor';
import { PhonesEditor } from './PhonesEditor';
import { ProfileEditor } from './ProfileEditor';
import { useCanEdit } from './use-record-change';

/** The profile editor under the profile facts (agents and supervisors only). */
export function PersonRecords({ person, onSaved }: { person: PersonDetail; onSaved: () => void }) {
  const canEdit = useCanEdit();
  return canEdit ? <ProfileEditor person={person} onSaved={onSaved} onReload={onSaved} /> : null;
}

/** The person page's record panels: contacts, phones, devices (each editable in place) and the change history. */
export function PersonRecordsPanels({ person, revealed, onSaved }: { person: PersonDetail; revealed: RevealedIdentifiers | null; onSaved: () => void }) {
  return (
    <>
      <div className="panel"><ContactsEditor person={person} revealed={revealed} onSaved={onSaved} /></div>
      <div className="panel"><DevicesEditor person={person} onSaved={onSaved} /></div>
      <div className="panel"><PhonesEditor person={person} onSaved={onSaved} /></div>
      <div className="panel"><ChangeHistory personId={person.id} revealed={revealed} /></div>
    </>
  );
}
