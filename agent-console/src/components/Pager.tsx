import { useTranslation } from 'react-i18next';

/**
 * Previous / next paging under a list, with "page n of m" as its accessible name.
 * @example <Pager page={page} pages={pages} onPage={setPage} />
 */
export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  const label = t('app.page', { page: page + 1, pages });
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="btn btn--small" disabled={page === 0} onClick={() => onPage(page - 1)}>{t('app.previous')}</button>
      <span>{label}</span>
      <button type="button" className="btn btn--small" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>{t('app.next')}</button>
    </nav>
  );
}
