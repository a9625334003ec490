import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonDetail } from '../../../api/wire';
import { errorText } from '../../../app/format';
import { session } from '../../../state/session';
import { useStore } from '../../../state/store';
import { announce } from '../../../state/announcer';

/** Whether the signed-in user may keep person records (agents and supervisors; `person.edit`). */
export function useCanEdit(): boolean {
  const role = useStore(session, (s) => (s.status === 'signed-in' ? s.user.role : null));
  return role === 'agent' || role === 'supervisor';
}

export function useRole(): string | null {
  return useStore(session, (s) => (s.status === 'signed-in' ? s.user.role : null));
}

/**
 * One change to a person's record: runs the request, then tells the page (`onSaved`), refreshes the change
 * history, and announces the outcome; a refusal becomes a translated message (`error`) shown where the user
 * acted. Focus is left alone: the control the user pressed keeps it.
 * @example const change = useRecordChange(person.id, onSaved); change.run(() => recordsApi.removePhone(id, phoneId), t('records.phones.removed'));
 */
export function useRecordChange(personId: string, onSaved: (p: PersonDetail) => void) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [error, setError] = useState<{ message: string; cause: unknown } | null>(null);
  const mutation = useMutation({
    mutationFn: ({ work }: { work: () => Promise<PersonDetail>; done: string }) => work(),
    onSuccess: (person, { done }) => {
      setError(null);
      onSaved(person);
      void client.invalidateQueries({ queryKey: ['persons', personId, 'changes'] });
      announce(done);
    },
    onError: (cause) => {
      const message = errorText(t, cause);
      setError({ message, cause });
      announce(message, 'assertive');
    },
  });
  return {
    busy: mutation.isPending,
    error,
    clearError: () => setError(null),
    run: (work: () => Promise<PersonDetail>, done: string) => mutation.mutateAsync({ work, done }).then(() => true, () => false),
  };
}

/**
 * Focus for a control that is about to (re)appear, e.g. the button that opened a form which now closes:
 * `request()` before closing, and the control takes focus as soon as React mounts it (a ref callback; a
 * timer or animation frame can run before the commit).
 * @example const back = useFocusReturn(); … back.request(); setOpen(false); … <button ref={back.ref}>
 */
export function useFocusReturn<T extends HTMLElement>() {
  const pending = useRef(false);
  const element = useRef<T | null>(null);
  const ref = useCallback((el: T | null) => {
    element.current = el;
    if (el && pending.current) {
      pending.current = false;
      el.focus();
    }
  }, []);
  return {
    ref,
    request: () => {
      if (element.current?.isConnected) element.current.focus();
      else pending.current = true;
    },
  };
}
