import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A modal dialog on the native `<dialog>` element: focus moves in and is trapped by the browser, Escape
 * closes it, and focus returns to where it was.
 */
export function Dialog({ open, title, onClose, children, dismissible = true }: { open: boolean; title: string; onClose: () => void; children: ReactNode; dismissible?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { t } = useTranslation();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const previous = document.activeElement as HTMLElement | null;
      dialog.showModal();
      return () => previous?.focus?.();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose} onCancel={(e) => (dismissible ? onClose() : e.preventDefault())}>
      {open && (
        <>
          <div className="dialog__head">
            <h2 id={titleId}>{title}</h2>
            {dismissible && (
              <button type="button" className="btn btn--ghost" onClick={onClose} aria-label={t('app.close')}>
                <span aria-hidden="true">✕</span>
              </button>
            )}
          </div>
          <div className="dialog__body">{children}</div>
        </>
      )}
    </dialog>
  );
}
