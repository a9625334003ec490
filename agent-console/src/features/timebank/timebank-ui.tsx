import { useQueries, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { VolunteerAccountSummary } from '../../api/timebank-wire';
import type { PersonSummary, Role } from '../../api/wire';
import { errorText, fieldErrors } from '../../app/format';
import { invalidate } from '../../app/query';
import { useUser } from '../../app/routes';
import { ErrorNotice, SuccessNotice } from '../../components/Feedback';
import { announce } from '../../state/announcer';
import { timebankApi } from './timebank-api';
import { formatCoins } from './timebank-format';

/** Coins as text with their unit ("12.5 币"); the sign is kept for statement lines. */
export function Coins({ units, signed = false }: { units: number; signed?: boolean }) {
  const { t, i18n } = useTranslation();
  const text = formatCoins(units, i18n.language);
  return <span className="coins">{t('timebank.coins', { coins: signed && units > 0 ? `+${text}` : text })}</span>;
}

/**
 * One user action against the server: busy while it runs, the server's refusal as a translated message
 * (never its raw text) with per-field texts (`fields`), a success message announced politely, and every time-bank query refreshed.
 * @example const act = useAction(); act.run(() => timebankApi.approve(id), () => t('…'));
 */
export function useAction() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const run = useCallback(async <T,>(action: () => Promise<T>, success: (result: T) => string, labels?: Record<string, string>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    setDone(null);
    setFields({});
    try {
      const result = await action();
      const text = success(result);
      setDone(text);
      announce(text);
      invalidate('timebank');
      return result;
    } catch (err) {
      const text = errorText(t, err, labels);
      setError(text);
      setFields(fieldErrors(err, t));
      announce(text, 'assertive');
      return undefined;
    } finally {
      setBusy(false);
    }
  }, [t]);
  const clear = useCallback(() => {
    setError(null);
    setDone(null);
    setFields({});
  }, []);
  const notices = (
    <>
      {error && <ErrorNotice message={error} />}
      {done && <SuccessNotice>{done}</SuccessNotice>}
    </>
  );
  return { busy, error, done, fields, run, clear, notices, setError };
}

/** Whether the signed-in staff user holds one of `roles` (the server checks the same). */
export function useHasRole(...roles: Role[]): boolean {
  const user = useUser();
  return (user.roles ?? [user.role]).some((r) => roles.includes(r));
}

/**
 * Volunteers' names by id, for lists whose rows carry only the id (approvals, redemptions): one brief read
 * per distinct volunteer, shared with the other time-bank queries; an id not (yet) known reads as itself.
 */
export function useVolunteerNames(ids: (string | null | undefined)[]): (id: string | null | undefined) => string {
  const distinct = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const results = useQueries({ queries: distinct.map((id) => ({ queryKey: ['timebank', 'brief', id], queryFn: () => timebankApi.volunteerBrief(id), staleTime: 60_000 })) });
  const names = new Map(distinct.map((id, i) => [id, results[i]?.data?.name]));
  return (id) => (id ? names.get(id) ?? id : '—');
}

/**
 * Move the focus to an element after the next commit, e.g. to a result message once a dialog has closed (the
 * dialog gives the focus back to its opener first; this runs after it, in the page's own effect).
 * @example const [noticeRef, focusNotice] = useFocusAfter<HTMLDivElement>(); … onDone={() => { close(); focusNotice(); }}
 */
export function useFocusAfter<T extends HTMLElement>(): [RefObject<T | null>, () => void] {
  const ref = useRef<T>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (tick > 0) ref.current?.focus();
  }, [tick]);
  return [ref, useCallback(() => setTick((n) => n + 1), [])];
}

/**
 * Focus a field of a form inside a `Dialog` once the dialog is open (the native dialog focuses its first
 * button when it opens, after the form's own mount).
 */
export function useDialogFocus<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    const id = requestAnimationFrame(() => ref.current?.focus());
    return () => cancelAnimationFrame(id);
  }, []);
  return ref;
}

/** A fresh idempotency key for one user action (the server applies a movement once per key). */
export const newKey = (): string => crypto.randomUUID();

/** Districts the user may pick (their scope), street and district levels first by code. */
export function useDistricts() {
  return useQuery({ queryKey: ['timebank', 'districts'], queryFn: api.districts, staleTime: 5 * 60_000 });
}

/**
 * Find something by a search text and pick one: a search field (Enter searches), a button, and the results
 * as radio buttons (arrow keys move between them). Used for volunteers and for persons in the register.
 */
function SearchPicker<T>({ label, searchLabel, queryKey, search, idOf, describe, picked, onPick }: {
  label: string;
  searchLabel: string;
  queryKey: string;
  search: (q: string) => Promise<T[]>;
  idOf: (item: T) => string;
  describe: (item: T) => string;
  picked: T | null;
  onPick: (item: T | null) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const base = useId();
  const found = useQuery({ queryKey: ['timebank', 'pick', queryKey, query], queryFn: () => search(query ?? ''), enabled: query !== null });
  const run = (e?: { preventDefault(): void }) => {
    e?.preventDefault();
    setQuery(q.trim());
  };
  return (
    <fieldset className="field tb-picker">
      <legend className="field__label">{label}</legend>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${base}-q`} className="field__label">{searchLabel}</label>
          <input id={`${base}-q`} className="field__control" value={q} autoComplete="off" onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') run(e); }} />
        </div>
        <button type="button" className="btn" onClick={() => run()}>{t('timebank.shop.findVolunteer')}</button>
      </div>
      {found.isError && <ErrorNotice message={errorText(t, found.error)} />}
      {found.data && found.data.length === 0 && <p role="status">{t('timebank.pickNone')}</p>}
      {found.data && found.data.length > 0 && (
        <div className="radio-group__options" role="radiogroup" aria-label={label}>
          {found.data.map((item) => (
            <label key={idOf(item)} className="radio">
              <input type="radio" name={`${base}-pick`} value={idOf(item)} checked={picked !== null && idOf(picked) === idOf(item)} onChange={() => onPick(item)} />
              <span>{describe(item)}</span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

/** Find a volunteer by name or the last digits of the phone, and pick one. */
export function VolunteerPicker({ label, onPick, picked }: { label: string; onPick: (v: VolunteerAccountSummary | null) => void; picked: VolunteerAccountSummary | null }) {
  const { t, i18n } = useTranslation();
  return (
    <SearchPicker label={label} searchLabel={t('timebank.shop.volunteerSearch')} queryKey="volunteers" picked={picked} onPick={onPick}
      search={(q) => timebankApi.volunteers({ q, limit: 10 }).then((r) => r.items)} idOf={(v) => v.volunteerId}
      describe={(v) => t('timebank.shop.volunteerFound', { name: v.name, phone: v.phoneMasked ?? '—', coins: formatCoins(v.balanceUnits, i18n.language) })} />
  );
}

/** Find a person in the register (name, phone or masked ID as the person search allows), and pick one. */
export function PersonPicker({ label, onPick, picked }: { label: string; onPick: (p: PersonSummary | null) => void; picked: PersonSummary | null }) {
  const { t } = useTranslation();
  return (
    <SearchPicker label={label} searchLabel={t('timebank.personSearch')} queryKey="persons" picked={picked} onPick={onPick}
      search={(q) => api.searchPersons(q).then((r) => r.items)} idOf={(p) => p.id}
      describe={(p) => `${p.name}${p.birthYear ? `（${p.birthYear}）` : ''} · ${p.districtCode}`} />
  );
}
