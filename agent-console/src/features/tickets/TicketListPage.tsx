import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type TicketQuery } from '../../api/endpoints';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUSES } from '../../api/wire';
import { errorText, formatDateTime } from '../../app/format';
import { href } from '../../app/router';
import { PriorityBadge, StatusBadge } from '../../components/Badges';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { CheckboxField, SelectField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { Pager } from '../../components/Pager';

const PAGE = 25;

/** Work orders in the user's districts, filterable, paged, refreshed when the server says orders changed. */
export function TicketListPage() {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState<TicketQuery>({ open: true });
  const [filters, setFilters] = useState<TicketQuery>({ open: true });
  const [page, setPage] = useState(0);
  const query = useMemo(() => ({ ...filters, limit: PAGE, offset: page * PAGE }), [filters, page]);
  const list = useQuery({ queryKey: ['tickets', 'list', query], queryFn: () => api.tickets(query), placeholderData: keepPreviousData });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(form);
    setPage(0);
  };
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE)) : 1;
  const now = Date.now();

  return (
    <div>
      <PageHeading>{t('tickets.title')}</PageHeading>
      <p><a className="btn btn--primary" href={href('/tickets/new')}>{t('ticketForm.title')} <kbd>Alt+N</kbd></a></p>
      <form className="filters" onSubmit={apply} aria-label={t('tickets.filters')}>
        <SelectField label={t('tickets.filterStatus')} value={form.status ?? ''} onChange={(e) => setForm({ ...form, status: (e.target.value || undefined) as TicketQuery['status'] })}>
          <option value="">{t('tickets.all')}</option>
          {TICKET_STATUSES.map((s) => <option key={s} value={s}>{t(`ticketStatus.${s}`)}</option>)}
        </SelectField>
        <SelectField label={t('tickets.filterCategory')} value={form.category ?? ''} onChange={(e) => setForm({ ...form, category: (e.target.value || undefined) as TicketQuery['category'] })}>
          <option value="">{t('tickets.all')}</option>
          {TICKET_CATEGORIES.map((c) => <option key={c} value={c}>{t(`category.${c}`)}</option>)}
        </SelectField>
        <SelectField label={t('tickets.filterPriority')} value={form.priority ?? ''} onChange={(e) => setForm({ ...form, priority: (e.target.value || undefined) as TicketQuery['priority'] })}>
          <option value="">{t('tickets.all')}</option>
          {TICKET_PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
        </SelectField>
        <CheckboxField label={t('tickets.filterOpen')} checked={form.open === true} onChange={(e) => setForm({ ...form, open: e.target.checked ? true : undefined })} />
        <button type="submit" className="btn">{t('tickets.apply')}</button>
      </form>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice message={t('tickets.loadFailed', { message: errorText(t, list.error) })} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('tickets.empty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <>
          <div className="table-wrap" aria-busy={list.isFetching}>
            <table className="table">
              <caption>{t('tickets.list')} · {t('app.total', { count: list.data.total })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('tickets.number')}</th>
                  <th scope="col">{t('tickets.priority')}</th>
                  <th scope="col">{t('tickets.category')}</th>
                  <th scope="col">{t('tickets.status')}</th>
                  <th scope="col">{t('tickets.summary')}</th>
                  <th scope="col">{t('tickets.createdAt')}</th>
                  <th scope="col">{t('tickets.slaDueAt')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((tk) => {
                  const overdue = tk.slaDueAt && !tk.closedAt && new Date(tk.slaDueAt).getTime() < now;
                  return (
                    <tr key={tk.id}>
                      <th scope="row"><a href={href(`/tickets/${tk.id}`)}>{tk.number}</a></th>
                      <td><PriorityBadge priority={tk.priority} /></td>
                      <td>{t(`category.${tk.category}`)}{tk.serviceType && ` · ${t(`serviceType.${tk.serviceType}`)}`}</td>
                      <td><StatusBadge status={tk.status} /></td>
                      <td className="table__summary">{tk.summary}</td>
                      <td>{formatDateTime(tk.createdAt, i18n.language)}</td>
                      <td>{formatDateTime(tk.slaDueAt, i18n.language)}{overdue && <span className="badge badge--overdue"><span aria-hidden="true">⚠ </span>{t('tickets.overdue')}</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager page={page} pages={pages} onPage={setPage} />
        </>
      )}
    </div>
  );
}
