import { useTranslation } from 'react-i18next';
import { CheckboxField, TextField } from '../../components/Field';

/** A group of checkboxes for a closed list (skills, services), in a fieldset with a legend. */
export function CodeChecklist<C extends string>({ legend, codes, value, onChange, label, error }: {
  legend: string;
  codes: readonly C[];
  value: readonly C[];
  onChange: (next: C[]) => void;
  label: (code: C) => string;
  error?: string | null;
}) {
  return (
    <fieldset className="fieldset checklist" aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      {error && <span className="field__error"><span aria-hidden="true">✖ </span>{error}</span>}
      <div className="checklist__items">
        {codes.map((c) => (
          <CheckboxField key={c} label={label(c)} checked={value.includes(c)} onChange={(e) => onChange(e.target.checked ? [...value, c] : value.filter((x) => x !== c))} />
        ))}
      </div>
    </fieldset>
  );
}

export interface AreaForm {
  lat: string;
  lng: string;
  radiusKm: string;
}

/** The service area: a centre (latitude, longitude) and a radius in km. */
export function ServiceAreaFields({ value, onChange, errors = {} }: { value: AreaForm; onChange: (next: AreaForm) => void; errors?: Record<string, string> }) {
  const { t } = useTranslation();
  return (
    <fieldset className="fieldset">
      <legend>{t('people.area')}</legend>
      <p className="field__hint">{t('people.areaHint')}</p>
      <div className="field-row">
        <TextField label={t('people.areaLat')} inputMode="decimal" autoComplete="off" value={value.lat} onChange={(e) => onChange({ ...value, lat: e.target.value })} error={errors.lat} required />
        <TextField label={t('people.areaLng')} inputMode="decimal" autoComplete="off" value={value.lng} onChange={(e) => onChange({ ...value, lng: e.target.value })} error={errors.lng} required />
        <TextField label={t('people.areaRadius')} inputMode="decimal" autoComplete="off" value={value.radiusKm} onChange={(e) => onChange({ ...value, radiusKm: e.target.value })} error={errors.radiusKm} required />
      </div>
    </fieldset>
  );
}

/** A number from a text field, or null when it is not one within [min, max]. */
export function numberIn(text: string, min: number, max: number): number | null {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) && n >= min && n <= max ? n : null;
}
