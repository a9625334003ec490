import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shanghaiToday } from './cert-status';
import { SelectField, TextField } from '../../components/Field';
import { WEEKDAYS, type AbsenceRow, type SlotRow, type Weekday } from './people-vocabulary';

/** Whether a slot reads `HH:MM` to `HH:MM` (to may be 24:00) with the end after the start. */
export function slotProblem(s: SlotRow): 'bad-time' | null {
  const ok = (v: string) => /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(v);
  return ok(s.from) && ok(s.to) && s.from < s.to ? null : 'bad-time';
}

/**
 * The weekly pattern (day, from, to) and the exceptions (leave, sick: from – to dates). Adding a row moves the
 * focus into it; removing one returns it to the add button.
 */
export function AvailabilityEditor({ slots, absences, onSlots, onAbsences, errors = {} }: {
  slots: SlotRow[];
  absences: AbsenceRow[];
  onSlots: (rows: SlotRow[]) => void;
  onAbsences: (rows: AbsenceRow[]) => void;
  errors?: Record<string, string>;
}) {
  const { t } = useTranslation();
  const addSlotRef = useRef<HTMLButtonElement>(null);
  const addAbsenceRef = useRef<HTMLButtonElement>(null);
  const newSlotRef = useRef<HTMLSelectElement>(null);
  const newAbsenceRef = useRef<HTMLSelectElement>(null);
  const [focusNew, setFocusNew] = useState<'slot' | 'absence' | null>(null);
  useEffect(() => {
    if (focusNew === 'slot') newSlotRef.current?.focus();
    if (focusNew === 'absence') newAbsenceRef.current?.focus();
    setFocusNew(null);
  }, [focusNew]);
  const day = (d: Weekday) => t(`people.weekday.${d}`);
  const setSlot = (i: number, patch: Partial<SlotRow>) => onSlots(slots.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setAbsence = (i: number, patch: Partial<AbsenceRow>) => onAbsences(absences.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <>
      <fieldset className="fieldset">
        <legend>{t('people.availability')}</legend>
        {slots.length === 0 && <p className="notice notice--warn">{t('people.noSlots')}</p>}
        <ul className="plain-list">
          {slots.map((s, i) => (
            <li key={i} className="row-editor">
              <SelectField ref={i === slots.length - 1 ? newSlotRef : undefined} label={t('people.slotDay')} value={String(s.weekday)} onChange={(e) => setSlot(i, { weekday: Number(e.target.value) as Weekday })}>
                {WEEKDAYS.map((d) => <option key={d} value={d}>{day(d)}</option>)}
              </SelectField>
              <TextField label={t('people.slotFrom')} hint={t('people.timeHint')} inputMode="numeric" autoComplete="off" maxLength={5} value={s.from} onChange={(e) => setSlot(i, { from: e.target.value })} error={errors[`weekly.${i}`] ?? errors[`weekly.${i}.from`]} />
              <TextField label={t('people.slotTo')} hint={t('people.timeHint24')} inputMode="numeric" autoComplete="off" maxLength={5} value={s.to} onChange={(e) => setSlot(i, { to: e.target.value })} error={errors[`weekly.${i}.to`]} />
              <button type="button" className="btn btn--small" aria-label={t('people.slotRemove', { day: day(s.weekday), from: s.from, to: s.to })} onClick={() => {
                onSlots(slots.filter((_, j) => j !== i));
                addSlotRef.current?.focus();
              }}>✕</button>
            </li>
          ))}
        </ul>
        <button ref={addSlotRef} type="button" className="btn btn--small" onClick={() => {
          onSlots([...slots, { weekday: 1, from: '08:00', to: '18:00' }]);
          setFocusNew('slot');
        }}>{t('people.slotAdd')}</button>
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('people.absences')}</legend>
        {absences.length === 0 && <p className="muted">{t('app.none')}</p>}
        <ul className="plain-list">
          {absences.map((a, i) => (
            <li key={i} className="row-editor">
              <SelectField ref={i === absences.length - 1 ? newAbsenceRef : undefined} label={t('people.absenceKind')} value={a.kind} onChange={(e) => setAbsence(i, { kind: e.target.value as AbsenceRow['kind'] })}>
                <option value="leave">{t('people.absence.leave')}</option>
                <option value="sick">{t('people.absence.sick')}</option>
              </SelectField>
              <TextField label={t('people.absenceFrom')} hint={t('people.dateHint')} inputMode="numeric" autoComplete="off" maxLength={10} value={a.from} onChange={(e) => setAbsence(i, { from: e.target.value })} error={errors[`absences.${i}.from`]} />
              <TextField label={t('people.absenceTo')} hint={t('people.dateHint')} inputMode="numeric" autoComplete="off" maxLength={10} value={a.to} onChange={(e) => setAbsence(i, { to: e.target.value })} error={errors[`absences.${i}`] ?? errors[`absences.${i}.to`]} />
              <button type="button" className="btn btn--small" aria-label={t('people.absenceRemove', { kind: t(`people.absence.${a.kind}`), from: a.from, to: a.to })} onClick={() => {
                onAbsences(absences.filter((_, j) => j !== i));
                addAbsenceRef.current?.focus();
              }}>✕</button>
            </li>
          ))}
        </ul>
        <button ref={addAbsenceRef} type="button" className="btn btn--small" onClick={() => {
          const today = shanghaiToday();
          onAbsences([...absences, { kind: 'leave', from: today, to: today }]);
          setFocusNew('absence');
        }}>{t('people.absenceAdd')}</button>
      </fieldset>
    </>
  );
}
