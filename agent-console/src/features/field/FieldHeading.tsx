import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** The page's `<h1>`: takes the focus when it appears and names the tab. */
export function FieldHeading({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${children} — ${t('field.title')}`;
    ref.current?.focus();
  }, [children, t]);
  return <h1 ref={ref} tabIndex={-1} className="page-heading">{children}</h1>;
}
