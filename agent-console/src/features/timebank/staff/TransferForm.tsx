import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { VolunteerAccountSummary } from '../../../api/timebank-wire';
import type { PersonSummary } from '../../../api/wire';
import { ErrorNotice } from '../../../components/Feedback';
import { RadioGroup, SelectField, TextAreaField, TextField } from '../../../components/Field';
import { timebankApi } from '../timebank-api';
import { formatCoins, unitsFromCoins } from '../timebank-format';
import { newKey, PersonPicker, useAction, useDialogFocus, VolunteerPicker } from '../timebank-ui';

type ReceiverKind = 'person' | 'volunteer';

/**
 * 转赠给亲属: the volunteer asked to give coins to a direct relative, a person in the register or a relative who
 * volunteers too; staff record the relation (from the policy's direct relations) and a note. One idempotency key
 * per dialog, so a double submit transfers once; the server's refusals (balance, cap, relation) are shown translated.
 */
export function TransferForm({ volunteerId, balanceUnits, act, onDone }: { volunteerId: string; balanceUnits: number; act: ReturnType<typeof useAction>; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const settings = useQuery({ queryKey: ['timebank', 'settings'], queryFn: timebankApi.settings, staleTime: 5 * 60_000 });
  const [kind, setKind] = useState<ReceiverKind>('person');
  const [person, setPerson] = useState<PersonSummary | null>(null);
  const [volunteer, setVolunteer] = useState<VolunteerAccountSummary | null>(null);
  const [relation, setRelation] = useState('');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const key = useRef(newKey());
  const first = useDialogFocus<HTMLInputElement>();
  const relationName = (r: string) => t(`timebank.relationName.${r}`, { defaultValue: r });
  const relations = settings.data?.directRelations ?? [];
  const labels = { units: t('timebank.statement.transferAmount'), note: t('timebank.statement.transferNote'), relation: t('timebank.statement.relation') };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const units = unitsFromCoins(amount);
    const receiver = kind === 'person' ? person : volunteer;
    const problems: Record<string, string> = {};
    if (units === null) problems.units = t('errors.field.invalid');
    if (!relation) problems.relation = t('timebank.statement.pickRelation');
    setInvalid(problems);
    if (!receiver) {
      act.setError(t('timebank.statement.pickReceiver'));
      return;
    }
    if (units === null || !relation) return;
    const name = kind === 'person' ? person!.name : volunteer!.name;
    const done = await act.run(
      () => timebankApi.transfer(volunteerId, { ...(kind === 'person' ? { toPersonId: person!.id } : { toVolunteerId: volunteer!.volunteerId }), relation, units, note: note.trim(), idempotencyKey: key.current }),
      (r) => t('timebank.statement.transferred', { coins: formatCoins(r.units, i18n.language), name, relation: relationName(r.relation) }),
      labels,
    );
    if (done) onDone();
  };

  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      <p>{t('timebank.statement.transferHint', { relations: relations.map(relationName).join('、') })}</p>
      {act.error && <ErrorNotice message={act.error} />}
      <TextField ref={first} label={labels.units} required inputMode="decimal" value={amount} error={invalid.units ?? act.fields.units} onChange={(e) => setAmount(e.target.value)}
        hint={t('timebank.statement.balanceHint', { coins: formatCoins(balanceUnits, i18n.language) })} />
      <RadioGroup<ReceiverKind> legend={t('timebank.statement.transferTo')} name="tb-transfer-kind" value={kind} onChange={setKind}
        options={[{ value: 'person', label: t('timebank.statement.toPerson') }, { value: 'volunteer', label: t('timebank.statement.toVolunteer') }]} />
      {kind === 'person'
        ? <PersonPicker label={t('timebank.statement.transferPerson')} picked={person} onPick={setPerson} />
        : <VolunteerPicker label={t('timebank.statement.transferVolunteer')} picked={volunteer} onPick={setVolunteer} />}
      <SelectField label={labels.relation} required value={relation} error={invalid.relation ?? act.fields.relation} onChange={(e) => setRelation(e.target.value)}>
        <option value="">{t('timebank.statement.pickRelation')}</option>
        {relations.map((r) => <option key={r} value={r}>{relationName(r)}</option>)}
      </SelectField>
      <TextAreaField label={labels.note} required rows={2} value={note} error={act.fields.note} onChange={(e) => setNote(e.target.value)} />
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.statement.transferSubmit')}</button>
      </div>
    </form>
  );
}
