import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The page's `<h1>`. On navigation it takes the focus (tabIndex -1), so keyboard and screen-reader users
 * start at the top of the new page and hear its name; the document title follows it ("工单 — 安心").
 */
export function PageHeading({ children, focusOnMount = true }: { children: ReactNode; focusOnMount?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    const text = ref.current?.textContent?.trim();
    document.title = text ? `${text} — ${t('app.name')}` : t('app.name');
  });
  useEffect(() => () => void (document.title = t('app.name')), []);
  useEffect(() => {
    if (!focusOnMount) return;
    const active = document.activeElement;
    // Do not steal the focus from a field the user is typing in (e.g. a pop arrived meanwhile).
    if (active && active !== document.body && active.closest('main') && !active.closest('nav') && active.matches('input, textarea, select')) return;
    ref.current?.focus({ preventScroll: false });
  }, [focusOnMount]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
