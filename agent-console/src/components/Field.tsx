import { useId, type ComponentPropsWithRef, type InputHTMLAttributes, type ReactNode } from 'react';

interface Common {
  label: string;
  hint?: string;
  error?: string | null;
  required?: boolean;
}

/** Label, hint and error wired to the control with `for`, `aria-describedby` and `aria-invalid`. */
function useDescribed(hint?: string, error?: string | null) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

function Extras({ hint, hintId, error, errorId }: { hint?: string; hintId?: string; error?: string | null; errorId?: string }) {
  return (
    <>
      {hint && <span id={hintId} className="field__hint">{hint}</span>}
      {error && (
        <span id={errorId} className="field__error">
          <span aria-hidden="true">✖ </span>
          {error}
        </span>
      )}
    </>
  );
}

export function TextField({ label, hint, error, required, ...input }: Common & ComponentPropsWithRef<'input'>) {
  const d = useDescribed(hint, error);
  return (
    <div className="field">
      <label htmlFor={input.id ?? d.id} className="field__label">{label}</label>
      <Extras hint={hint} hintId={d.hintId} error={error} errorId={d.errorId} />
      <input id={d.id} className="field__control" aria-describedby={d.describedBy} aria-invalid={error ? true : undefined} aria-required={required || undefined} {...input} />
    </div>
  );
}

export function TextAreaField({ label, hint, error, required, ...area }: Common & ComponentPropsWithRef<'textarea'>) {
  const d = useDescribed(hint, error);
  return (
    <div className="field">
      <label htmlFor={area.id ?? d.id} className="field__label">{label}</label>
      <Extras hint={hint} hintId={d.hintId} error={error} errorId={d.errorId} />
      <textarea id={d.id} className="field__control" aria-describedby={d.describedBy} aria-invalid={error ? true : undefined} aria-required={required || undefined} {...area} />
    </div>
  );
}

export function SelectField({ label, hint, error, required, children, ...select }: Common & ComponentPropsWithRef<'select'> & { children: ReactNode }) {
  const d = useDescribed(hint, error);
  return (
    <div className="field">
      <label htmlFor={select.id ?? d.id} className="field__label">{label}</label>
      <Extras hint={hint} hintId={d.hintId} error={error} errorId={d.errorId} />
      <select id={d.id} className="field__control" aria-describedby={d.describedBy} aria-invalid={error ? true : undefined} aria-required={required || undefined} {...select}>
        {children}
      </select>
    </div>
  );
}

export function CheckboxField({ label, hint, ...input }: { label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const d = useDescribed(hint, null);
  return (
    <div className="field field--check">
      <input id={d.id} type="checkbox" aria-describedby={d.hintId} {...input} />
      <label htmlFor={d.id}>{label}</label>
      {hint && <span id={d.hintId} className="field__hint">{hint}</span>}
    </div>
  );
}

/** A group of radio buttons in a fieldset with a legend (arrow keys move within it natively). */
export function RadioGroup<V extends string>({ legend, name, value, options, onChange, error, required }: {
  legend: string;
  name: string;
  value: V | '';
  options: readonly { value: V; label: string }[];
  onChange: (v: V) => void;
  error?: string | null;
  required?: boolean;
}) {
  const errorId = useId();
  return (
    <fieldset className="field radio-group" aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend className="field__label">{legend}{required ? ' *' : ''}</legend>
      {error && <span id={errorId} className="field__error"><span aria-hidden="true">✖ </span>{error}</span>}
      <div className="radio-group__options">
        {options.map((o) => (
          <label key={o.value} className="radio">
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
