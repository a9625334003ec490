import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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
