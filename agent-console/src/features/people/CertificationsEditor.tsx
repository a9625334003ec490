import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shanghaiToday } from './cert-status';
import { SelectField, TextField } from '../../components/Field';
import { CertBadge } from './CertBadge';
import { CERT_KINDS, type CertRow } from './people-vocabulary';

/**
 * Certificates with their validity dates: add, change, remove; each row flags expired / expiring within 30
 * days (text and mark, not colour alone). Adding moves the focus to the new row; removing, to 添加证书.
 */
export function CertificationsEditor({ value, onChange, errors = {} }: { value: CertRow[]; onChange: (rows: CertRow[]) => void; errors?: Record<string, string> }) {
  const { t } = useTranslation();
  const addRef = useRef<HTMLButtonElement>(null);
  const lastKindRef = useRef<HTMLSelectElement>(null);
  const [focusNew, setFocusNew] = useState(false);
  useEffect(() => {
    if (focusNew) lastKindRef.current?.focus();
    setFocusNew(false);
  }, [focusNew]);
  const set = (i: number, patch: Partial<CertRow>) => onChange(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="fieldset">
      <legend>{t('people.certs')}</legend>
      {value.length === 0 && <p className="muted">{t('app.none')}</p>}
      <ul className="plain-list">
        {value.map((row, i) => (
          <li key={i} className="row-editor">
            <SelectField ref={i === value.length - 1 ? lastKindRef : undefined} label={t('people.certKind')} value={row.kind} onChange={(e) => set(i, { kind: e.target.value as CertRow['kind'] })} error={errors[`certifications.${i}.kind`]}>
              {CERT_KINDS.map((k) => <option key={k} value={k}>{t(`people.cert.${k}`)}</option>)}
            </SelectField>
            <TextField label={t('people.certValidFrom')} hint={t('people.dateHint')} inputMode="numeric" autoComplete="off" maxLength={10} value={row.validFrom} onChange={(e) => set(i, { validFrom: e.target.value })} error={errors[`certifications.${i}.validFrom`]} required />
            <TextField label={t('people.certExpiresOn')} hint={t('people.dateHint')} inputMode="numeric" autoComplete="off" maxLength={10} value={row.expiresOn} onChange={(e) => set(i, { expiresOn: e.target.value })} error={errors[`certifications.${i}.expiresOn`]} required />
            <span className="row-editor__status">{row.expiresOn && <CertBadge expiresOn={row.expiresOn} />}</span>
            <button type="button" className="btn btn--small" aria-label={t('people.certRemove', { kind: t(`people.cert.${row.kind}`) })} onClick={() => {
              onChange(value.filter((_, j) => j !== i));
              addRef.current?.focus();
            }}>✕</button>
          </li>
        ))}
      </ul>
      <button ref={addRef} type="button" className="btn btn--small" onClick={() => {
        const today = shanghaiToday();
        onChange([...value, { kind: CERT_KINDS[0], validFrom: today, expiresOn: '' }]);
        setFocusNew(true);
      }}>{t('people.certAdd')}</button>
    </fieldset>
  );
}
