import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A loading state that screen readers hear once (role=status). */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="feedback feedback--loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('app.loading')}
    </p>
  );
}

/** An error with what happened and, when it can help, a retry button. */
export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="feedback feedback--error" role="alert">
      <span aria-hidden="true" className="feedback__icon">✖</span>
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="btn btn--small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

/** Nothing to show yet, and what to do about it. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="feedback feedback--empty">
      <span aria-hidden="true" className="feedback__icon">○</span>
      <span>{children}</span>
    </div>
  );
}

/** A success notice (role=status: announced politely). */
export function SuccessNotice({ children }: { children: ReactNode }) {
  return (
    <div className="feedback feedback--success" role="status">
      <span aria-hidden="true" className="feedback__icon">✔</span>
      <span>{children}</span>
    </div>
  );
}
